"""Find markup in a page that could run script, with the standard library's HTML parser.

Independent of bleach on purpose: the sanitiser is what we are testing. The parser
decodes entities in attribute values the way a browser does, so ``&#106;avascript:``
is seen as ``javascript:``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

FORBIDDEN_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math",
    "style", "xml", "xss", "isindex", "bgsound", "layer", "ilayer", "portal",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "background", "poster", "data",
    "srcset", "ping", "lowsrc", "dynsrc", "codebase", "cite", "longdesc", "usemap",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
_SQUASH = re.compile(r"[\x00-\x20\x7f]+")
_FEED = re.compile(r"^/(?:c/[a-z0-9-]+/|t/\d+/)?feed\.atom$")


def _bad_url(value: str) -> bool:
    squashed = _SQUASH.sub("", value).lower()
    return squashed.startswith(BAD_SCHEMES)


def _own_link(values: dict[str, str]) -> bool:
    """Our stylesheet or icon, or the head's announcement of one of our own Atom feeds."""
    href = values.get("href", "")
    if href.startswith("/static/") or (values.get("rel") == "icon" and href == "/favicon.ico"):
        return True
    return (
        values.get("rel") == "alternate"
        and values.get("type") == "application/atom+xml"
        and _FEED.match(href) is not None
    )


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and not values.get("src", "").startswith("/static/"):
            self.problems.append(f"<script> {values}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "link" and not _own_link(values):
            self.problems.append(f"<link> {values}")
        if tag == "meta" and (
            "http-equiv" in values or ("content" in values and "url" in values["content"].lower())
        ):
            self.problems.append(f"<meta> {values}")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES and _bad_url(value):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            elif name == "style" and re.search(
                r"expression|url\s*\(|javascript|behavior", value, re.I
            ):
                self.problems.append(f"<{tag} style={value[:60]!r}>")

    handle_startendtag = handle_starttag


def unsafe_markup(html: str) -> list[str]:
    """Every element or attribute in ``html`` that could execute script."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.problems
