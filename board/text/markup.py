"""Markdown (CommonMark, raw HTML off) to safe HTML, done once when a post is saved."""

from __future__ import annotations

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


def quote(author: str, markdown: str) -> str:
    """The Markdown a reply box gets when a post is quoted."""
    lines = markdown.strip().splitlines() or [""]
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"**{author}:**\n{body}\n\n"
