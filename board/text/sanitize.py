"""The only module that imports bleach: everything stored as HTML passes through here."""

from __future__ import annotations

import re
from functools import lru_cache

import bleach
from bleach.html5lib_shim import Filter
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


_URL_NOISE = re.compile(r"[\t\n\r]")


def is_own_image(src: str) -> bool:
    """Whether ``src`` is a path on this board (``/documents/…``), read as a browser would.

    Browsers drop tabs and line breaks inside URLs, trim control characters and spaces,
    and read ``/\\host`` like ``//host``: all of those are another host.
    """
    path = _URL_NOISE.sub("", src).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
        "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
        "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    return path.startswith("/") and path[1:2] not in ("/", "\\")


class ForeignImagesAsLinks(Filter):
    """An image from another host becomes a link to it: a reader's browser contacts no
    third party (tracking pixels, IP logging) unless the reader clicks."""

    def __iter__(self):
        in_link = 0
        for token in super().__iter__():
            if token.get("name") == "a" and token["type"] in ("StartTag", "EndTag"):
                in_link += 1 if token["type"] == "StartTag" else -1
            if token["type"] != "EmptyTag" or token["name"] != "img":
                yield token
                continue
            attrs = token["data"]
            src = attrs.get((None, "src"), "")
            if is_own_image(src):
                yield token
                continue
            if not src:
                continue
            text = attrs.get((None, "alt")) or src
            if in_link > 0:  # already inside a link: its text is enough
                yield {"type": "Characters", "data": text}
                continue
            yield {"type": "StartTag", "name": "a", "namespace": token.get("namespace"),
                   "data": {(None, "href"): src, (None, "rel"): LINK_REL}}  # fmt: skip
            yield {"type": "Characters", "data": text}
            yield {"type": "EndTag", "name": "a", "namespace": token.get("namespace")}


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
        return value.lower().startswith(("https://", "http://", "/"))
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_check_attr,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            ForeignImagesAsLinks,
            lambda source: LinkifyFilter(source, callbacks=[_set_rel], parse_email=False),
        ],
    )


def clean_html(html: str) -> str:
    """Sanitise HTML to the allow-list; links get ``rel="nofollow ugc noopener"`` and
    images from other hosts become links."""
    return _cleaner().clean(html)
