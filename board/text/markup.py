"""Markdown (CommonMark, raw HTML off) to safe HTML, done once when a post is saved."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from board.text.sanitize import clean_html


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.core.ruler.push("mentions", _mentions_rule)
    return md


def render(markdown: str, resolve: Callable[[set[str]], set[str]] | None = None) -> str:
    """Render Markdown and sanitise the result; the output is what we store and serve.

    ``@handle`` becomes a link to the profile when ``resolve`` (given the candidate
    handles) says the handle exists; by default the board's members are asked.
    """
    env = {"resolve_handles": resolve or _members_handles}
    return clean_html(_parser().render(markdown, env))


# Mentions -------------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@./:+-])@([A-Za-z0-9._-]{3,30})(?![\w@])")
MAX_MENTIONS = 10


def _members_handles(candidates: set[str]) -> set[str]:
    """The resolver the notifications package installs (``board.effects``), inside an app."""
    from flask import has_app_context

    if not has_app_context():
        return set()
    from board import effects

    return effects.resolve_handles(candidates)


def _candidates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, handle) of each ``@handle`` in plain text; a trailing dot is prose."""
    found = []
    for match in MENTION.finditer(text):
        handle = match.group(1).rstrip("._-")
        if len(handle) >= 3:
            found.append((match.start(), match.start() + 1 + len(handle), handle.lower()))
    return found


def _eligible_text(state_tokens: list[Token]) -> list[tuple[Token, bool]]:
    """Text tokens outside links (with whether they sit in a block quote); code spans
    and code blocks are other token types and never reach here."""
    found: list[tuple[Token, bool]] = []
    quote_depth = 0
    for block in state_tokens:
        if block.type == "blockquote_open":
            quote_depth += 1
        elif block.type == "blockquote_close":
            quote_depth -= 1
        elif block.type == "inline" and block.children:
            in_link = 0
            for child in block.children:
                if child.type == "link_open":
                    in_link += 1
                elif child.type == "link_close":
                    in_link -= 1
                elif child.type == "text" and not in_link:
                    found.append((child, quote_depth > 0))
    return found


def _mentions_rule(state: StateCore) -> None:
    """Turn ``@handle`` of an existing member into a profile link, in the token stream."""
    texts = _eligible_text(state.tokens)
    wanted = {h for token, _q in texts for _s, _e, h in _candidates(token.content)}
    if not wanted:
        return
    known = state.env.get("resolve_handles", _members_handles)(wanted)
    state.env["mentioned"] = [
        h for token, quoted in texts if not quoted for _s, _e, h in _candidates(token.content)
    ]
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _split_children(block.children, known)


def _split_children(children: list[Token], known: set[str]) -> list[Token]:
    result: list[Token] = []
    in_link = 0
    for child in children:
        in_link += child.type == "link_open"
        in_link -= child.type == "link_close"
        if child.type != "text" or in_link:
            result.append(child)
            continue
        position = 0
        for start, end, handle in _candidates(child.content):
            if handle not in known:
                continue
            result.append(_text(child.content[position:start]))
            link = Token("link_open", "a", 1)
            link.attrs = {"href": f"/u/{handle}"}
            result.extend([link, _text(child.content[start:end]), Token("link_close", "a", -1)])
            position = end
        result.append(_text(child.content[position:]) if position else child)
    return result


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def mentioned_handles(markdown: str) -> list[str]:
    """Handles mentioned outside code, quotes and links, in order, at most ten, lower-case.

    These are the ones that notify; whether each belongs to a member is the caller's
    question.
    """
    env: dict = {"resolve_handles": lambda candidates: set()}
    _parser().parse(markdown, env)
    seen: list[str] = []
    for handle in env.get("mentioned", []):
        if handle not in seen:
            seen.append(handle)
    return seen[:MAX_MENTIONS]


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


_QUOTE_TAG = re.compile(r"<(/?)blockquote\b[^>]*>", re.I)


def own_and_quoted_text(rendered: str) -> tuple[str, str]:
    """The words of a rendered post split into its author's own and what it quotes
    (``>`` blockquotes, nested ones included), so search can weigh quoted words less."""
    own: list[str] = []
    quoted: list[str] = []
    depth, cursor = 0, 0
    for tag in _QUOTE_TAG.finditer(rendered):
        (quoted if depth else own).append(rendered[cursor : tag.start()])
        depth = max(0, depth - 1) if tag.group(1) else depth + 1
        cursor = tag.end()
    (quoted if depth else own).append(rendered[cursor:])
    return plain_text("\n".join(own)), plain_text("\n".join(quoted))


def quote(author: str, markdown: str) -> str:
    """The Markdown a reply box gets when a post is quoted."""
    lines = markdown.strip().splitlines() or [""]
    body = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"**{author}:**\n{body}\n\n"
