"""Hostile strings: the suite's own (``tests/hostile.py``, always) plus those of
../shared/corpus, read in place (never copied into the repo) when it is present.

Without the corpus the corpus-only helpers return nothing and the tests that need them
are marked ``corpus`` (skipped with one reason, see ``tests/conftest.py``)."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache

from tests import hostile
from tests.conftest import CORPUS, HAVE_CORPUS

_CASE = re.compile(r"^\.\n(.*?)^\.\n(.*?)^\.$", re.M | re.S)


@lru_cache(maxsize=1)
def naughty() -> tuple[str, ...]:
    """The Big List of Naughty Strings (empty without the corpus)."""
    if not HAVE_CORPUS:
        return ()
    return tuple(json.loads((CORPUS / "naughty" / "blns.json").read_text(encoding="utf-8")))


@cache
def xss(name: str) -> tuple[str, ...]:
    """Non-empty lines of one file in corpus/xss/ (empty without the corpus)."""
    if not HAVE_CORPUS:
        return ()
    text = (CORPUS / "xss" / name).read_text(encoding="utf-8", errors="replace")
    return tuple(line for line in text.splitlines() if line.strip())


def xss_files() -> list[str]:
    return sorted(p.name for p in (CORPUS / "xss").glob("*.txt"))


def all_xss() -> tuple[str, ...]:
    return tuple(line for name in xss_files() for line in xss(name))


def everything() -> tuple[str, ...]:
    """Our own hostile strings, every naughty string and every XSS line, in a stable order."""
    return hostile.STRINGS + naughty() + all_xss()


def representative() -> tuple[str, ...]:
    """What goes through the slow paths one by one: every naughty string, every line of
    the small XSS files, and every 50th line of the large payload list."""
    large = "payloadbox-xss-payload-list.txt"
    small = tuple(line for name in xss_files() if name != large for line in xss(name))
    return hostile.STRINGS + naughty() + small + xss(large)[::50]


def polyglots() -> tuple[str, ...]:
    """Payloads meant to break out of any context: ours and the corpus's."""
    return hostile.POLYGLOTS + hostile.XSS + xss("xss-polyglots.txt")


def markdown_it_cases() -> list[tuple[str, str]]:
    """(input, markdown-it's own expected output) pairs from markdown-it-xss.md."""
    if not HAVE_CORPUS:
        return []
    text = (CORPUS / "markdown" / "markdown-it-xss.md").read_text(encoding="utf-8")
    return [(m.group(1), m.group(2)) for m in _CASE.finditer(text)]


def commonmark_examples() -> list[dict]:
    """The CommonMark spec's examples (empty without the corpus)."""
    if not HAVE_CORPUS:
        return []
    return json.loads(
        (CORPUS / "markdown" / "commonmark-spec-0.31.2.json").read_text(encoding="utf-8")
    )


def batches(strings: tuple[str, ...], limit: int, separator: str) -> list[str]:
    """Join strings into chunks of at most ``limit`` characters; longer ones go alone."""
    chunks: list[str] = []
    current = ""
    for s in strings:
        candidate = f"{current}{separator}{s}" if current else s
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = s
    if current:
        chunks.append(current)
    return chunks
