"""HTML pages on the wire: 304 for an unchanged guest page, no-store for members, gzip."""

from __future__ import annotations

import gzip
import time

from tests import factories


def test_guest_gets_304_for_an_unchanged_thread_page(client, member):
    thread = factories.make_thread(member, replies=2)
    first = client.get(thread.url)
    assert first.headers["Cache-Control"] == "private, no-cache"
    time.sleep(1.1)  # the page's CSRF tokens are signed anew: the page has not changed
    again = client.get(thread.url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_guest_gets_the_new_page_after_a_reply(client, member):
    thread = factories.make_thread(member)
    etag = client.get(thread.url).headers["ETag"]
    factories.make_reply(thread, member, "Novi odgovor o zboru.")
    response = client.get(thread.url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Novi odgovor o zboru." in response.get_data(as_text=True)


def test_page_cached_in_another_session_is_not_reused(app, client, member):
    thread = factories.make_thread(member)
    etag = client.get(thread.url).headers["ETag"]
    other = app.test_client()  # its own session, so its own CSRF token
    assert other.get(thread.url, headers={"If-None-Match": etag}).status_code == 200


def test_signed_in_member_pages_are_kept_by_no_cache(client, login, member):
    thread = factories.make_thread(member)
    login(member)
    response = client.get(thread.url)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_pages_are_compressed_for_clients_that_accept_gzip(client, member):
    thread = factories.make_thread(member, replies=3)
    plain = client.get(thread.url)
    packed = client.get(thread.url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 3
    page = gzip.decompress(packed.data).decode()
    assert "Odgovor broj 3." in page and "Content-Encoding" not in plain.headers
