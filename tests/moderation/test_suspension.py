"""Suspensions: moderators restrict members in their association's categories for up to
seven days; admins suspend from the whole board for any period; suspended members read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from board.extensions import db
from board.models import ModerationAction, PostingRestriction
from board.models.base import utcnow
from tests import factories


def test_moderator_restricts_member_in_own_categories_only(
    client, login, thread_a, cat_b, moderator_a, other_member, association_a
):
    thread_b = factories.make_thread(other_member, cat_b, title="Tema u savezu B")
    login(moderator_a)
    response = client.post(
        f"/mod/u/{other_member.id}/suspend", data={"days": "3", "reason": "Vrijeđanje"}
    )
    assert response.status_code == 302
    db.session.refresh(other_member)
    assert not other_member.is_suspended
    restriction = db.session.scalar(select(PostingRestriction))
    assert restriction.user_id == other_member.id
    assert restriction.association_id == association_a.id
    assert restriction.until > utcnow() + timedelta(days=2, hours=23)
    login(other_member)
    assert "Vrijeđanje" in client.get("/notifications").get_data(as_text=True)
    assert client.post(f"/t/{thread_a.id}/reply", data={"body": "Ipak pišem"}).status_code == 403
    assert client.post(f"/t/{thread_b.id}/reply", data={"body": "Ovdje smijem"}).status_code == 302
    assert (
        client.post("/c/regulation/new", data={"title": "Nova", "body": "Smijem"}).status_code
        == 302
    )
    assert db.session.scalar(select(ModerationAction)).action == "restrict_user"


def test_moderator_cannot_suspend_board_wide_or_in_another_association(
    client, login, moderator_a, member
):
    login(moderator_a)
    for scope in ("", "assoc-b"):
        response = client.post(
            f"/mod/u/{member.id}/suspend",
            data={"days": "3", "reason": "Van ovlasti", "association": scope},
        )
        assert response.status_code == 400, scope
    db.session.refresh(member)
    assert not member.is_suspended and not member.restrictions


def test_moderator_lifts_own_restriction(client, login, thread_a, moderator_a, other_member):
    login(moderator_a)
    client.post(f"/mod/u/{other_member.id}/suspend", data={"days": "2", "reason": "Pauza"})
    page = client.get(f"/mod/u/{other_member.id}/suspend").get_data(as_text=True)
    assert "Lift the restriction" in page
    client.post(f"/mod/u/{other_member.id}/unsuspend", data={"association": "assoc-a"})
    login(other_member)
    assert client.post(f"/t/{thread_a.id}/reply", data={"body": "Opet pišem"}).status_code == 302


def test_moderator_cannot_suspend_for_more_than_seven_days(client, login, moderator_a, member):
    login(moderator_a)
    response = client.post(f"/mod/u/{member.id}/suspend", data={"days": "30", "reason": "Dugo"})
    assert response.status_code == 400
    assert "at most 7 days" in response.get_data(as_text=True)
    response = client.post(
        f"/mod/u/{member.id}/suspend", data={"permanent": "y", "reason": "Zauvijek"}
    )
    assert response.status_code == 400
    db.session.refresh(member)
    assert not member.is_suspended


def test_admin_suspends_permanently_and_lifts_it(client, login, admin, member):
    login(admin)
    client.post(f"/mod/u/{member.id}/suspend", data={"permanent": "y", "reason": "Spamer"})
    db.session.refresh(member)
    assert member.is_suspended and member.suspended_until.year == 9999
    assert member.restrictions == []
    login(member)
    assert "suspended permanently" in client.get("/").get_data(as_text=True)
    login(admin)
    client.post(f"/mod/u/{member.id}/unsuspend")
    db.session.refresh(member)
    assert not member.is_suspended


def test_member_cannot_suspend(client, login, member, other_member):
    login(member)
    response = client.post(f"/mod/u/{other_member.id}/suspend", data={"days": "1", "reason": "x"})
    assert response.status_code == 403


def test_moderator_cannot_suspend_another_moderator(client, login, moderator_a, moderator_b):
    login(moderator_a)
    response = client.post(f"/mod/u/{moderator_b.id}/suspend", data={"days": "1", "reason": "x"})
    assert response.status_code == 403
    db.session.refresh(moderator_b)
    assert not moderator_b.is_suspended


def test_suspended_moderator_stops_moderating_until_it_ends(
    client, login, admin, moderator_a, reply_a
):
    login(admin)
    client.post(f"/mod/u/{moderator_a.id}/suspend", data={"days": "2", "reason": "Pauza"})
    login(moderator_a)
    assert client.get("/mod").status_code == 403
    assert client.post(f"/p/{reply_a.id}/hide", data={"reason": "x"}).status_code == 403
    assert "spam.example" in client.get(f"/t/{reply_a.thread_id}").get_data(as_text=True)
    login(admin)
    client.post(f"/mod/u/{moderator_a.id}/unsuspend")
    login(moderator_a)
    assert client.get("/mod").status_code == 200
