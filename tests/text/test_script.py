"""Transliteration for the reader's script: right for BCS, and never damaging what must stay."""

from __future__ import annotations

import re

import pytest

from board.text.script import (
    cyrillic_to_latin,
    html_to_script,
    latin_to_cyrillic,
    to_script,
)
from tests.conftest import CORPUS

BCS = CORPUS / "bcs"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("ljudi njiva džep Ljubljana LJUBLJANA NJEGOŠ Džemal", "људи њива џеп Љубљана ЉУБЉАНА ЊЕГОШ Џемал"),
        ("nadživjeti nadživeti podžupan odžaliti", "надживјети надживети поджупан оджалити"),
        ("injekcija injekcije konjugacija konjunkcija Tanjug vanjezički", "инјекција инјекције конјугација конјункција Танјуг ванјезички"),
        ("neinjektivan", "неинјективан"),
        ("odžak hodža narudžba", "оџак хоџа наруџба"),  # real џ, not a boundary
        ("djeca odjel", "дјеца одјел"),
        ("Općinsko vijeće MZ Ilidža", "Опћинско вијеће МЗ Илиџа"),
    ],
)  # fmt: skip
def test_digraphs_and_the_listed_morpheme_boundaries(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    "kept",
    [
        "https://mreza.ba/t/12?lj=nj",
        "www.opcina-centar.ba",
        "info@mz-ilidza.ba",
        "@marko_njegos",
        "odluka_o_budzetu.pdf",
        "`nj = lj`",
        "PDF",
        "Word",
        "e-mail",
        "Wi-Fi",
        "Schumacher",
    ],
)
def test_what_must_stay_latin_stays_latin_in_latin_text(kept):
    converted = latin_to_cyrillic(f"Pogledajte {kept} danas")
    assert converted == f"Погледајте {kept} данас"


def test_latin_words_inside_cyrillic_text_are_left_as_written():
    text = "Извјештај UNDP о пројекту, послат као PDF и Word на e-mail."
    assert latin_to_cyrillic(text) == text


def test_roman_numerals_stay_latin_and_units_change_script():
    assert (
        latin_to_cyrillic("Put od 5 km u XXI vijeku, II dio") == "Пут од 5 км у XXI вијеку, II дио"
    )


def test_all_capital_heading_is_converted_whole():
    assert latin_to_cyrillic("ODLUKA O BUDŽETU MZ ZA 2024.") == "ОДЛУКА О БУЏЕТУ МЗ ЗА 2024."


def test_to_script_as_written_changes_nothing():
    assert to_script("Mjesna zajednica / Мјесна заједница", "as_written") == (
        "Mjesna zajednica / Мјесна заједница"
    )


def test_html_markup_attributes_entities_and_code_are_never_changed():
    html = (
        '<p>Ljubljana &amp; <a href="https://x.ba/lj" rel="nofollow ugc noopener" '
        'title="nj">njiva</a> &lt;lj&gt; <code>dž = nj</code></p>'
        "<pre><code>lj = nj\n</code></pre><blockquote><p>kraj</p></blockquote>"
    )
    assert html_to_script(html, "cyrillic") == (
        '<p>Љубљана &amp; <a href="https://x.ba/lj" rel="nofollow ugc noopener" '
        'title="nj">њива</a> &lt;љ&gt; <code>dž = nj</code></p>'
        "<pre><code>lj = nj\n</code></pre><blockquote><p>крај</p></blockquote>"
    )
    cyrillic = '<p class="x">Извештај <code>код</code> <mark>Љубљана</mark></p>'
    assert html_to_script(cyrillic, "latin") == (
        '<p class="x">Izveštaj <code>код</code> <mark>Ljubljana</mark></p>'
    )


def test_highlight_marks_surround_the_same_words_after_transliteration():
    snippet = "… sazivanje <mark>zbora</mark> građana u <mark>mjesnoj</mark> zajednici …"
    assert html_to_script(snippet, "cyrillic") == (
        "… сазивање <mark>збора</mark> грађана у <mark>мјесној</mark> заједници …"
    )


# --- The BCS treebank and web sentences: Cyrillic -> Latin -> Cyrillic --------------------


def _ud_sentences(path) -> list[str]:
    """Sentences rebuilt from a CoNLL-U file's word forms (the Cyrillic file's text is Latin)."""
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            if words:
                sentences.append("".join(words).strip())
                words = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        words.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
    return sentences


def _explained(original: str, back: str) -> bool:
    """Every word that differs is one deliberately left in Latin (a foreign name, a numeral)."""
    a, b = re.findall(r"\w+", original), re.findall(r"\w+", back)
    if len(a) != len(b):
        return False
    return all(x == y or (cyrillic_to_latin(x) == y) for x, y in zip(a, b, strict=True))


def _round_trip_failures(sentences: list[str]) -> tuple[list[str], list[str]]:
    unexplained, explained = [], []
    for sentence in sentences:
        back = latin_to_cyrillic(cyrillic_to_latin(sentence))
        if back != sentence:
            (explained if _explained(sentence, back) else unexplained).append(sentence)
    return unexplained, explained


@pytest.mark.skipif(not (BCS / "ud").is_dir(), reason="BCS treebank not in ../shared/corpus")
def test_treebank_sentences_round_trip_cyrillic_latin_cyrillic():
    """Serbian UD sentences without Latin words: every letter sequence survives (lj/nj/dž).

    The only differences allowed are words the Latin rendering keeps Latin on the way back
    (Roman numerals written ИИ by the treebank's machine transliteration, abbreviations
    with doubled letters): see the report for the count. Sentences quoting English in
    Latin cannot round-trip: once all of it is Latin, nothing marks the English words.
    """
    sentences = _ud_sentences(BCS / "ud" / "sr_set-ud-dev.cyrillic.conllu")
    pure = [s for s in sentences if not re.search(r"[A-Za-z]", s)]
    assert len(pure) > 500
    unexplained, explained = _round_trip_failures(pure)
    assert unexplained == []
    assert len(explained) <= 10, explained


@pytest.mark.skipif(not (BCS / "ud").is_dir(), reason="BCS treebank not in ../shared/corpus")
def test_treebank_latin_sentences_become_the_treebanks_cyrillic():
    latin = _ud_sentences(BCS / "ud" / "sr_set-ud-dev.conllu")
    cyrillic = {
        cyrillic_to_latin(s): s for s in _ud_sentences(BCS / "ud" / "sr_set-ud-dev.cyrillic.conllu")
    }
    pairs = [
        (s, cyrillic[s]) for s in latin if s in cyrillic and not re.search(r"[A-Za-z]", cyrillic[s])
    ]
    assert len(pairs) > 500
    wrong = [
        c for s, c in pairs if latin_to_cyrillic(s) != c and not _explained(c, latin_to_cyrillic(s))
    ]
    assert wrong == []


@pytest.mark.skipif(not (BCS / "lingua").is_dir(), reason="BCS sentences not in ../shared/corpus")
def test_web_sentences_in_pure_cyrillic_round_trip():
    """1000 Serbian web sentences; those with no Latin letters must come back, letter for letter.

    Allowed, and listed in the report: foreign names spelt letter by letter in Cyrillic
    (Роммел, Цхао, Стронњицтво come back Latin because of their mm/ch/nn), and text inside
    Wikipedia's "do not convert" markup -{…}-, which stays as the Latin it was given.
    """
    lines = (BCS / "lingua" / "sr-sentences.txt").read_text(encoding="utf-8").splitlines()
    pure = [s for s in lines if s.strip() and not re.search(r"[A-Za-z]", s)]
    assert len(pure) > 700
    unexplained, explained = _round_trip_failures(pure)
    assert unexplained == []
    assert len(explained) <= 5, explained


@pytest.mark.skipif(not (BCS / "lingua").is_dir(), reason="BCS sentences not in ../shared/corpus")
@pytest.mark.parametrize("name", ["bs-sentences.txt", "hr-sentences.txt"])
def test_latin_web_sentences_survive_a_trip_through_cyrillic(name):
    """A Latin post shown in Cyrillic reads back to exactly what was written (1000 each)."""
    lines = [s for s in (BCS / "lingua" / name).read_text(encoding="utf-8").splitlines() if s]
    assert [s for s in lines if cyrillic_to_latin(latin_to_cyrillic(s)) != s] == []
