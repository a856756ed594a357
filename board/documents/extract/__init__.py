"""Text extraction, one module per format, each returning a list of page texts.

These modules run inside the child process started by ``board.documents.runner`` and
import nothing from Flask: a hostile file can at worst exhaust the child's own time and
memory. ``ExtractionError.code`` is one of ``REASONS``; the parent turns it into a
message in the reader's language.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterator

REASONS = (
    "encrypted",
    "damaged",
    "no_text",
    "unsafe",
    "timeout",
    "too_large",
    "forbidden",
    "no_reader",
)
MAX_CHARS = 5_000_000  # text kept per document; the rest of a huge file is not indexed
_CID = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


class ExtractionError(Exception):
    """The text could not be read, for the reason named by ``code``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def clean(text: str) -> str:
    """NFKC (ligatures, full-width forms), no ``(cid:N)`` junk, no control characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _CID.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def extract(kind: str, path: str) -> Iterator[str]:
    """Pages of cleaned text, one at a time, so a reader stopped by the time limit still
    has the pages before; raises ``ExtractionError`` when there is no text to be had."""
    if kind not in ("pdf", "docx", "doc", "odt", "ods", "xlsx", "xls", "txt", "csv"):
        raise ValueError(f"no extractor for {kind!r}")
    module = importlib.import_module(
        f"board.documents.extract.{ {'ods': 'odt', 'csv': 'txt'}.get(kind, kind) }"
    )
    total = 0
    for raw in module.extract(path):
        page = clean(raw)[: MAX_CHARS - total]
        total += len(page)
        yield page
        if total >= MAX_CHARS:
            return
    if total == 0:
        raise ExtractionError("no_text")
