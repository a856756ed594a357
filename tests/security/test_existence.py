"""A guest cannot tell a private thread or category from one that does not exist."""

from __future__ import annotations

import re

from tests import factories


def test_guest_gets_the_same_404_for_private_and_missing(client, association_a, member):
    private = factories.make_category("savez-interno", association=association_a,
                                      visibility="association")  # fmt: skip
    members = factories.make_category("clanovi", visibility="members")
    hidden = factories.make_thread(member, private, title="Interna tema")
    closed = factories.make_thread(member, members, title="Tema za članove")
    missing = client.get("/t/999999")
    assert missing.status_code == 404
    expected = _page(client.get("/c/does-not-exist"))
    for url in ("/c/savez-interno", "/c/clanovi", f"/t/{hidden.id}", f"/t/{closed.id}",
                f"/t/{hidden.id}/feed.atom", "/c/clanovi/feed.atom"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Location" not in response.headers
        assert _page(response) == expected, url


def _page(response) -> str:
    """The page without its ``next`` values (the address itself)."""
    return re.sub(r'next(=|" value=)"?[^"]*', "", response.get_data(as_text=True))
