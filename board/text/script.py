"""Cyrillic <-> Latin transliteration for Bosnian, Croatian and Serbian.

The two BCS alphabets map letter for letter (Вук Караџић's Cyrillic and Gaj's Latin), except
that three Latin letters are written as two characters: ``lj`` (љ), ``nj`` (њ) and ``dž`` (џ).
Cyrillic -> Latin is therefore exact. Latin -> Cyrillic has to read those digraphs, and a
few words join a prefix to a stem across them (``nadživjeti`` is над+живјети, not на+џ…,
``injekcija`` is ин+јекција); those are kept apart by a short exception list.

``dj`` is read as д+ј, never as ђ: in correctly written Latin đ is its own letter, and
``dj`` is usually a real d+j (``djeca`` = дјеца, ``odjel`` = одјел). Search does not rely on
Latin -> Cyrillic at all (it folds everything to Latin); this direction is for display.
"""

from __future__ import annotations

import re

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

# Word beginnings where a digraph is really two letters: a prefix ending in d or n
# meets a stem starting with ž or j. Lower case, matched at the start of a word.
_SPLIT_DIGRAPH_STEMS = (
    "nadž", "odž", "podž", "predž", "injek", "konjug", "konjunk", "vanjezi", "tanjug",
)  # fmt: skip

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def has_cyrillic(text: str) -> bool:
    """True when any character of ``text`` is Cyrillic."""
    return bool(_CYRILLIC.search(text))


def _cased(latin: str, upper: bool, whole_word_upper: bool) -> str:
    if not upper:
        return latin
    return latin.upper() if whole_word_upper else latin[:1].upper() + latin[1:]


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Cyrillic to BCS Latin; other characters pass through unchanged.

    Capitals keep their case: ``Љубљана`` -> ``Ljubljana``, ``ЉУБЉАНА`` -> ``LJUBLJANA``.
    """
    if not has_cyrillic(text):
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        latin = _CYR_TO_LAT.get(low)
        if latin is None:
            out.append(ch)
            continue
        upper = ch != low
        neighbour_upper = any(
            0 <= j < len(text) and text[j].isupper() for j in (i - 1, i + 1)
        ) and not any(0 <= j < len(text) and text[j].islower() for j in (i - 1, i + 1))
        out.append(_cased(latin, upper, neighbour_upper))
    return "".join(out)


def _split_digraph_at(low: str) -> int:
    """Index of the digraph that a prefix boundary splits in this word, or -1."""
    for stem in _SPLIT_DIGRAPH_STEMS:
        if low.startswith(stem):
            return min(i for i in (stem.find(d) for d in _LAT_DIGRAPHS) if i >= 0)
    return -1


def _word_to_cyrillic(word: str) -> str:
    low = word.lower()
    split_at = _split_digraph_at(low)
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = low[i : i + 2]
        if pair in _LAT_DIGRAPHS and i != split_at:
            cyr = _LAT_DIGRAPHS[pair]
            out.append(cyr.upper() if word[i].isupper() else cyr)
            i += 2
            continue
        cyr = _LAT_TO_CYR.get(low[i])
        if cyr is None:
            out.append(word[i])
        else:
            out.append(cyr.upper() if word[i].isupper() else cyr)
        i += 1
    return "".join(out)


def latin_to_cyrillic(text: str) -> str:
    """Transliterate BCS Latin to Serbian Cyrillic, reading ``lj``/``nj``/``dž`` as one letter.

    Words with letters outside the BCS alphabet (``x``, ``q``, ``w``, ``y``: foreign names,
    URLs, brands) are left in Latin rather than half-converted.
    """

    def convert(match: re.Match[str]) -> str:
        word = match.group(0)
        if any(ch.lower() in "xqwy" for ch in word):
            return word
        return _word_to_cyrillic(word)

    return _LATIN_WORD.sub(convert, text)
