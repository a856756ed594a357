"""The search box's tiny query language, shared by every backend.

- words: all must match (the backend may fall back to any, and says so);
- ``"exact phrase"``: the words next to each other, in order;
- ``-word`` or ``-"a phrase"``: results must not contain it;
- ``a OR b``: either (upper-case ``OR`` between two items);
- ``prefix*``: any word starting so (at least two letters before the ``*``).

Anything malformed is read as plain words, never an error: an unbalanced quote is
ignored, a lone ``-`` or ``*`` disappears, a query that only excludes is read as its
words, a dangling ``OR`` is dropped. ``parse`` never raises; the tests feed it every
string of the Big List of Naughty Strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500  # longer input is cut: nobody types more, and it bounds the work
MAX_ITEMS = 32
MIN_PREFIX_CHARS = 2

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class Item:
    """One thing to look for: ``kind`` is ``word``, ``phrase`` or ``prefix``."""

    kind: str
    text: str


@dataclass(frozen=True)
class ParsedQuery:
    """Groups that must all match (each group: items of which any may match), and exclusions."""

    groups: list[list[Item]] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when there is nothing positive to look for."""
        return not self.groups

    def words(self) -> list[str]:
        """The positive search text, item by item (for highlighting and suggestions)."""
        return [item.text for group in self.groups for item in group]


def _item(text: str, quoted: bool) -> Item | None:
    if not _WORDISH.search(text):
        return None
    if quoted:
        return Item("phrase", text.strip())
    stripped = text.strip("*")
    if text.endswith("*") and "*" not in stripped and len(_letters(stripped)) >= MIN_PREFIX_CHARS:
        return Item("prefix", stripped)
    return Item("word", text.replace("*", " ").strip())


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _balance_quotes(text: str) -> str:
    """Drop the last quote when there is an odd number, so the rest reads as words."""
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
    return text


def _tokens(text: str) -> list[tuple[str, Item | None]]:
    """Split into (``"OR"`` | ``"-"`` | ``""``, item) pairs in order."""
    out: list[tuple[str, Item | None]] = []
    for match in _TOKEN.finditer(_balance_quotes(text)):
        neg, phrase, bare = match.groups()
        if bare is None:
            out.append(("-" if neg else "", _item(phrase, quoted=True)))
        elif bare == "OR":
            out.append(("OR", None))
        elif bare.startswith("-") and len(bare) > 1:
            out.append(("-", _item(bare[1:], quoted=False)))
        else:
            out.append(("", _item(bare, quoted=False)))
    return out


def parse(text: str | None) -> ParsedQuery:
    """Read what a user typed; malformed syntax becomes plain words, never an exception."""
    text = (text or "")[:MAX_QUERY_CHARS].replace("\x00", " ")
    groups: list[list[Item]] = []
    excluded: list[Item] = []
    join_next = False
    for marker, item in _tokens(text):
        if marker == "OR":
            join_next = bool(groups)
            continue
        if item is None:
            continue
        if marker == "-":
            excluded.append(item)
            join_next = False
        elif join_next:
            groups[-1].append(item)
            join_next = False
        else:
            groups.append([item])
    if not groups and excluded:
        groups, excluded = [[item] for item in excluded], []
    return ParsedQuery(groups[:MAX_ITEMS], excluded[:MAX_ITEMS])
