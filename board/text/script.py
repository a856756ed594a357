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

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# An all-capital Cyrillic digraph letter next to another capital is written all-capital too.
_CYR_UPPER_DIGRAPH = re.compile(
    r"(?<=[\u0400-\u042f])[ЉЊЏ]|[ЉЊЏ](?=[\u0400-\u042f])"
)  # fmt: skip
_CYR_UPPER_LATIN = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}

# What Latin -> Cyrillic never touches, tried in this order at each point of the text.
_KEEP = (
    r"`[^`\n]*`"  # code span written in plain text
    r"|-\{[^{}\n]*\}-"  # Wikipedia's "do not convert" markup, carried by pasted text
    r"|(?:https?://|ftp://|www\.)[^\s<>\"']+"  # URL
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|(?<![\w@])@\w[\w.-]*\w"  # @handle
    r"|[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{1,4}\b"  # file or host name (odluka.pdf, mreza.ba)
)
_LATIN_TOKEN = re.compile(rf"(?P<keep>{_KEEP})|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)", re.IGNORECASE)
# Letter pairs no BCS word writes (neophodan has ph, kocka ck, prethodni th: not these).
_FOREIGN_PAIRS = re.compile(r"ch|gh|ll|ss|ff|pp|rr|nn|mm|cc", re.IGNORECASE)
# Roman numerals without X (those with X stay Latin anyway); CD, MI, LI are BCS words too.
_ROMAN = re.compile(r"I{2,3}|IV|VI{1,3}|IX")


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


def has_cyrillic(text: str) -> bool:
    """True when any character of ``text`` is Cyrillic."""
    return bool(_CYRILLIC.search(text))


def mostly_cyrillic(text: str) -> bool:
    """True when ``text`` has more Cyrillic than Latin letters (its Latin words are deliberate)."""
    cyrillic = len(_CYRILLIC.findall(text))
    return cyrillic > 0 and cyrillic >= len(_LATIN_LETTER.findall(text))


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


@lru_cache(maxsize=8192)
def _word_to_cyrillic(word: str) -> str:
    low = word.lower()
    if "lj" not in low and "nj" not in low and "dž" not in low:
        return word.translate(_LAT_TABLE)
    split = _split_at(low)
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = low[i : i + 2]
        if pair in _LAT_DIGRAPHS and i + 1 != split:
            cyr = _LAT_DIGRAPHS[pair]
            out.append(cyr.upper() if word[i].isupper() else cyr)
            i += 2
            continue
        out.append(word[i].translate(_LAT_TABLE))
        i += 1
    return "".join(out)


def _stays_latin(word: str, mixed_case_text: bool) -> bool:
    if any(ch not in _BCS_LATIN for ch in word if ch != "-"):
        return True  # x, q, w, y, ä, é…: a foreign word
    low = word.lower()
    if low in _LATIN_WORDS or any(part in _LATIN_WORDS for part in low.split("-")):
        return True  # Facebook-u, e-mail
    if any(_FOREIGN_PAIRS.search(part) for part in word.split("-") if not part.isupper()):
        return True  # Schumacher, Russell; an abbreviation (MMF) may double a letter
    # In an all-capital heading VI is "you"; in running text it is six.
    return mixed_case_text and _ROMAN.fullmatch(word) is not None


def _to_cyrillic(text: str, mixed_case_text: bool) -> str:
    def convert(match: re.Match[str]) -> str:
        word = match.group("word")
        if word is None or _stays_latin(word, mixed_case_text):
            return match.group(0)
        return _word_to_cyrillic(word)

    return _LATIN_TOKEN.sub(convert, text)


def latin_to_cyrillic(text: str, *, context: str | None = None) -> str:
    """Transliterate BCS Latin to Serbian Cyrillic, reading ``lj``/``nj``/``dž`` as one letter.

    ``context`` is the whole text this piece belongs to (a post, when converting one HTML
    text node at a time): when it is mostly Cyrillic, or has no lower-case letters (an
    all-capital heading is not a row of abbreviations), that decides for the piece.
    """
    whole = text if context is None else context
    if mostly_cyrillic(whole):
        return text
    return _to_cyrillic(text, mixed_case_text=whole != whole.upper())


def to_script(text: str, script: str) -> str:
    """``text`` in the reader's script: ``latin``, ``cyrillic``, or anything else = as written."""
    if script == "latin":
        return cyrillic_to_latin(text)
    if script == "cyrillic":
        return latin_to_cyrillic(text)
    return text


# Sanitised HTML splits into tags, entities and text; only text outside code is converted.
_HTML_PIECE = re.compile(r"(<[^>]*>|&#?\w+;)")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
_VERBATIM_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style"})


def html_to_script(html: str, script: str) -> str:
    """Transliterate the text nodes of trusted (sanitised) HTML; markup and code stay as they are.

    Converting text node by text node means a tag or attribute can never be damaged, and
    ``<mark>`` around a search hit still surrounds the same word afterwards.
    """
    if script == "latin":
        if not has_cyrillic(html):
            return html
        convert = cyrillic_to_latin
    elif script == "cyrillic":
        text = _HTML_PIECE.sub(" ", html)
        if mostly_cyrillic(text) or not _LATIN_LETTER.search(text):
            return html
        mixed_case = text != text.upper()

        def convert(piece: str) -> str:
            return _to_cyrillic(piece, mixed_case)
    else:
        return html
    pieces = _HTML_PIECE.split(html)
    verbatim = 0
    for i, piece in enumerate(pieces):
        if i % 2:
            name = _TAG_NAME.match(piece)
            if name and name.group(1).lower() in _VERBATIM_TAGS and not piece.endswith("/>"):
                verbatim = max(0, verbatim + (-1 if piece.startswith("</") else 1))
        elif piece and not verbatim:
            pieces[i] = convert(piece)
    return "".join(pieces)
