"""Atom 1.0 (RFC 4287) documents: what a feed and its entries hold, as XML-safe text.

The template escapes markup; this module removes what no escaping can carry. XML 1.0
forbids most control characters even as character references, and titles and posts
may hold them (Fred pastes ANSI colour codes), so one would make the whole feed
unreadable to every feed reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import render_template

CONTENT_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 does not allow, its line ends as ``\\n``
    (as every XML parser reads them anyway)."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def timestamp(value: datetime) -> str:
    """An RFC 3339 date-time in UTC, as Atom's date constructs require."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Entry:
    """One thread or post; ``content`` is its sanitised HTML, escaped by the template."""

    id: str
    title: str
    link: str
    author: str
    published: datetime
    updated: datetime
    content: str
    category: tuple[str, str] | None = None  # (term, label)

    def __post_init__(self) -> None:
        for name in ("title", "author", "content"):
            object.__setattr__(self, name, xml_text(getattr(self, name)))
        if self.category is not None:
            object.__setattr__(self, "category", tuple(xml_text(s) for s in self.category))


@dataclass(frozen=True)
class Feed:
    """A feed: its own address (also its id), the page it mirrors and its entries."""

    title: str
    self_url: str
    alternate: str
    base: str
    lang: str
    empty_updated: datetime
    entries: list[Entry] = field(default_factory=list)
    subtitle: str = ""

    def __post_init__(self) -> None:
        for name in ("title", "subtitle"):
            object.__setattr__(self, name, xml_text(getattr(self, name)))

    @property
    def updated(self) -> datetime:
        """The latest change among the entries; ``empty_updated`` when there is none."""
        return max((e.updated for e in self.entries), default=self.empty_updated)

    def render(self) -> str:
        """The document, from templates/feeds/atom.xml (autoescaped: its name ends in .xml)."""
        return render_template("feeds/atom.xml", feed=self, timestamp=timestamp)
