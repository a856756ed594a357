"""Snippets: a short window of a text with the matched words marked, as safe HTML.

Shared by the backends so a result looks the same whichever engine found it. The text is
escaped piece by piece and ``<mark>`` is the only markup ever added, so a post full of
``<script>`` shows as text. Words are matched by their analysed forms, so ``izvještaja``
is marked for the query ``izvjestaj`` and a Cyrillic word for a Latin query.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from board.search.analysis import index_tokens

MAX_TEXT = 5_000  # the highlighter never reads further than this
WIDTH = 240  # characters of context in a snippet
QUOTED_SEPARATOR = "\x1d"  # ASCII group separator: a post's own words, then what it quotes


def stored_text(own: str, quoted: str = "") -> str:
    """The text a backend keeps for snippets: the post's own words, then its quotes."""
    return f"{own}{QUOTED_SEPARATOR}{quoted}" if quoted else own


def _matches(text: str, terms: Collection[str], prefixes: Collection[str]) -> list[tuple[int, int]]:
    spans = []
    for token in index_tokens(text):
        if any(f in terms for f in token.forms) or any(
            f.startswith(p) for f in token.forms for p in prefixes
        ):
            spans.append((token.start, token.end))
    return spans


def _window(spans: list[tuple[int, int]], length: int, width: int) -> tuple[int, int]:
    """Start and end of the ``width``-character window holding the most matches."""
    if not spans:
        return 0, min(length, width)
    best, best_count, j = spans[0][0], 0, 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    begin = max(0, best - width // 4)
    return begin, min(length, begin + width)


def _word_bounds(text: str, begin: int, end: int) -> tuple[int, int]:
    """Widen/narrow the window so it does not cut words in half."""
    if begin > 0:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < begin + 30 else begin
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin + 30 else end
    return begin, end


def snippet(
    text: str, terms: Collection[str], prefixes: Collection[str] = (), width: int = WIDTH
) -> str:
    """HTML of the best window of ``text`` with matching words in ``<mark>``, rest escaped.

    A post's own words are preferred: the quoted part of ``stored_text`` is shown only
    when the words are nowhere else (a reply quoting a question is not the question)."""
    own, _, quoted = text.partition(QUOTED_SEPARATOR)
    text = " ".join(own[:MAX_TEXT].split())
    spans = _matches(text, terms, prefixes)
    if not spans and quoted:
        text = " ".join(quoted[:MAX_TEXT].split())
        spans = _matches(text, terms, prefixes)
    begin, end = _word_bounds(text, *_window(spans, len(text), width))
    out = ["…" if begin > 0 else ""]
    cursor = begin
    for start, stop in spans:
        if start < begin or stop > end:
            continue
        out.append(escape(text[cursor:start], quote=True))
        out.append(f"<mark>{escape(text[start:stop], quote=True)}</mark>")
        cursor = stop
    out.append(escape(text[cursor:end], quote=True))
    out.append("…" if end < len(text) else "")
    return "".join(out)
