"""Starting threads, replying, reading: through the real forms."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import Post, Thread
from tests import factories


def test_index_lists_founding_categories_in_bosnian(client):
    page = client.get("/").get_data(as_text=True)
    for name in ("Regulativa", "Planiranje", "Izvještavanje", "Učešće građana"):
        assert name in page
    assert 'lang="bs"' in page


def test_member_starts_thread_and_is_redirected_to_it(client, login, member):
    login(member)
    response = client.post(
        "/c/regulation/new",
        data={"title": "Statut mjesne zajednice", "body": "Ima li neko **primjer** statuta?"},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"].endswith(f"/t/{thread.id}")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Statut mjesne zajednice" in page
    assert "<strong>primjer</strong>" in page


def test_failed_thread_form_keeps_what_was_typed(client, login, member):
    login(member)
    long_title = "Naslov " * 40
    response = client.post(
        "/c/regulation/new", data={"title": long_title, "body": "Tekst koji ne smije nestati."}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Tekst koji ne smije nestati." in page
    assert "200" in page
    assert db.session.scalar(select(Thread)) is None


def test_body_over_limit_is_refused_with_message(client, login, member):
    login(member)
    response = client.post("/c/regulation/new", data={"title": "Dugo", "body": "x" * 50_001})
    assert response.status_code == 400
    assert "50000" in response.get_data(as_text=True)


def test_guest_cannot_post(client, regulation):
    response = client.post("/c/regulation/new", data={"title": "a", "body": "b"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unconfirmed_member_reads_but_cannot_post(client, login, unconfirmed):
    login(unconfirmed)
    assert client.get("/c/regulation").status_code == 200
    response = client.post("/c/regulation/new", data={"title": "a", "body": "b"})
    assert response.status_code == 403


def test_reply_appears_and_bumps_thread(client, login, member, other_member):
    thread = factories.make_thread(member)
    login(other_member)
    response = client.post(
        f"/t/{thread.id}/reply", data={"body": "Zbor saziva predsjednik savjeta."}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Zbor saziva predsjednik savjeta." in page
    db.session.refresh(thread)
    assert thread.post_count == 2


def test_thread_pages_hold_twenty_posts(client, member):
    thread = factories.make_thread(member, replies=25)
    first = client.get(f"/t/{thread.id}").get_data(as_text=True)
    second = client.get(f"/t/{thread.id}?page=2").get_data(as_text=True)
    assert first.count('<article class="post') == 20
    assert second.count('<article class="post') == 6


def test_permalink_leads_to_the_right_page(client, member):
    thread = factories.make_thread(member, replies=25)
    last = db.session.scalars(select(Post).order_by(Post.id.desc())).first()
    response = client.get(f"/p/{last.id}")
    assert response.status_code == 302
    assert f"/t/{thread.id}?page=2#post-{last.id}" in response.headers["Location"]


def test_pinned_threads_come_first_then_by_activity(client, member):
    old = factories.make_thread(member, title="Stara tema")
    pinned = factories.make_thread(member, title="Prikačena tema")
    newest = factories.make_thread(member, title="Najnovija tema")
    pinned.pinned = True
    factories.make_reply(old, member)  # old now has the latest activity
    db.session.commit()
    page = client.get("/c/regulation").get_data(as_text=True)
    assert page.index("Prikačena tema") < page.index("Stara tema") < page.index("Najnovija tema")
    assert newest


def test_unknown_thread_is_404_in_bosnian(client):
    response = client.get("/t/999999")
    assert response.status_code == 404
    assert "Stranica nije pronađena" in response.get_data(as_text=True)
