"""Only the board's own images load: an image from another host is shown as a link, and
the CSP would block one anyway, so a reader's browser contacts no third party."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin, urlsplit

import pytest

from board.text.markup import render
from tests import factories

HOSTILE = [
    "![x](https://evil.example/p.png)",
    "![x](http://evil.example/p.png)",
    "![x](//evil.example/p.png)",
    "![x](HTTPS://EVIL.EXAMPLE/p.png)",
    "![x](HtTp://evil.example/p.png)",
    "![x](&#x2F;&#x2F;evil.example/p.png)",
    "![x](&#47;&#47;evil.example/p.png)",
    "![x](<\t//evil.example/p.png>)",
    "![x](< //evil.example/p.png>)",
    "![x](/\\evil.example/p.png)",
    "![x][r]\n\n[r]: https://evil.example/r.png",
    "![x][]\n\n[x]: //evil.example/r.png",
    "![r]\n\n[r]: <HTTPS://evil.example/r.png> 'title'",
    '![x](https://evil.example/p.png "a title")',
    "[![x](https://evil.example/p.png)](https://example.ba/)",
    "![](https://evil.example/p.png)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](javascript:alert(1))",
]
_IMG_SRC = re.compile(r"<img[^>]*\ssrc=\"([^\"]*)\"", re.I)


@pytest.mark.parametrize("markdown", HOSTILE)
def test_foreign_images_never_render_as_images(markdown):
    html = render(markdown)
    for src in _IMG_SRC.findall(html):
        assert _host_of(src) == "board.example", (markdown, html)


def _host_of(src: str) -> str:
    """The host a browser on https://board.example/t/1 would fetch ``src`` from."""
    src = html_lib.unescape(src).replace("\t", "").replace("\n", "").strip().replace("\\", "/")
    return urlsplit(urljoin("https://board.example/t/1", src)).netloc


def test_a_foreign_image_becomes_a_link_with_its_alt_text():
    html = render("![Plan budžeta](https://evil.example/p.png)")
    assert "<img" not in html
    assert (
        '<a href="https://evil.example/p.png" rel="nofollow ugc noopener">Plan budžeta</a>' in html
    )


def test_the_boards_own_images_still_load():
    assert '<img src="/documents/7/download" alt="plan">' in render(
        "![plan](/documents/7/download)"
    )


def test_page_with_hostile_images_loads_nothing_from_elsewhere(client, member):
    thread = factories.make_thread(member, body="\n\n".join(HOSTILE))
    response = client.get(f"/t/{thread.id}")
    page = response.get_data(as_text=True)
    assert "evil.example" in page  # shown, as links
    for src in _IMG_SRC.findall(page):
        assert _host_of(src) == "board.example", src
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self';" in csp
    assert "https:" not in csp
