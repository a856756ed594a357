"""Large result sets on Whoosh: counted as sets, only the newest matches ranked.

A small index stands in for a big one by lowering the backend's thresholds: what a
reader sees (totals, pages, order, filters) must not change when a query takes the
dense path, except that beyond ``candidates`` matches only the newest are ranked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from board.search.backend import SearchDoc, SearchQuery
from board.search.backends.whoosh import WhooshBackend
from board.search.backends.whoosh.docsets import docset, top
from board.search.backends.whoosh.query import QueryBuilder

WORDS = [
    "sjednica savjeta mjesne zajednice",
    "izvještaj o radu za prošlu godinu",
    "plan asfaltiranja ulice",
    "javni poziv udruženjima građana",
    "zapisnik sa sjednice",
    "budžet i finansijski plan",
    "седница савјета мјесне заједнице",
    "izvestaj o radu saveta",
    "gradjani su dosli na zbor",
]
START = datetime(2025, 1, 1, 8, tzinfo=UTC)


def entry(n: int) -> SearchDoc:
    body = " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 2, 5)) + "."
    return SearchDoc(
        id=f"post:{n}",
        type="post" if n % 7 else "document",
        version=f"v{n}",
        thread_id=n // 3 + 1,
        post_id=n,
        category_id=n % 3 + 1,
        author_id=n % 4 + 1,
        author="Amra",
        title=WORDS[n % len(WORDS)].capitalize(),
        body=body,
        created_at=START + timedelta(hours=n),  # unique: "newest first" has one answer
        is_first=n % 3 == 0,
        solved=n % 5 == 0,
        accepted=n % 11 == 0,
    )


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    """90 entries over several commits (several segments), some deleted and replaced."""
    path = str(tmp_path_factory.mktemp("dense") / "index")
    writer = WhooshBackend(path)
    for start in range(1, 91, 15):
        writer.index(entry(n) for n in range(start, start + 15))
    writer.delete([f"post:{n}" for n in range(4, 90, 9)])
    writer.index([entry(5), entry(6)])  # edited: re-written into a newer segment
    writer.close()
    return path


@pytest.fixture
def exact(index_dir):
    engine = WhooshBackend(index_dir, dense_at=10**9)
    yield engine
    engine.close()


@pytest.fixture
def dense(index_dir):
    engine = WhooshBackend(index_dir, dense_at=0)
    yield engine
    engine.close()


QUERIES = [
    "sjednica",
    "savjeta",
    "седница",
    "izvestaj o radu",
    "plan",
    "plan -budžet",
    '"mjesne zajednice"',
    "zbor OR poziv",
    "sjedn*",
    "građani zbor",
    "sjednica plan poziv",  # few with every word: the fill follows
    "asfaltiranja nepostojecerijeci",  # nothing with every word: any word
]
FILTERS = [
    {},
    {"allowed_category_ids": frozenset({1, 2})},
    {"category_ids": frozenset({3}), "sort": "new"},
    {"type": "document"},
    {"author_id": 2, "solved_only": True},
    {"date_from": date(2025, 1, 2), "date_to": date(2025, 1, 3), "sort": "new"},
]


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("options", FILTERS, ids=lambda o: ",".join(o) or "none")
def test_dense_path_gives_the_same_totals_pages_and_order(exact, dense, text, options):
    for page in (1, 2):
        query = SearchQuery(text=text, page=page, per_page=4, **options)
        want, got = exact.search(query), dense.search(query)
        assert got.total == want.total
        assert [h.id for h in got.hits] == [h.id for h in want.hits]
        assert [h.snippet for h in got.hits] == [h.snippet for h in want.hits]
        assert got.relaxed == want.relaxed


def test_beyond_the_candidates_only_the_newest_matches_are_ranked(index_dir):
    engine = WhooshBackend(index_dir, dense_at=5, candidates=6)
    try:
        everything = engine.search(SearchQuery(text="sjednica", per_page=100))
        assert len(everything.hits) == 6  # only the candidates are ranked and shown...
        assert everything.total > 20  # ...but the total counts every match
        reader = engine.searcher().reader()
        top = sorted(docset(engine.searcher(), QueryBuilder(reader, "sjednica").strict()))[-6:]
        stored = {engine.searcher().stored_fields(n)["id"] for n in top}
        assert {h.id for h in everything.hits} == stored
    finally:
        engine.close()


@pytest.mark.parametrize("text", QUERIES)
def test_docset_is_exactly_what_whoosh_matches(exact, text):
    searcher = exact.searcher()
    builder = QueryBuilder(searcher.reader(), text)
    for q in (builder.strict(), builder.relaxed(), builder.most()):
        if q is not None:
            assert docset(searcher, q) == set(searcher.docs_for_query(q))


def run_query(searcher, q):
    """Whoosh's own search of every match, scored by its collector (no pruning)."""
    collector = searcher.collector(limit=None)
    searcher.search_with_collector(q, collector)
    return collector.results()


@pytest.mark.parametrize("text", QUERIES)
def test_scores_and_order_are_whooshs_own(exact, text):
    """``top`` reaches Whoosh's scores (rank boost included) by another road."""
    searcher = exact.searcher()
    builder = QueryBuilder(searcher.reader(), text)
    for q in (builder.strict(), builder.relaxed(), builder.most()):
        if q is None:
            continue
        whoosh = [(hit.docnum, hit.score) for hit in run_query(searcher, q)]
        ours = [(hit.docnum, hit.score) for hit in top(searcher, q, docset(searcher, q), 1000)]
        assert [n for n, _ in ours] == [n for n, _ in whoosh]
        assert [s for _, s in ours] == pytest.approx([s for _, s in whoosh], rel=1e-9)


@pytest.mark.parametrize("options", FILTERS, ids=lambda o: ",".join(o) or "none")
def test_filtered_totals_are_whooshs_own(exact, options):
    """The cached filter (kept or dropped docnums) keeps exactly what Whoosh's would."""
    searcher = exact.searcher()
    for text in ("sjednica", "plan", "zbor OR poziv"):
        query = SearchQuery(text=text, **options)
        builder = QueryBuilder(searcher.reader(), text)
        collector = searcher.collector(limit=None, filter=builder.filter(query))
        searcher.search_with_collector(builder.strict(), collector)
        assert exact.search(query).total == len(collector.results())


def test_query_kinds_the_builder_never_makes_still_score_as_whoosh_does(exact):
    """A wildcard goes through the fallback (Whoosh's own matcher, skipped per match)."""
    from whoosh import query as wq

    searcher = exact.searcher()
    q = wq.Or([wq.Wildcard("content", "sj*nic*"), wq.Term("content", "plan")])
    whoosh = [(hit.docnum, hit.score) for hit in run_query(searcher, q)]
    ours = [(hit.docnum, hit.score) for hit in top(searcher, q, docset(searcher, q), 1000)]
    assert whoosh and [n for n, _ in ours] == [n for n, _ in whoosh]
    assert [s for _, s in ours] == pytest.approx([s for _, s in whoosh], rel=1e-9)
