"""Suspensions: moderators up to seven days, admins any period; suspended members read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from board.extensions import db
from board.models import ModerationAction
from board.models.base import utcnow


def test_moderator_suspends_member_for_three_days(
    client, login, thread_a, moderator_a, other_member
):
    login(moderator_a)
    response = client.post(
        f"/mod/u/{other_member.id}/suspend", data={"days": "3", "reason": "Vrijeđanje"}
    )
    assert response.status_code == 302
    db.session.refresh(other_member)
    assert other_member.suspended_until > utcnow() + timedelta(days=2, hours=23)
    login(other_member)
    page = client.get(f"/t/{thread_a.id}").get_data(as_text=True)
    assert "suspended until" in page and "Vrijeđanje" in page
    assert client.post(f"/t/{thread_a.id}/reply", data={"body": "Ipak pišem"}).status_code == 403
    assert db.session.scalar(select(ModerationAction)).action == "suspend_user"


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
