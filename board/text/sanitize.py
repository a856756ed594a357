"""The only module that imports bleach: everything stored as HTML passes through here."""

from __future__ import annotations

from functools import lru_cache

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "mark",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "ol": ["start"],
    "td": ["style"],
    "th": ["style"],
    "code": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _set_rel(attrs: dict, new: bool = False) -> dict:
    """Every link gets our rel, replacing whatever the author wrote."""
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


def _check_style(tag: str, name: str, value: str) -> bool:
    if name == "style":
        return value in {"text-align:left", "text-align:center", "text-align:right"}
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


def _check_attr(tag: str, name: str, value: str) -> bool:
    if tag in {"td", "th"}:
        return _check_style(tag, name, value)
    if tag == "code" and name == "class":
        return value.startswith("language-") and value[9:].replace("-", "").isalnum()
    if tag == "img" and name == "src":
        return value.startswith(("https://", "http://", "/"))
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_check_attr,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[lambda source: LinkifyFilter(source, callbacks=[_set_rel], parse_email=False)],
    )


def clean_html(html: str) -> str:
    """Sanitise HTML to the allow-list; links get ``rel="nofollow ugc noopener"``."""
    return _cleaner().clean(html)
