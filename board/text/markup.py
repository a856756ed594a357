"""Markdown (CommonMark, raw HTML off) to safe HTML, done once when a post is saved."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt

from board.text.sanitize import clean_html


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    return md.enable(["table", "strikethrough", "linkify"])


def render(markdown: str) -> str:
    """Render Markdown and sanitise the result; the output is what we store and serve."""
    return clean_html(_parser().render(markdown))


_BREAK = re.compile(r"</?(?:p|div|br|li|ul|ol|blockquote|h[1-6]|pre|tr|table|hr)\b[^>]*>", re.I)
_CELL = re.compile(r"</?(?:td|th)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_BLANK = re.compile(r"\n\s*\n+")


def plain_text(rendered: str) -> str:
    """The words of a rendered post without markup, for search snippets.

    A snippet shows what readers see in the post ("Važno: pravilnik"), not the Markdown
    behind it ("**Važno:** [pravilnik](https://…)"). ``rendered`` is our own sanitised
    HTML, so dropping its tags leaves exactly the text.
    """
    text = _TAG.sub("", _CELL.sub(" ", _BREAK.sub("\n", rendered)))
    return _BLANK.sub("\n\n", html.unescape(text)).strip()


def quote(author: str, markdown: str) -> str:
    """The Markdown a reply box gets when a post is quoted."""
    lines = markdown.strip().splitlines() or [""]
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"**{author}:**\n{body}\n\n"
