"""Hiding, restoring, locking, pinning, moving: what readers and authors notice."""

from __future__ import annotations

from sqlalchemy import select

from board.extensions import db
from board.models import Flag, ModerationAction, Notification
from board.models.notifications import KINDS
from tests import factories


def _log(action: str) -> ModerationAction | None:
    return db.session.scalar(select(ModerationAction).where(ModerationAction.action == action))


def _moderation_notices():
    """Moderation notices only: replies in the thread notify its watchers as well."""
    return select(Notification).where(Notification.kind.not_in(KINDS))


def test_moderator_hides_post_with_reason_author_sees_it_others_do_not(
    client, login, reply_a, moderator_a, member
):
    login(moderator_a)
    response = client.post(f"/p/{reply_a.id}/hide", data={"reason": "Reklamiranje proizvoda"})
    assert response.status_code == 302
    login(member)
    page = client.get(f"/t/{reply_a.thread_id}").get_data(as_text=True)
    assert "spam.example" not in page and "Reklamiranje proizvoda" not in page
    assert "hidden by a moderator" in page
    login(reply_a.author)
    page = client.get(f"/t/{reply_a.thread_id}").get_data(as_text=True)
    assert "Reklamiranje proizvoda" in page and "spam.example" in page
    entry = _log("hide_post")
    assert entry.actor_id == moderator_a.id and entry.reason == "Reklamiranje proizvoda"
    assert entry.before == {"hidden": False, "reason": ""} and entry.after == {"hidden": True}


def test_hide_without_reason_re_renders_with_400(client, login, reply_a, moderator_a):
    login(moderator_a)
    response = client.post(f"/p/{reply_a.id}/hide", data={"reason": ""})
    assert response.status_code == 400
    assert "Give a reason" in response.get_data(as_text=True)
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden


def test_restore_brings_the_post_back_and_tells_the_author(client, login, reply_a, moderator_a):
    login(moderator_a)
    client.post(f"/p/{reply_a.id}/hide", data={"reason": "Provjera"})
    client.post(f"/p/{reply_a.id}/restore")
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden
    assert reply_a.thread.post_count == 2
    kinds = [n.kind for n in db.session.scalars(select(Notification).order_by(Notification.id))]
    assert kinds == ["post_hidden", "post_restored"]


def test_moderator_cannot_hide_post_in_other_association(client, login, reply_a, moderator_b):
    login(moderator_b)
    response = client.post(f"/p/{reply_a.id}/hide", data={"reason": "Ne moj posao"})
    assert response.status_code == 403
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden
    assert _log("hide_post") is None


def test_lock_stops_member_replies_and_unlock_allows_them(
    client, login, thread_a, moderator_a, other_member
):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/lock")
    login(other_member)
    assert client.post(f"/t/{thread_a.id}/reply", data={"body": "Još nešto"}).status_code == 403
    assert "locked" in client.get(f"/t/{thread_a.id}").get_data(as_text=True)
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/unlock")
    login(other_member)
    assert client.post(f"/t/{thread_a.id}/reply", data={"body": "Još nešto"}).status_code == 302
    assert [e.action for e in db.session.scalars(select(ModerationAction))] == [
        "lock_thread",
        "unlock_thread",
    ]


def test_pinned_thread_is_listed_first(client, login, cat_a, thread_a, moderator_a, member):
    newer = factories.make_thread(member, cat_a, title="Noviji razgovor")
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/pin")
    page = client.get(f"/c/{cat_a.slug}").get_data(as_text=True)
    assert page.index(thread_a.title) < page.index(newer.title)
    client.post(f"/t/{thread_a.id}/unpin")
    page = client.get(f"/c/{cat_a.slug}").get_data(as_text=True)
    assert page.index(newer.title) < page.index(thread_a.title)


def test_moderator_moves_thread_between_own_categories(
    client, login, thread_a, cat_a2, moderator_a
):
    login(moderator_a)
    response = client.post(f"/t/{thread_a.id}/move", data={"category": cat_a2.slug})
    assert response.status_code == 302
    db.session.refresh(thread_a)
    assert thread_a.category_id == cat_a2.id
    entry = _log("move_thread")
    assert entry.before == {"category": "cat-a"} and entry.after == {"category": "cat-a2"}
    assert db.session.scalar(_moderation_notices()).kind == "thread_moved"


def test_moderator_cannot_move_thread_into_other_association(
    client, login, thread_a, cat_b, moderator_a
):
    login(moderator_a)
    response = client.post(f"/t/{thread_a.id}/move", data={"category": cat_b.slug})
    assert response.status_code == 403
    db.session.refresh(thread_a)
    assert thread_a.category.slug == "cat-a"


def test_move_to_unknown_category_is_a_400(client, login, thread_a, moderator_a):
    login(moderator_a)
    response = client.post(f"/t/{thread_a.id}/move", data={"category": "nema-je"})
    assert response.status_code == 400


def test_hidden_thread_disappears_for_members_and_shows_reason_to_author(
    client, login, thread_a, moderator_a, other_member, member
):
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/hide", data={"reason": "Duplikat teme"})
    login(other_member)
    assert client.get(f"/t/{thread_a.id}").status_code == 404
    assert thread_a.title not in client.get(f"/c/{thread_a.category.slug}").get_data(as_text=True)
    login(member)
    page = client.get(f"/t/{thread_a.id}").get_data(as_text=True)
    assert "Duplikat teme" in page
    login(moderator_a)
    client.post(f"/t/{thread_a.id}/restore")
    login(other_member)
    assert client.get(f"/t/{thread_a.id}").status_code == 200


def test_moderator_marking_answer_is_audited(client, login, reply_a, moderator_a):
    login(moderator_a)
    client.post(f"/p/{reply_a.id}/accept")
    client.post(f"/p/{reply_a.id}/unaccept")
    entries = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [e.action for e in entries] == ["accept_answer", "unaccept_answer"]
    assert entries[0].after == {"post": reply_a.id}


def test_thread_author_marking_answer_is_not_a_moderator_action(client, login, reply_a, member):
    login(member)
    client.post(f"/p/{reply_a.id}/accept")
    db.session.refresh(reply_a)
    assert reply_a.accepted
    assert db.session.scalar(select(ModerationAction)) is None


def test_author_editing_own_post_leaves_no_audit_line(client, login, reply_a, other_member):
    login(other_member)
    client.post(f"/p/{reply_a.id}/edit", data={"body": "Ispravljen tekst", "reason": ""})
    assert db.session.scalar(select(ModerationAction)) is None
    assert db.session.scalar(_moderation_notices()) is None


def test_moderator_edits_category_description_and_guidelines(client, login, cat_a, moderator_a):
    login(moderator_a)
    assert client.get(f"/mod/c/{cat_a.slug}/edit").status_code == 200
    response = client.post(
        f"/mod/c/{cat_a.slug}/edit",
        data={"description": "Novi opis", "guidelines": "Budite pristojni."},
    )
    assert response.status_code == 302
    page = client.get(f"/c/{cat_a.slug}").get_data(as_text=True)
    assert "Novi opis" in page and "Budite pristojni." in page
    entry = _log("edit_category")
    assert entry.after["guidelines"] == "Budite pristojni."


def test_moderator_cannot_edit_other_association_category(client, login, cat_b, moderator_a):
    login(moderator_a)
    response = client.post(
        f"/mod/c/{cat_b.slug}/edit", data={"description": "Otet", "guidelines": ""}
    )
    assert response.status_code == 403
    db.session.refresh(cat_b)
    assert cat_b.description == ""


def test_moderator_edit_of_others_post_needs_a_reason(client, login, reply_a, moderator_a):
    login(moderator_a)
    response = client.post(f"/p/{reply_a.id}/edit", data={"body": "Skraćeni tekst moderatora"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "its author will see it" in page and "Skraćeni tekst moderatora" in page
    db.session.refresh(reply_a)
    assert "spam.example" in reply_a.body_md
    assert _log("edit_post") is None


def test_admin_deleting_someone_elses_post_is_audited_and_author_told(
    client, login, reply_a, admin
):
    login(admin)
    client.post(f"/p/{reply_a.id}/delete")
    entry = _log("delete_post")
    assert entry.actor_id == admin.id and "spam.example" in entry.before["body"]
    login(reply_a.author)
    assert "deleted your post" in client.get("/notifications").get_data(as_text=True)


def test_every_moderation_form_page_renders_for_the_moderator(
    client, login, reply_a, cat_a2, moderator_a, member
):
    login(member)
    assert "Spam or advertising" in client.get(f"/p/{reply_a.id}/flag").get_data(as_text=True)
    client.post(f"/p/{reply_a.id}/flag", data={"reason": "spam", "text": "Reklama"})
    flag_id = db.session.scalar(select(Flag.id))
    login(moderator_a)
    thread_id = reply_a.thread_id
    pages = {
        f"/p/{reply_a.id}/hide": "Hide a post",
        f"/t/{thread_id}/hide": "Hide a thread",
        f"/t/{thread_id}/move": cat_a2.name,
        f"/mod/u/{member.id}/suspend": "Suspend Amra Member",
        f"/mod/flags/{flag_id}": "Reklama",
        "/mod": "Reklama",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.get_data(as_text=True), path
