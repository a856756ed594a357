"""The Whoosh backend on a real index in a temp folder: filters, ranking, snippets,
suggestions, concurrency between processes' backends."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from board.search.backend import SearchQuery
from board.search.backends.whoosh import IndexBusyError, WhooshBackend
from tests import hostile
from tests.search.entries import doc
from tests.security import corpus


@pytest.fixture
def backend(tmp_path):
    engine = WhooshBackend(str(tmp_path / "index"))
    yield engine
    engine.close()


def ids(backend, text: str, **query) -> list[str]:
    return [hit.id for hit in backend.search(SearchQuery(text=text, **query)).hits]


def test_constructor_touches_nothing(tmp_path):
    WhooshBackend(str(tmp_path / "index"))
    assert not (tmp_path / "index").exists()


def test_filters_apply_inside_the_search_so_totals_are_right(backend):
    backend.index(
        [
            doc(
                n,
                "Zapisnik",
                f"Zapisnik sjednice broj {n}.",
                category_id=1 + n % 3,
                author_id=n % 2,
            )
            for n in range(1, 31)
        ]
    )
    everything = backend.search(SearchQuery(text="zapisnik", per_page=10))
    assert everything.total == 30 and len(everything.hits) == 10
    scoped = backend.search(SearchQuery(text="zapisnik", allowed_category_ids=frozenset({1, 2})))
    assert scoped.total == 20
    assert {h.post_id % 3 for h in scoped.hits} == {0, 1}  # categories 1 and 2 only
    narrowed = backend.search(
        SearchQuery(
            text="zapisnik", allowed_category_ids=frozenset({1, 2}), category_ids=frozenset({2})
        )
    )
    assert narrowed.total == 10
    assert backend.search(SearchQuery(text="zapisnik", author_id=1)).total == 15
    assert backend.search(SearchQuery(text="zapisnik", allowed_category_ids=frozenset())).total == 0
    second = backend.search(SearchQuery(text="zapisnik", per_page=10, page=3))
    assert second.total == 30 and len(second.hits) == 10
    seen = {
        h.id
        for p in (1, 2, 3)
        for h in backend.search(SearchQuery(text="zapisnik", per_page=10, page=p)).hits
    }
    assert len(seen) == 30  # pages do not overlap


@pytest.mark.parametrize(
    "text",
    ["izvještaj izvješće", "izvještaj budžet proračun", "zapisnik zapisnik", "x OR izvješće"],
)
def test_total_counts_every_match_and_pages_hold_them_all(backend, text):
    """Variants make one word's terms overlap another's; every match is still counted
    once and reachable through the pages (Whoosh's pruning used to lose some)."""
    backend.index(
        [
            doc(
                n,
                "Tema",
                ("izvještaj " if n % 2 else "izvješće ") + ("proračun" if n % 3 else "budžet"),
            )
            for n in range(1, 300)
        ]
    )
    total = backend.search(SearchQuery(text=text, per_page=100)).total
    pages = [backend.search(SearchQuery(text=text, per_page=100, page=p)).hits for p in (1, 2, 3)]
    assert total == len({h.id for hits in pages for h in hits}) == 299 or text.startswith(
        "zapisnik"
    )


def test_type_date_and_solved_filters(backend):
    backend.index(
        [
            doc(1, "Statut", "Izmjene statuta.", created_at=datetime(2025, 1, 10, tzinfo=UTC)),
            doc(2, "Statut", "Statut na javnoj raspravi.", created_at=datetime(2025, 2, 10, tzinfo=UTC), solved=True),
            doc(3, "Statut MZ.pdf", "Statut mjesne zajednice, član 1.", type="document",
                id="doc:7:1", document_id=7, page=1, doc_type="pdf",
                created_at=datetime(2025, 3, 10, tzinfo=UTC)),
        ]
    )  # fmt: skip
    assert ids(backend, "statut", type="document") == ["doc:7:1"]
    hit = backend.search(SearchQuery(text="statut", type="document")).hits[0]
    assert (hit.document_id, hit.page) == (7, 1)
    assert set(ids(backend, "statut", date_from=date(2025, 2, 1))) == {"post:2", "doc:7:1"}
    assert ids(backend, "statut", date_to=date(2025, 1, 10)) == ["post:1"]  # inclusive
    assert ids(backend, "statut", solved_only=True) == ["post:2"]
    assert ids(backend, "statut", sort="new") == ["doc:7:1", "post:2", "post:1"]


def test_first_post_and_accepted_answer_rank_above_replies(backend):
    backend.index(
        [
            doc(1, "Kvorum", "Kako računate kvorum?", thread_id=1),
            doc(2, "Kvorum", "Slažem se, dobro pitanje.", thread_id=1, is_first=False),
            doc(3, "Kvorum", "Kvorum je većina svih članova savjeta.", thread_id=1, is_first=False,
                accepted=True),
            doc(4, "Kvorum", "Mi kvorum računamo drugačije.", thread_id=1, is_first=False),
        ]
    )  # fmt: skip
    found = ids(backend, "kvorum")
    assert found[:2] == ["post:3", "post:1"]
    assert found.index("post:4") < found.index(
        "post:2"
    )  # a reply that says it beats one that doesn't


def test_title_matches_rank_first(backend):
    backend.index(
        [
            doc(1, "Javna rasvjeta", "Ko plaća struju za ulice?"),
            doc(2, "Budžet", "Za javnu rasvjetu smo izdvojili malo, a za ceste više, i za sport."),
        ]
    )
    assert ids(backend, "rasvjeta") == ["post:1", "post:2"]


def test_exact_spelling_ranks_above_folded_and_variants(backend):
    backend.index(
        [
            doc(1, "Pitanje", "Kako povecati ucesce mladih?"),
            doc(2, "Pitanje", "Kako povećati učešće mladih?"),
            doc(3, "Pitanje", "Kako povećati sudjelovanje mladih?"),
        ]
    )
    assert ids(backend, "učešće mladih") == ["post:2", "post:1", "post:3"]
    assert ids(backend, "sudjelovanje mladih")[0] == "post:3"


def test_stop_words_do_not_swamp_results(backend):
    backend.index(
        [
            doc(1, "Sjednica", "Sjednica vijeća je zakazana za petak."),
            doc(2, "Pitanje", "Već smo to pitali, i već smo dobili odgovor."),
        ]
    )
    assert ids(backend, "vijeće") == ["post:1"]
    assert ids(backend, "već") == []


def test_all_words_first_then_any_word_with_a_flag(backend):
    backend.index(
        [
            doc(1, "Ostavka", "Predsjednik je podnio ostavku."),
            doc(2, "Rijeka", "Čišćenje obale rijeke."),
        ]
    )
    strict = backend.search(SearchQuery(text="ostavka predsjednika"))
    assert [h.id for h in strict.hits] == ["post:1"] and not strict.relaxed
    loose = backend.search(SearchQuery(text="ostavka rijeka"))
    assert loose.relaxed and {h.id for h in loose.hits} == {"post:1", "post:2"}


def test_long_query_also_finds_posts_missing_one_word_below_full_matches(backend):
    backend.index(
        [
            doc(1, "Izvještaj", "Izvještaj o radu vraćen na dopunu zbog računa."),
            doc(2, "Izvještaj", "Finansijski izvještaj nam je vraćen, račun nije bio na MZ."),
            doc(3, "Zapisnik", "Zapisnik je vraćen."),
        ]
    )
    page = backend.search(SearchQuery(text="vraćen izvještaj dopuna"))
    assert [h.id for h in page.hits][:2] == ["post:1", "post:2"]  # all three words, then two
    assert "post:3" not in [h.id for h in page.hits]  # one word of three is not enough
    assert not page.relaxed
    two_words = backend.search(SearchQuery(text="izvještaj dopuna"))
    assert [h.id for h in two_words.hits] == ["post:1"]  # two-word queries stay strict


def test_typo_is_found_and_corrected(backend):
    backend.index([doc(n, "Zapisnik", f"Zapisnik sa sjednice savjeta {n}.") for n in range(1, 4)])
    page = backend.search(SearchQuery(text="zapisnk"))
    assert page.total == 3
    assert page.suggestion == "zapisnik"
    assert backend.search(SearchQuery(text="zapisnik")).suggestion is None


def test_suggestion_is_a_real_word_in_the_script_typed(backend):
    backend.index([doc(1, "Sjednica", "Hibridne sjednice savjeta: dio članova je na Zoomu.")])
    assert backend.search(SearchQuery(text="hibridne sjdnice")).suggestion == "hibridne sjednice"
    assert backend.search(SearchQuery(text="хибридне сјдници")).suggestion == "хибридне сједнице"


def test_phrase_needs_adjacent_words_but_any_script(backend):
    backend.index(
        [
            doc(1, "Статус", "Мјесна заједница има својство правног лица."),
            doc(2, "Lice", "Pravno je pitanje ko je odgovorno lice."),
        ]
    )
    assert ids(backend, '"pravnog lica"') == ["post:1"]
    assert set(ids(backend, "pravno lice")) == {"post:1", "post:2"}


def test_or_prefix_and_exclusion(backend):
    backend.index(
        [
            doc(1, "Zapisnik", "Zapisnik sjednice."),
            doc(2, "Zapisničar", "Ko je zapisničar?"),
            doc(3, "Ostavka", "Ostavka člana."),
        ]
    )
    assert set(ids(backend, "zapis*")) == {"post:1", "post:2"}
    assert set(ids(backend, "zapisnik OR ostavka")) == {"post:1", "post:3"}
    assert ids(backend, "zapis* -zapisničar") == ["post:1"]


def test_snippets_mark_matches_and_escape_everything_else(backend):
    payloads = (hostile.XSS + corpus.xss("owasp-rsnake-xss-filter-evasion.txt"))[:60]
    body = "Zapisnik " + " ".join(payloads) + " zapisnika <b>kraj</b>"
    backend.index([doc(1, "XSS", body)])
    snippet = backend.search(SearchQuery(text="zapisnik")).hits[0].snippet
    assert "<mark>Zapisnik</mark>" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    for term in ("script", "kraj"):
        hit = backend.search(SearchQuery(text=term)).hits[0]
        assert "<mark>" in hit.snippet and "<script" not in hit.snippet.lower()


def test_cyrillic_post_is_highlighted_for_a_latin_query(backend):
    backend.index([doc(1, "Записник", "Записник са сједнице савјета.")])
    assert "<mark>сједнице</mark>" in backend.search(SearchQuery(text="sednica")).hits[0].snippet


def test_delete_versions_and_clear(backend):
    backend.index(
        [
            doc(1, "A", "Statut jedan."),
            doc(2, "B", "Statut dva."),
            doc(
                3,
                "Statut.pdf",
                "Statut, strana 1.",
                id="doc:9:1",
                type="document",
                document_id=9,
                page=1,
            ),
            doc(
                4,
                "Statut.pdf",
                "Statut, strana 2.",
                id="doc:9:2",
                type="document",
                document_id=9,
                page=2,
            ),
        ]
    )
    assert backend.versions() == {"post:1": "v1", "post:2": "v2", "doc:9:1": "v3", "doc:9:2": "v4"}
    backend.index([doc(1, "A", "Poslovnik jedan.", version="v1b")])  # replaced, not duplicated
    assert ids(backend, "statut") == ["post:2", "doc:9:1", "doc:9:2"] or set(ids(backend, "statut")) == {
        "post:2", "doc:9:1", "doc:9:2"
    }  # fmt: skip
    assert backend.versions()["post:1"] == "v1b"
    backend.delete(["post:2", "post:404"])
    backend.delete_documents([9])
    assert ids(backend, "statut") == []
    backend.clear()
    assert backend.versions() == {}


def test_one_post_at_a_time_keeps_few_segments_and_never_rewrites_big_ones(backend):
    backend.index([doc(n, "Statut", f"Statut broj {n}.") for n in range(1, 1201)])  # one big
    for n in range(1201, 1236):  # the outbox: a post per commit
        backend.index([doc(n, "Statut", f"Statut broj {n}.")])
    segments = backend.searcher().reader().segments()
    assert len(segments) < 12
    assert max(s.doc_count_all() for s in segments) == 1200  # the big one was left alone
    assert backend.search(SearchQuery(text="statut")).total == 1235
    backend.optimize()
    assert len(backend.searcher().reader().segments()) == 1
    assert backend.search(SearchQuery(text="statut")).total == 1235


def test_a_bulk_write_leaves_one_segment_and_replaces_rather_than_duplicates(backend):
    for n in range(1, 41):  # the outbox: a post per commit, many small segments
        backend.index([doc(n, "Statut", f"Statut broj {n}.")])
    assert len(backend.searcher().reader().segments()) > 1
    with backend.bulk():
        backend.index([doc(n, "Statut", f"Statut broj {n}, izmijenjen.") for n in range(1, 61)])
    assert len(backend.searcher().reader().segments()) == 1
    assert backend.search(SearchQuery(text="statut")).total == 60
    assert backend.search(SearchQuery(text="izmijenjen")).total == 60


def test_a_bulk_write_that_fails_leaves_the_index_as_it_was(backend):
    backend.index([doc(1, "Statut", "Statut MZ.")])
    with pytest.raises(RuntimeError), backend.bulk():
        backend.index([doc(2, "Statut", "Drugi statut.")])
        raise RuntimeError("the database went away")
    assert ids(backend, "statut") == ["post:1"]
    backend.index([doc(3, "Statut", "Treći statut.")])  # the writer was released
    assert set(ids(backend, "statut")) == {"post:1", "post:3"}


def test_a_change_by_another_process_is_seen(tmp_path):
    reader, writer = WhooshBackend(str(tmp_path / "ix")), WhooshBackend(str(tmp_path / "ix"))
    writer.index([doc(1, "Statut", "Statut MZ.")])
    assert ids(reader, "statut") == ["post:1"]  # the reader now holds a searcher
    writer.index([doc(2, "Statut", "Novi statut.")])
    assert set(ids(reader, "statut")) == {"post:1", "post:2"}
    writer.delete(["post:1"])
    assert ids(reader, "statut") == ["post:2"]
    reader.close()
    writer.close()


def test_busy_index_raises_a_clear_error(tmp_path):
    holder = WhooshBackend(str(tmp_path / "ix"))
    holder.index([doc(1, "Statut", "Statut.")])
    held = holder._writer()
    try:
        other = WhooshBackend(str(tmp_path / "ix"), lock_timeout=0.1)
        with pytest.raises(IndexBusyError):
            other.index([doc(2, "Statut", "Drugi statut.")])
    finally:
        held.cancel()
    other.index([doc(2, "Statut", "Drugi statut.")])
    assert set(ids(other, "statut")) == {"post:1", "post:2"}
    holder.close()
    other.close()


def test_freds_posts_index_and_come_back_escaped(backend):

    naughty = hostile.STRINGS + corpus.naughty()
    backend.index(
        [doc(n, text[:200] or "prazno", f"zapisnik {text}") for n, text in enumerate(naughty, 1)]
    )
    page = backend.search(SearchQuery(text="zapisnik", per_page=100))
    assert page.total == len(naughty)
    for hit in page.hits:
        assert re.sub(r"</?mark>", "", hit.snippet).count("<") == 0


def test_hostile_queries_never_raise(backend):

    backend.index([doc(1, "Statut", "Statut MZ.")])
    for text in hostile.STRINGS + corpus.naughty():
        backend.search(SearchQuery(text=text))


def test_indexes_built_before_the_move_still_find_their_tokenizer():
    """A Whoosh index pickles its tokenizer's class path; the old paths must still resolve."""
    import pickle

    from board.search.backends.whoosh.schema import BcsTokenizer

    for old in ("board.search.whoosh_backend", "board.search.whoosh_backend.schema"):
        pickled = pickle.dumps(BcsTokenizer, protocol=0).replace(
            b"board.search.backends.whoosh.schema", old.encode()
        )
        assert pickle.loads(pickled) is BcsTokenizer  # noqa: S301 (our own bytes)


def test_an_index_from_before_quotes_had_their_field_is_upgraded_in_place(tmp_path):
    """An existing index gains the ``quoted`` field on opening: its entries stay found, and
    new entries with quotes can be written at once (no reindex needed to keep working)."""
    from whoosh import index as whoosh_index

    from board.search.backends.whoosh.schema import doc_fields, schema

    old_schema = schema()
    old_schema.remove("quoted")
    path = tmp_path / "old-index"
    path.mkdir()
    old = whoosh_index.create_in(str(path), old_schema)
    writer = old.writer()
    writer.add_document(**doc_fields(doc(1, "Zbor", "Kvorum zbora građana.")))
    writer.commit()
    backend = WhooshBackend(str(path))
    try:
        backend.index([doc(2, "Pitanje", "Ne znam.", quoted="Kvorum?", is_first=False)])
        found = [h.id for h in backend.search(SearchQuery(text="kvorum")).hits]
        assert found == ["post:1", "post:2"]
    finally:
        backend.close()
