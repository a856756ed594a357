"""Atom feeds: valid Atom 1.0, scoped by the same permissions as the pages, only public
content, and well-formed whatever Fred typed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from board.extensions import db
from board.feeds.atom import xml_text
from board.forum import service as forum
from board.models import Post, Thread
from board.models.base import utcnow
from tests import factories
from tests.security import corpus
from tests.security.htmlcheck import unsafe_markup
from tests.sqlcount import counting

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_ELEMENTS = {
    f"{ATOM}{name}"
    for name in (
        "feed", "id", "title", "subtitle", "updated", "link", "author", "name", "generator",
        "entry", "published", "category", "content",
    )
}  # fmt: skip
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
THREAD_ID = re.compile(r"/t/(\d+)$")


def _feed(client, url: str) -> ET.Element:
    """Fetch a feed, check the response and the elements RFC 4287 requires, return it."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.get_data())  # noqa: S314 (our own output, under test)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"] == f"http://localhost{url}"
    assert links["alternate"].startswith("http://localhost/")
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "published", "content"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.findtext(f"{ATOM}id").startswith("http://localhost/")
        assert entry.find(f"{ATOM}content").get("type") == "html"
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
        assert RFC3339.match(entry.findtext(f"{ATOM}published"))
    return root


def _titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def _contents(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}content") for entry in root.findall(f"{ATOM}entry")]


@pytest.fixture
def restricted(app, association_a, member):
    """A members-only category and association A's own one, each with a thread."""
    members = factories.make_category("clanovi", visibility="members", association=association_a)
    own = factories.make_category("savez-a", visibility="association", association=association_a)
    factories.make_thread(member, members, title="Tema samo za članove")
    factories.make_thread(member, own, title="Tema samo za savez A")
    return members, own


# The feeds and what they hold ----------------------------------------------------------


def test_site_feed_lists_newest_threads_with_their_opening_posts(client, member, regulation):
    older = factories.make_thread(member, regulation, title="Starija tema", body="Prvi *post*.")
    newer = factories.make_thread(member, factories.category("planning"), title="Novija tema")
    root = _feed(client, "/feed.atom")
    assert _titles(root) == ["Novija tema", "Starija tema"]
    entry = root.findall(f"{ATOM}entry")[1]
    assert entry.findtext(f"{ATOM}id") == f"http://localhost/t/{older.id}"
    assert entry.find(f"{ATOM}link").get("href") == f"http://localhost/t/{older.id}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Amra Member"
    assert entry.findtext(f"{ATOM}content") == "<p>Prvi <em>post</em>.</p>\n"
    assert entry.find(f"{ATOM}category").get("term") == "regulation"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://localhost/"
    assert newer.id != older.id


def test_site_feed_holds_at_most_thirty_threads(client, member, regulation):
    for n in range(32):
        forum.start_thread(member, regulation, f"Tema {n}", "Tekst.")
    titles = _titles(_feed(client, "/feed.atom"))
    assert len(titles) == 30
    assert titles[0] == "Tema 31" and "Tema 1" not in titles


def test_category_feed_lists_only_its_own_threads(client, member, regulation):
    factories.make_thread(member, regulation, title="Pravilnik o radu")
    factories.make_thread(member, factories.category("planning"), title="Plan rada")
    root = _feed(client, "/c/regulation/feed.atom")
    assert _titles(root) == ["Pravilnik o radu"]
    assert root.findtext(f"{ATOM}title").startswith("Regulativa")
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://localhost/c/regulation"


def test_thread_feed_lists_its_posts_newest_first(client, member, other_member, regulation):
    thread = factories.make_thread(member, regulation, title="Zbor građana", body="Pitanje.")
    reply = factories.make_reply(thread, other_member, "Odgovor **jedan**.")
    forum.edit_post(other_member, reply, "Odgovor **ispravljen**.")
    root = _feed(client, f"/t/{thread.id}/feed.atom")
    assert root.findtext(f"{ATOM}title") == "Zbor građana"
    assert _titles(root) == ["Odg: Zbor građana", "Zbor građana"]
    assert _contents(root) == ["<p>Odgovor <strong>ispravljen</strong>.</p>\n", "<p>Pitanje.</p>\n"]
    first = root.find(f"{ATOM}entry")
    assert first.findtext(f"{ATOM}id") == f"http://localhost/p/{reply.id}"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Boris Other"
    assert first.findtext(f"{ATOM}updated") >= first.findtext(f"{ATOM}published")
    assert root.findtext(f"{ATOM}updated") == first.findtext(f"{ATOM}updated")


def test_feed_speaks_the_interface_language(client, member, other_member, regulation):
    thread = factories.make_thread(member, regulation, title="Budžet MZ")
    factories.make_reply(thread, other_member)
    root = _feed(client, f"/t/{thread.id}/feed.atom")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "bs"
    assert _titles(root)[0] == "Odg: Budžet MZ"
    assert _feed(client, "/feed.atom").findtext(f"{ATOM}title") == "Mreža: najnovije teme"
    client.set_cookie("lang", "en")
    root = _feed(client, f"/t/{thread.id}/feed.atom")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert _titles(root)[0] == "Re: Budžet MZ"
    assert _feed(client, "/feed.atom").findtext(f"{ATOM}title") == "Mreža: newest threads"


def test_empty_category_feed_is_still_a_valid_feed(client):
    root = _feed(client, "/c/participation/feed.atom")
    assert root.findall(f"{ATOM}entry") == []


# Who sees what --------------------------------------------------------------------------


def test_guests_never_get_restricted_threads_in_the_site_feed(client, restricted, member):
    factories.make_thread(member, factories.category("regulation"), title="Javna tema")
    assert _titles(_feed(client, "/feed.atom")) == ["Javna tema"]


def test_site_feed_follows_the_signed_in_readers_permissions(
    client, login, restricted, other_member, moderator_a, moderator_b
):
    login(other_member)
    assert _titles(_feed(client, "/feed.atom")) == ["Tema samo za članove"]
    login(moderator_b)
    assert _titles(_feed(client, "/feed.atom")) == ["Tema samo za članove"]
    login(moderator_a)
    assert _titles(_feed(client, "/feed.atom")) == ["Tema samo za savez A", "Tema samo za članove"]


def test_restricted_category_feeds_are_404_for_guests(client, restricted):
    assert client.get("/c/clanovi/feed.atom").status_code == 404
    assert client.get("/c/savez-a/feed.atom").status_code == 404


def test_association_feed_is_404_for_another_associations_moderator(
    client, login, restricted, moderator_a, moderator_b
):
    login(moderator_b)
    assert client.get("/c/savez-a/feed.atom").status_code == 404
    assert _titles(_feed(client, "/c/clanovi/feed.atom")) == ["Tema samo za članove"]
    login(moderator_a)
    assert _titles(_feed(client, "/c/savez-a/feed.atom")) == ["Tema samo za savez A"]


def test_restricted_thread_feed_is_404_for_guests(client, restricted):
    thread = db.session.scalar(select(Thread).where(Thread.title == "Tema samo za savez A"))
    assert client.get(f"/t/{thread.id}/feed.atom").status_code == 404


def test_unknown_thread_and_category_feeds_are_404(client):
    assert client.get("/t/999999/feed.atom").status_code == 404
    assert client.get("/c/nema-je/feed.atom").status_code == 404


# Only public content --------------------------------------------------------------------


@pytest.fixture
def moderated_thread(app, association_a, member, other_member):
    """A thread of association A's category with a public, a hidden, a deleted and a
    queued reply."""
    category = factories.make_category("savez-javno", association=association_a)
    thread = factories.make_thread(member, category, title="Sjednica vijeća", body="Pitanje.")
    factories.make_reply(thread, other_member, "Javni odgovor.")
    hidden = factories.make_reply(thread, other_member, "Skriveni odgovor.")
    hidden.hidden_at, hidden.hidden_reason = utcnow(), "Uvreda"
    forum.delete_post(other_member, factories.make_reply(thread, other_member, "Obrisani odgovor."))
    newcomer = factories.make_user(display_name="Novajlija", trusted=False)
    queued = factories.make_reply(thread, newcomer, "Odgovor na čekanju.")
    assert not queued.approved
    db.session.commit()
    return thread, newcomer


@pytest.mark.parametrize("reader", ["guest", "other_member", "newcomer", "moderator_a", "admin"])
def test_hidden_deleted_and_queued_posts_never_appear_in_the_thread_feed(
    client, login, request, moderated_thread, reader
):
    """Not even for the moderators who see them on the page, nor for the queued author."""
    thread, newcomer = moderated_thread
    if reader == "newcomer":
        login(newcomer)
    elif reader != "guest":
        login(request.getfixturevalue(reader))
    root = _feed(client, f"/t/{thread.id}/feed.atom")
    assert _contents(root) == ["<p>Javni odgovor.</p>\n", "<p>Pitanje.</p>\n"]


def test_hidden_thread_has_no_feed_even_for_its_moderator(
    client, login, moderated_thread, moderator_a, member
):
    thread, _newcomer = moderated_thread
    thread.hidden_at, thread.hidden_reason = utcnow(), "Spam"
    db.session.commit()
    for reader in (None, member, moderator_a):
        if reader is not None:
            login(reader)
        assert client.get(f"/t/{thread.id}/feed.atom").status_code == 404
        assert "Sjednica vijeća" not in _titles(_feed(client, "/feed.atom"))
        assert "Sjednica vijeća" not in _titles(_feed(client, "/c/savez-javno/feed.atom"))
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Sjednica vijeća" in page and "application/atom+xml" not in page


def test_thread_awaiting_approval_is_in_no_feed(client, login):
    newcomer = factories.make_user(trusted=False)
    thread = factories.make_thread(newcomer, title="Prva tema novajlije")
    assert not thread.approved
    login(newcomer)
    assert client.get(f"/t/{thread.id}/feed.atom").status_code == 404
    assert _titles(_feed(client, "/feed.atom")) == []
    assert _titles(_feed(client, "/c/regulation/feed.atom")) == []


def test_thread_whose_opening_post_is_hidden_leaves_the_listing_feeds(client, member):
    thread = factories.make_thread(member, title="Tema sa skrivenim pitanjem", replies=1)
    first = factories.first_post(thread)
    first.hidden_at = utcnow()
    db.session.commit()
    assert _titles(_feed(client, "/feed.atom")) == []
    assert _titles(_feed(client, f"/t/{thread.id}/feed.atom")) == [
        "Odg: Tema sa skrivenim pitanjem"
    ]


# Discovery and cost ---------------------------------------------------------------------


def test_pages_announce_their_feeds_in_the_head(client, member, regulation):
    thread = factories.make_thread(member, regulation)
    for page, feed in (
        ("/", "/feed.atom"),
        ("/c/regulation", "/c/regulation/feed.atom"),
        (f"/t/{thread.id}", f"/t/{thread.id}/feed.atom"),
    ):
        html = client.get(page).get_data(as_text=True)
        head = html.split("</head>")[0]
        assert '<link rel="alternate" type="application/atom+xml"' in head, page
        assert f'href="{feed}"' in head, page
        assert client.get(feed).status_code == 200


def _queries(client, url: str) -> int:
    db.session.remove()  # the feed must load everything itself, not find it in our session
    with counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("viewer", ["guest", "moderator_a"])
def test_feed_query_count_does_not_grow_with_entries(client, login, request, viewer, regulation):
    if viewer != "guest":
        login(request.getfixturevalue(viewer))
    planning = factories.category("planning")
    small = factories.make_thread(factories.make_user(), planning, title="Mala", replies=1)
    for n in range(20):
        author = factories.make_user()
        forum.start_thread(author, regulation, f"Tema {n}", "Tekst.")
    large = factories.make_thread(factories.make_user(), regulation, title="Velika")
    for n in range(20):
        forum.reply(factories.make_user(), large, f"Odgovor {n}.")
    large_id, small_id = large.id, small.id
    assert _queries(client, "/c/regulation/feed.atom") == _queries(client, "/c/planning/feed.atom")
    assert _queries(client, f"/t/{large_id}/feed.atom") == _queries(
        client, f"/t/{small_id}/feed.atom"
    )
    assert len(_titles(_feed(client, "/feed.atom"))) == 22


# Fred -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.markup  # storing hostile titles on each backend: tests/security/test_hostile_input.py
def test_hostile_titles_and_bodies_give_well_formed_feeds(client, login, fred, app):
    """Every hostile title and body, posted through the real form, comes back from the
    feeds exactly as stored (less what XML cannot carry), as text, never as markup."""
    login(fred)
    titles = corpus.batches(corpus.representative(), 200, " · ")
    bodies = corpus.batches(corpus.everything(), 20_000, "\n\n")
    for n, title in enumerate(titles):
        body = bodies[n] if n < len(bodies) else "Tijelo poruke."
        response = client.post("/c/regulation/new", data={"title": title, "body": body})
        assert response.status_code in (302, 400), (title[:200], response.status_code)
    threads = db.session.scalars(select(Thread).order_by(Thread.id.desc())).all()
    assert len(threads) > len(titles) * 0.9
    posts = {p.thread_id: p for p in db.session.scalars(select(Post).where(Post.is_first))}
    guest = app.test_client()  # feed readers send no cookies
    for url in ("/feed.atom", "/c/regulation/feed.atom"):
        root = _assert_only_atom(_feed(guest, url))
        assert _titles(root) == [xml_text(t.title) for t in threads[:30]]
        assert _contents(root) == [xml_text(posts[t.id].body_html) for t in threads[:30]]
    for thread in threads:
        root = _assert_only_atom(_feed(guest, f"/t/{thread.id}/feed.atom"))
        assert root.findtext(f"{ATOM}title") == xml_text(thread.title)
        assert _contents(root) == [xml_text(posts[thread.id].body_html)]
        assert unsafe_markup(_contents(root)[0]) == []


def _assert_only_atom(root: ET.Element) -> ET.Element:
    """No element a title or body could have smuggled in: only Atom's own."""
    strays = {element.tag for element in root.iter()} - ATOM_ELEMENTS
    assert not strays, strays
    return root
