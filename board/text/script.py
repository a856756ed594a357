"""Cyrillic <-> Latin transliteration for Bosnian, Croatian and Serbian.

The two BCS alphabets map letter for letter (Вук Караџић's Cyrillic and Gaj's Latin), except
that three Latin letters are written as two characters: ``lj`` (љ), ``nj`` (њ) and ``dž`` (џ).
Cyrillic -> Latin is therefore exact. Latin -> Cyrillic has to read those digraphs, and a
few words join a prefix to a stem across them (``nadživjeti`` is над+живјети, not на+џ…,
``injekcija`` is ин+јекција); those are kept apart by a word list in
``data/digraph_exceptions.txt``.

``dj`` is read as д+ј, never as ђ: in correctly written Latin đ is its own letter, and
``dj`` is usually a real d+j (``djeca`` = дјеца, ``odjel`` = одјел).

Latin -> Cyrillic leaves alone what must stay Latin: URLs, e-mail addresses, ``@handles``,
file names, code in backticks, words with letters outside the BCS alphabet (``Wi-Fi``),
foreign words and formats from ``data/latin_words.txt`` (``Word``, ``e-mail``, ``PDF``),
words with letter pairs BCS does not write (``Schumacher``, ``Russell``) and Roman
numerals (``II``, ``XXI``). Text that is mostly Cyrillic already keeps every
Latin word (``UNDP``, ``Word`` in a Cyrillic post): its author chose Latin for them.
Search does not rely on this direction (it folds everything to Latin); it is for display.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data")

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    # Letters of neighbouring Cyrillic orthographies that turn up in pasted text.
    "ѓ": "đ", "ќ": "ć", "ѕ": "dz", "й": "j", "ї": "ji", "і": "i", "є": "je", "ё": "jo",
    "я": "ja", "ю": "ju", "ы": "y", "э": "e", "щ": "šč", "ь": "", "ъ": "",
}  # fmt: skip

_LAT_DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
_LAT_TO_CYR = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "đ": "ђ", "e": "е", "ž": "ж",
    "z": "з", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "п", "r": "р", "s": "с", "t": "т", "ć": "ћ", "u": "у", "f": "ф", "h": "х",
    "c": "ц", "č": "ч", "š": "ш",
}  # fmt: skip


def _table(mapping: dict[str, str]) -> dict[int, str]:
    table = {}
    for src, dst in mapping.items():
        table[ord(src)] = dst
        if src.upper() != src:
            table[ord(src.upper())] = dst[:1].upper() + dst[1:]
    return table


_CYR_TABLE = _table(_CYR_TO_LAT)
_LAT_TABLE = _table(_LAT_TO_CYR)
_BCS_LATIN = frozenset(_LAT_TO_CYR) | {ch.upper() for ch in _LAT_TO_CYR}
# Digraphs first (str.replace runs in C), then the single letters by str.translate.
_LAT_DIGRAPH_CASES = (
    ("lj", "љ"), ("Lj", "Љ"), ("LJ", "Љ"), ("nj", "њ"), ("Nj", "Њ"), ("NJ", "Њ"),
    ("dž", "џ"), ("Dž", "Џ"), ("DŽ", "Џ"),
)  # fmt: skip

_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]+")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
# An all-capital Cyrillic digraph letter next to another capital is written all-capital too.
_CYR_UPPER_DIGRAPH = re.compile(r"[ЉЊЏ](?:(?<=[\u0400-\u042f].)|(?=[\u0400-\u042f]))")
_CYR_UPPER_LATIN = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}


def _lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _load_split_stems() -> dict[str, int]:
    """Word beginning (lower case) -> index of the first letter after the morpheme boundary."""
    stems = {}
    for entry in _lines("digraph_exceptions.txt"):
        head, _, tail = entry.partition("|")
        for prefix in ("", "ne", "naj", "pre"):
            stems[prefix + head + tail] = len(prefix + head)
    return stems


_SPLIT_STEMS = _load_split_stems()
_SPLIT_LENGTHS = sorted({len(stem) for stem in _SPLIT_STEMS}, reverse=True)
_LATIN_WORDS = frozenset(word.lower() for word in _lines("latin_words.txt"))

# Set apart before converting; each pattern runs only when its trigger is in the text.
_STRUCTURE = (
    ("`", re.compile(r"`[^`\n]*`")),  # code span written in plain text
    ("-{", re.compile(r"-\{[^{}\n]*\}-")),  # Wikipedia's "do not convert" markup
    ("://", re.compile(r"(?:https?|ftp)://[^\s<>\"'\x00\x01]+")),  # URL
    ("www.", re.compile(r"(?<![\w.])www\.[^\s<>\"'\x00\x01]+")),
    ("&", re.compile(r"&#?\w+;")),  # an HTML entity
    ("--", re.compile(r"--[a-z][\w-]*(?: [A-Z][A-Z_]+\b)?")),  # --association SLUG
    ("@", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@\w[\w.-]*\w")),  # e-mail, @handle
)
# A file or host name (odluka.pdf, mreza.ba): found from its extension, then read back.
_EXTENSION = re.compile(r"\.[a-z][a-z0-9]{1,4}\b")
_NAME_BEFORE = re.compile(r"[\w-]+(?:\.[\w-]+)*$")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Letter pairs no BCS word writes (neophodan has ph, kocka ck, prethodni th: not these).
_FOREIGN_PAIRS = re.compile(r"ch|gh|ll|ss|ff|pp|rr|nn|mm|cc", re.IGNORECASE)
# Roman numerals without X (those with X stay Latin anyway); CD, MI, LI are BCS words too.
_ROMAN = re.compile(r"VIII|VII|VI|IV|IX|III|II")


def has_cyrillic(text: str) -> bool:
    """True when any character of ``text`` is Cyrillic."""
    return bool(_CYRILLIC_RUN.search(text))


def _letters(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def mostly_cyrillic(text: str) -> bool:
    """True when ``text`` has more Cyrillic than Latin letters (its Latin words are deliberate)."""
    if not has_cyrillic(text):
        return False
    cyrillic = _letters(_CYRILLIC_RUN, text)
    return cyrillic > 0 and cyrillic >= _letters(_LATIN_RUN, text)


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Cyrillic to BCS Latin; other characters pass through unchanged.

    Capitals keep their case: ``Љубљана`` -> ``Ljubljana``, ``ЉУБЉАНА`` -> ``LJUBLJANA``.
    """
    if not has_cyrillic(text):
        return text
    text = _CYR_UPPER_DIGRAPH.sub(lambda m: _CYR_UPPER_LATIN[m.group(0)], text)
    return text.translate(_CYR_TABLE)


def _split_at(low: str) -> int:
    """Index where a listed morpheme boundary cuts a digraph in this word, or -1."""
    for length in _SPLIT_LENGTHS:
        at = _SPLIT_STEMS.get(low[:length]) if length <= len(low) else None
        if at is not None:
            return at
    return -1


def _run_to_cyrillic(text: str) -> str:
    """Running Latin text with nothing special in it: digraphs, then letter for letter."""
    for latin, cyrillic in _LAT_DIGRAPH_CASES:
        if latin in text:
            text = text.replace(latin, cyrillic)
    return text.translate(_LAT_TABLE)


@lru_cache(maxsize=4096)
def _word_to_cyrillic(word: str) -> str:
    """One word, honouring a listed morpheme boundary inside a digraph (nad|živjeti)."""
    low = word.lower()
    split = _split_at(low)
    if split < 1:
        return _run_to_cyrillic(word)
    return _run_to_cyrillic(word[:split]) + _run_to_cyrillic(word[split:])


_KINDS: dict[str, str | None] = {}  # word -> _word_kind(word); bounded below


def _word_kind(word: str) -> str | None:
    """How a Latin word is shown in Cyrillic: None = as running text, or keep/split/roman."""
    low = word.lower()
    if low in _LATIN_WORDS or any(part in _LATIN_WORDS for part in low.split("-")):
        return "keep"  # Word, e-mail, Facebook-u
    if any(ch not in _BCS_LATIN for ch in word if ch != "-"):
        return "keep"  # x, q, w, y, ä, é…: a foreign word
    if _FOREIGN_PAIRS.search(word) and not word.isupper():
        return "keep"  # Schumacher, Russell; an abbreviation may double a letter (MMF)
    if _ROMAN.fullmatch(word):
        return "roman"
    if _split_at(low) > 0:
        return "split"
    return None


def _spans(text: str, mixed_case: bool) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for everything not converted as running text, in order."""
    found = [
        (m.start(), m.end(), m.group(0))
        for trigger, pattern in _STRUCTURE
        if trigger in text
        for m in pattern.finditer(text)
    ]
    for m in _EXTENSION.finditer(text):
        name = _NAME_BEFORE.search(text, max(0, m.start() - 100), m.start())
        if name:
            found.append((name.start(), m.end(), text[name.start() : m.end()]))
    special = {}
    known = _KINDS.get
    if len(_KINDS) > 100_000:
        _KINDS.clear()
    for word in set(_WORD.findall(text)):
        kind = known(word, "")
        if kind == "":
            kind = _KINDS[word] = _word_kind(word)
        if kind is None:
            continue
        if kind == "split":
            special[word] = _word_to_cyrillic(word)
        elif kind == "keep" or (kind == "roman" and mixed_case):
            special[word] = word
    if special:  # rare: find where those words stand
        alternatives = "|".join(map(re.escape, sorted(special, key=len, reverse=True)))
        pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        found += [(m.start(), m.end(), special[m.group(0)]) for m in pattern.finditer(text)]
    found.sort(key=lambda span: (span[0], -span[1]))
    spans, end = [], 0
    for span in found:
        if span[0] >= end:  # an e-mail address wins over the words inside it
            spans.append(span)
            end = span[1]
    return spans


def _convert(text: str, mixed_case: bool) -> str:
    """Convert everything between the special spans at once, and put the spans back."""
    spans = _spans(text, mixed_case)
    if not spans:
        return _run_to_cyrillic(text)
    gaps, start = [], 0
    for begin, end, _ in spans:
        gaps.append(text[start:begin])
        start = end
    gaps.append(text[start:])
    converted = _run_to_cyrillic("\x01".join(gaps)).split("\x01")  # \x00 is the caller's
    out = [converted[0]]
    for (_, _, replacement), gap in zip(spans, converted[1:], strict=True):
        out.append(replacement)
        out.append(gap)
    return "".join(out)


def latin_to_cyrillic(text: str, *, context: str | None = None) -> str:
    """Transliterate BCS Latin to Serbian Cyrillic, reading ``lj``/``nj``/``dž`` as one letter.

    ``context`` is the whole text this piece belongs to: when it is mostly Cyrillic, its
    Latin words stay; when it has no lower-case letters (an all-capital heading), capital
    words are not read as Roman numerals.
    """
    whole = text if context is None else context
    if not _LATIN_RUN.search(text) or mostly_cyrillic(whole):
        return text
    return _convert(text, mixed_case=whole != whole.upper())


@lru_cache(maxsize=8192)
def to_script(text: str, script: str) -> str:
    """``text`` in the reader's script: ``latin``, ``cyrillic``, or anything else = as written.

    Cached: the same titles and names come back on every page view.
    """
    if script == "latin":
        return cyrillic_to_latin(text)
    if script == "cyrillic":
        return latin_to_cyrillic(text)
    return text


_VERBATIM_BLOCK = re.compile(
    r"<(pre|code|kbd|samp|script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL
)


@lru_cache(maxsize=4096)
def html_to_script(html: str, script: str) -> str:
    """Transliterate the text of trusted (sanitised) HTML; tags, entities and code stay.

    Tags and code are set apart before anything is converted, so a tag or attribute can
    never be damaged, and ``<mark>`` around a search hit still surrounds the same word.
    Cached by content: a post's HTML is converted once per script, not once per view.
    """
    if script == "latin":
        if not has_cyrillic(html):
            return html
        return _convert_outside_markup(html, cyrillic_to_latin)
    if script != "cyrillic" or not _LATIN_RUN.search(html):
        return html
    text = _VERBATIM_BLOCK.sub(" ", html)
    if mostly_cyrillic(text):
        return html
    mixed_case = text != text.upper()
    return _convert_outside_markup(html, lambda joined: _convert(joined, mixed_case))


def _convert_outside_markup(html: str, convert) -> str:
    """Apply ``convert`` once to all text outside tags and code blocks, then reassemble."""
    gaps: list[str] = []
    kept: list[str] = []
    start = 0
    for match in _VERBATIM_BLOCK.finditer(html):
        gaps.append(html[start : match.start()])
        kept.append(match.group(0))
        start = match.end()
    gaps.append(html[start:])
    converted = convert("\x00".join(gaps)).split("\x00")
    out = [converted[0]]
    for piece, gap in zip(kept, converted[1:], strict=True):
        out.append(piece)
        out.append(gap)
    return "".join(out)
