"""The search box's query language: what users type is understood, and nothing breaks it."""

from __future__ import annotations

import json

import pytest

from board.search.syntax import Item, parse
from tests import hostile
from tests.conftest import CORPUS, HAVE_CORPUS


def test_words_must_all_match():
    assert parse("zapisnik sjednice").groups == [
        [Item("word", "zapisnik")],
        [Item("word", "sjednice")],
    ]


def test_quoted_text_is_a_phrase():
    parsed = parse('"kvorum za rad" savjet')
    assert parsed.groups == [[Item("phrase", "kvorum za rad")], [Item("word", "savjet")]]


def test_minus_excludes_words_and_phrases():
    parsed = parse('savjet -zapisnik -"javna rasprava"')
    assert parsed.groups == [[Item("word", "savjet")]]
    assert parsed.excluded == [Item("word", "zapisnik"), Item("phrase", "javna rasprava")]


def test_or_joins_neighbours_into_one_group():
    parsed = parse("ostavka OR ostavku sjednica")
    assert parsed.groups == [
        [Item("word", "ostavka"), Item("word", "ostavku")],
        [Item("word", "sjednica")],
    ]


def test_star_at_the_end_is_a_prefix():
    assert parse("zapis*").groups == [[Item("prefix", "zapis")]]


def test_hyphen_inside_a_word_is_not_an_exclusion():
    assert parse("žiro-račun").groups == [[Item("word", "žiro-račun")]]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ('"kvorum za rad', [["kvorum"], ["za"], ["rad"]]),  # unbalanced quote
        ('kvorum "za" rad"', [["kvorum"], ["za"], ["rad"]]),
        ("savjet - sjednica", [["savjet"], ["sjednica"]]),  # lone minus
        ("* zapisnik *", [["zapisnik"]]),  # stray stars
        ("z*", [["z"]]),  # too short for a prefix: a word
        ("za*pis", [["za pis"]]),  # star inside a word
        ("OR savjet OR", [["savjet"]]),  # dangling OR
        ("-zapisnik", [["zapisnik"]]),  # only exclusions: read as words
        ("!!! ??? ...", []),
        ("", []),
    ],
)
def test_malformed_syntax_reads_as_plain_words(text, groups):
    assert [[item.text for item in group] for group in parse(text).groups] == groups


def test_empty_and_none_are_empty():
    assert parse(None).empty and parse("   ").empty


def _hostile_strings() -> list[str]:
    strings = list(hostile.STRINGS)
    if not HAVE_CORPUS:
        return strings
    strings += json.loads((CORPUS / "naughty" / "blns.json").read_text(encoding="utf-8"))
    for folder in ("xss", "sqli"):
        for path in sorted((CORPUS / folder).glob("*.txt")):
            strings += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return strings


def test_no_string_from_the_naughty_lists_raises():
    strings = _hostile_strings()
    assert len(strings) > (500 if HAVE_CORPUS else 50)
    for text in strings:
        parsed = parse(text)
        for item in [i for g in parsed.groups for i in g] + parsed.excluded:
            assert item.kind in {"word", "phrase", "prefix"} and item.text


def test_very_long_input_is_cut():
    parsed = parse("riječ " * 10_000)
    assert 0 < len(parsed.groups) <= 32
