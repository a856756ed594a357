"""The behaviour every search backend owes the service, checked on each backend alike.

Whoosh always runs; PostgreSQL only when the suite runs against
PostgreSQL (``BOARD_TEST_DATABASE_URL``). Both read the same BCS analysis, so a query must
find the same posts on both: that is what lets an operator switch backends.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from board.search.backend import SearchQuery
from tests.conftest import PG_URL
from tests.search.entries import doc

BACKENDS = [
    "whoosh",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            not PG_URL.startswith("postgres"),
            reason="the PostgreSQL backend needs BOARD_TEST_DATABASE_URL=postgresql://…",
        ),
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, app, tmp_path):
    """A fresh, empty backend of each kind, closed afterwards (Whoosh holds open files)."""
    if request.param == "whoosh":
        from board.search.backends.whoosh import WhooshBackend

        engine = WhooshBackend(str(tmp_path / "contract-index"))
    else:
        from board.extensions import db
        from board.search.backends.postgres import PostgresBackend

        engine = PostgresBackend(db.engine)
    engine.clear()
    yield engine
    close = getattr(engine, "close", None)
    if close is not None:
        close()


POSTS = [
    doc(1, "Izvještaj o radu savjeta", "Godišnji izvještaj o radu savjeta mjesne zajednice."),
    doc(2, "Zapisnik sa sjednice", "Zapisnik sa sjednice savjeta usvojen je jednoglasno."),
    doc(3, "Učešće građana", "Kako povećati učešće građana na zborovima?"),
    doc(4, "Plan čišćenja", "Proljetna akcija čišćenja obale rijeke u subotu."),
    doc(5, "Ostavka predsjednika", "Predsjednik savjeta je podnio ostavku na sjednici."),
    doc(6, "Kvorum", "Kvorum za rad savjeta je većina članova, a za odluke većina prisutnih."),
    doc(7, "Odlučivanje", "Za rad je potreban kvorum; većina odlučuje o svemu ostalom."),
]


def ids(backend, text: str, **query) -> list[str]:
    return [hit.id for hit in backend.search(SearchQuery(text=text, **query)).hits]


@pytest.fixture
def indexed(backend):
    backend.index(POSTS)
    return backend


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("извјештај о раду савјета", "post:1"),  # Cyrillic query, Latin post
        ("izveštaj o radu saveta", "post:1"),  # ekavian query, ijekavian post
        ("ucesce gradjana", "post:3"),  # no diacritics
        ("zapisnika", "post:2"),  # another case of the word
        ("ostavke", "post:5"),
    ],
)
def test_finds_a_post_whatever_the_spelling(indexed, query, expected):
    assert ids(indexed, query)[:1] == [expected]


def test_cyrillic_post_is_found_by_a_latin_query(backend):
    backend.index([doc(8, "Записник", "Записник са сједнице савјета мјесне заједнице.")])
    assert ids(backend, "zapisnik sjednice") == ["post:8"]


def test_phrase_needs_the_words_in_order(indexed):
    found = ids(indexed, '"kvorum za rad"')
    assert found == ["post:6"]
    assert set(ids(indexed, "kvorum rad")) == {"post:6", "post:7"}


def test_excluded_word_removes_posts(indexed):
    assert ids(indexed, "savjeta -zapisnik") and "post:2" not in ids(indexed, "savjeta -zapisnik")
    assert "post:2" in ids(indexed, "savjeta")


def test_or_finds_either_word(indexed):
    assert set(ids(indexed, "ostavku OR čišćenja")) == {"post:4", "post:5"}


def test_prefix_matches_word_beginnings(indexed):
    assert set(ids(indexed, "zapis*")) == {"post:2"}


def test_words_not_all_present_fall_back_to_any_word(indexed):
    page = indexed.search(SearchQuery(text="ostavka rijeka"))
    assert page.relaxed
    assert {h.id for h in page.hits} == {"post:4", "post:5"}


def test_few_posts_with_every_word_are_followed_by_posts_with_most(indexed):
    page = indexed.search(SearchQuery(text="sjednice savjeta usvojen"))
    assert [h.id for h in page.hits][:2] == ["post:2", "post:5"]
    assert not page.relaxed


def test_unknown_word_gets_a_did_you_mean(indexed):
    page = indexed.search(SearchQuery(text="jednoglsno"))
    assert [h.id for h in page.hits] == ["post:2"]
    assert page.suggestion == "jednoglasno"


def test_one_letter_typo_still_finds_the_post(indexed):
    assert "post:2" in ids(indexed, "zapisnk")


def test_stop_word_does_not_match_a_content_word(backend):
    backend.index([doc(9, "Vijeće", "Općinsko vijeće zasjeda."), doc(10, "Već", "Već smo rekli.")])
    assert ids(backend, "vijeće") == ["post:9"]


def test_filters_restrict_results(backend):
    backend.index(
        [
            doc(11, "Budžet", "Budžet za 2025.", category_id=1, author_id=1),
            doc(12, "Budžet", "Budžet za 2024.", category_id=2, author_id=2, solved=True),
            doc(13, "Budžet", "Budžet dokument", type="document", document_id=4, page=1),
        ]
    )
    assert set(ids(backend, "budžet", allowed_category_ids=frozenset({2}))) == {"post:12"}
    assert set(ids(backend, "budžet", category_ids=frozenset({1}))) == {"post:11", "post:13"}
    assert ids(backend, "budžet", author_id=2) == ["post:12"]
    assert ids(backend, "budžet", solved_only=True) == ["post:12"]
    assert ids(backend, "budžet", type="document") == ["post:13"]
    assert ids(backend, "budžet", date_from=date(2025, 3, 13), date_to=date(2025, 3, 13)) == [
        "post:12"
    ]


def test_sort_new_puts_the_latest_first_and_pages(backend):
    backend.index([doc(n, "Sjednica", f"Sjednica broj {n}") for n in range(1, 6)])
    first = backend.search(SearchQuery(text="sjednica", sort="new", per_page=2))
    second = backend.search(SearchQuery(text="sjednica", sort="new", per_page=2, page=2))
    assert first.total == 5
    assert [h.id for h in first.hits + second.hits] == [f"post:{n}" for n in (5, 4, 3, 2)]


def test_accepted_answer_and_title_match_rank_higher(backend):
    backend.index(
        [
            doc(
                14,
                "Pitanje",
                "Obrazac za prijavu se predaje na šalteru.",
                is_first=False,
            ),
            doc(
                15,
                "Pitanje",
                "Obrazac za prijavu je na web stranici općine.",
                is_first=False,
                accepted=True,
            ),
            doc(16, "Obrazac za prijavu", "Pitam gdje je to."),
        ]
    )
    found = ids(backend, "obrazac prijavu")
    assert found.index("post:15") < found.index("post:14")
    assert found[0] == "post:16"


def test_delete_removes_entries_and_ignores_unknown_ids(indexed):
    indexed.delete(["post:2", "post:999"])
    assert ids(indexed, "zapisnik") == []
    assert "post:2" not in indexed.versions()


def test_delete_documents_removes_every_page(backend):
    pages = [
        doc(20 + p, "Statut", f"Statut stranica {p}", type="document", document_id=7, page=p)
        for p in (1, 2, 3)
    ]
    backend.index([*pages, doc(30, "Statut", "Statut MZ u postu")])
    backend.delete_documents([7, 999])
    assert ids(backend, "statut") == ["post:30"]


def test_index_replaces_by_id_and_versions_report_it(indexed):
    indexed.index([doc(4, "Plan sadnje", "Sadnja drveća u parku.", version="v4b")])
    assert ids(indexed, "čišćenja") == []
    assert ids(indexed, "sadnja") == ["post:4"]
    versions = indexed.versions()
    assert versions["post:4"] == "v4b"
    assert len(versions) == len(POSTS)


def test_writes_grouped_in_bulk_all_count_once_it_ends(indexed):
    with indexed.bulk():
        indexed.index([doc(4, "Plan sadnje", "Sadnja drveća u parku.", version="v4b")])
        indexed.index([doc(40 + n, "Budžet", f"Budžet zgrade broj {n}.") for n in range(30)])
        indexed.delete(["post:1"])
    assert ids(indexed, "čišćenja") == []
    assert ids(indexed, "sadnja") == ["post:4"]
    assert indexed.search(SearchQuery(text="budžet zgrade")).total == 30
    versions = indexed.versions()
    assert versions["post:4"] == "v4b" and "post:1" not in versions
    assert len(versions) == len(POSTS) - 1 + 30


def test_clear_empties_the_index(indexed):
    indexed.clear()
    assert indexed.versions() == {}
    assert ids(indexed, "savjeta") == []


def test_snippet_marks_matches_and_escapes_everything_else(backend):
    body = '<script>alert("x")</script> Zapisnik <b>savjeta</b> & <img src=x onerror=alert(1)>'
    backend.index([doc(40, "XSS", body)])
    snippet = backend.search(SearchQuery(text="zapisnik")).hits[0].snippet
    assert "<mark>Zapisnik</mark>" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert "&lt;script&gt;" in snippet


@pytest.mark.parametrize("text", ['"', "-", "OR", "*", '"nezatvoren navod', "a OR", "((", '-""'])
def test_malformed_syntax_is_read_as_words_not_an_error(indexed, text):
    page = indexed.search(SearchQuery(text=text))
    assert page.total >= 0


PRACTICE = [
    doc(21, "Granice mjesne zajednice", "Ulica prelazi u susjednu mjesnu zajednicu."),
    doc(22, "Sjednica MZ", "Savjet MZ zasjeda u petak."),
    doc(23, "Odluka", "Prema čl. 12 st. 2 Odluke (Sl. glasnik 49/06) iznos je 5.000 KM."),
    doc(24, "Učešće", "Građani učestvuju sa 30% troškova."),
    doc(25, "Budžetski prihodi", "Budžetski prihodi i rashodi za 2025."),
    doc(26, "Kutija za prijedloge", "Kutija za prijedloge mještana stoji ispred doma."),
    doc(27, "Zbor građana", "Kako sazvati zbor građana u mjesnoj zajednici."),
    doc(28, "Pjevački zbor", "Kako upisati dijete u dječiji zbor i koliko košta."),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("MZ granice", "post:21"),  # an abbreviation for what the post spells out
        ("sjednica mjesne zajednice", "post:22"),  # the long form for the abbreviation
        ("član 12. stav 2", "post:23"),  # citation words written out
        ('"članom 12"', "post:23"),  # ... in a phrase, too
        ("Službeni glasnik 49/2006", "post:23"),  # a gazette number with a four-digit year
        ("5000 KM", "post:23"),  # thousands without the dot
        ("30 posto troškova", "post:24"),  # per cent written out
        ("budžet prihodi", "post:25"),  # a derived word
        ("sandučić za prijedloge", "post:26"),  # a synonym
    ],
)
def test_abbreviations_citations_derivations_and_synonyms(backend, query, expected):
    backend.index(PRACTICE)
    assert ids(backend, query)[:1] == [expected]


def test_question_words_do_not_decide_the_ranking(backend):
    """``kako`` and ``koliko`` frame the question; ``zbor građana`` is what it is about."""
    backend.index(PRACTICE)
    assert ids(backend, "kako i koliko treba za zbor građana")[:1] == ["post:27"]


def test_quoting_a_word_ranks_below_saying_it(backend):
    """A reply that quotes the question is found, but the post that says it comes first."""
    backend.index(
        [
            doc(
                30,
                "Pitanje",
                "Slažem se, i mi bismo to voljeli znati.",
                quoted="Kako se računa kvorum na zboru građana?",
                is_first=False,
            ),
            doc(
                31,
                "Pitanje",
                "Kvorum se računa od broja upisanih birača u mjesnoj zajednici.",
                is_first=False,
            ),
        ]
    )
    assert ids(backend, "kvorum") == ["post:31", "post:30"]
    assert ids(backend, '"zboru građana"') == ["post:30"]  # a quoted phrase is still found


def test_snippet_prefers_the_posts_own_words_to_what_it_quotes(backend):
    backend.index(
        [
            doc(
                32,
                "Budžet",
                "Na zboru smo usvojili budžet za rasvjetu i asfaltiranje puta.",
                quoted="Ko zna kako se pravi budžet mjesne zajednice za iduću godinu?",
                is_first=False,
            ),
            doc(33, "Budžet", "Hvala na odgovoru.", quoted="Budžet za rasvjetu je usvojen."),
        ]
    )
    hits = {h.id: h.snippet for h in backend.search(SearchQuery(text="budžet")).hits}
    assert "rasvjetu i asfaltiranje" in hits["post:32"] and "Ko zna" not in hits["post:32"]
    assert "<mark>Budžet</mark> za rasvjetu" in hits["post:33"]  # only the quote has it
