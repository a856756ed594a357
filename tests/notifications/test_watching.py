"""Watching threads and categories, and the notifications it brings."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import Watch
from tests import factories
from tests.notifications.conftest import notes


def test_starting_and_replying_watch_the_thread(question, asker, helper):
    factories.make_reply(question, helper, "Sazovite ga odlukom savjeta.")
    levels = dict(db.session.execute(select(Watch.user_id, Watch.level)).all())
    assert levels == {asker.id: "watching", helper.id: "watching"}
    assert [n.kind for n in notes(asker)] == ["reply"]
    assert notes(helper) == []


def test_several_replies_collapse_into_one_unread_item(client, login, question, asker, helper):
    for text in ("Prvi odgovor.", "Drugi odgovor.", "Treći odgovor."):
        factories.make_reply(question, helper, text)
    [item] = notes(asker)
    assert item.count == 3
    login(asker)
    page = client.get("/notifications").get_data(as_text=True)
    assert "3 new replies in “Kako sazvati zbor građana?”, the latest by Boris Babić" in page
    assert '<span class="badge">1</span>' in page


def test_a_read_item_is_not_reused(client, login, question, asker, helper):
    factories.make_reply(question, helper, "Prvi odgovor.")
    login(asker)
    first = notes(asker)[0]
    response = client.get(f"/notifications/{first.id}")
    assert response.status_code == 302 and f"/p/{first.post_id}" in response.headers["Location"]
    factories.make_reply(question, helper, "Drugi odgovor.")
    assert [n.count for n in notes(asker)] == [1, 1]
    assert [n.read_at is None for n in notes(asker)] == [False, True]


def test_muting_a_thread_stops_replies(client, login, question, asker, helper):
    login(asker)
    response = client.post(f"/t/{question.id}/watch", data={"level": "muted"})
    assert response.status_code == 302
    page = client.get(f"/t/{question.id}").get_data(as_text=True)
    assert '<input checked id="level-2" name="level" required type="radio" value="muted">' in page
    factories.make_reply(question, helper)
    assert notes(asker) == []


def test_an_unknown_level_is_refused(client, login, question, asker):
    login(asker)
    assert client.post(f"/t/{question.id}/watch", data={"level": "loud"}).status_code == 400
    assert client.post("/c/regulation/watch", data={"level": "loud"}).status_code == 400


def test_watching_a_category_brings_new_threads(client, login, helper, asker):
    login(helper)
    assert client.post("/c/regulation/watch", data={"level": "new_threads"}).status_code == 302
    thread = factories.make_thread(asker, title="Statut mjesne zajednice")
    factories.make_reply(thread, asker, "Dopuna pitanja.")
    assert [n.kind for n in notes(helper)] == ["new_thread"]


def test_watching_a_category_brings_every_post(client, login, helper, asker, third):
    login(helper)
    client.post("/c/regulation/watch", data={"level": "watching"})
    thread = factories.make_thread(asker, title="Statut mjesne zajednice")
    factories.make_reply(thread, third, "Odgovor.")
    assert [n.kind for n in notes(helper)] == ["new_thread", "reply"]


def test_guests_are_sent_to_log_in(client, question):
    response = client.post(f"/t/{question.id}/watch", data={"level": "watching"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_hiding_a_reply_takes_its_notification_away(client, login, question, asker, admin):
    reply = factories.make_reply(question, factories.make_user(), "Kupite satove!")
    assert len(notes(asker)) == 1
    login(admin)
    client.post(f"/p/{reply.id}/hide", data={"reason": "Spam"})
    assert notes(asker, "reply") == []


def test_deleting_a_reply_takes_its_notification_away(client, login, question, asker, helper):
    reply = factories.make_reply(question, helper, "Pogrešna tema.")
    login(helper)
    client.post(f"/p/{reply.id}/delete")
    assert notes(asker, "reply") == []


def test_a_queued_reply_notifies_watchers_only_when_approved(client, login, question, asker, admin):
    newcomer = factories.make_user(display_name="Novi Član", trusted=False)
    reply = factories.make_reply(question, newcomer, "Moj prvi odgovor.")
    assert not reply.approved
    assert notes(asker) == []
    assert [n.kind for n in notes(admin)] == ["queue"]
    login(admin)
    page = client.get("/").get_data(as_text=True)
    assert 'class="badge badge-mod"' in page
    client.post(f"/p/{reply.id}/approve")
    assert [n.kind for n in notes(asker)] == ["reply"]
    assert all(n.read_at is not None for n in notes(admin, "queue"))


def test_moderators_hear_of_flags_in_their_categories(
    client, login, member, other_member, moderator_a, moderator_b, association_a
):
    category = factories.make_category("cat-a", association=association_a)
    thread = factories.make_thread(member, category, title="Tema za prijavu")
    reply = factories.make_reply(thread, other_member, "Sumnjiv tekst.")
    login(member)
    client.post(f"/p/{reply.id}/flag", data={"reason": "spam", "text": "Reklama"})
    assert [n.kind for n in notes(moderator_a)] == ["flag"]
    assert notes(moderator_b) == []


def test_accepting_an_answer_tells_its_author(client, login, question, asker, helper):
    reply = factories.make_reply(question, helper, "Ovo je odgovor.")
    login(asker)
    client.post(f"/p/{reply.id}/accept")
    assert [n.kind for n in notes(helper)] == ["accepted"]
