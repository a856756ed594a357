"""Reporting posts, the automatic hide at the threshold, and resolving reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.extensions import db
from board.models import Flag, ModerationAction, Notification


def _flag(client, login, user, post, reason="spam", text="Reklama."):
    login(user)
    return client.post(f"/p/{post.id}/flag", data={"reason": reason, "text": text})


def test_member_reports_a_post_once(client, login, reply_a, flaggers):
    response = _flag(client, login, flaggers[0], reply_a)
    assert response.status_code == 302
    assert db.session.scalar(select(Flag)).reason == "spam"
    client.post(f"/p/{reply_a.id}/flag", data={"reason": "offensive", "text": ""})
    page = client.get(f"/t/{reply_a.thread_id}", follow_redirects=True).get_data(as_text=True)
    assert "already reported" in page
    assert len(db.session.scalars(select(Flag)).all()) == 1


def test_flag_without_reason_is_refused_and_keeps_the_text(client, login, reply_a, member):
    login(member)
    response = client.post(f"/p/{reply_a.id}/flag", data={"text": "Ovo je reklama za satove."})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a reason" in page
    assert "Ovo je reklama za satove." in page


def test_flag_with_unknown_reason_is_a_400(client, login, reply_a, member):
    login(member)
    response = client.post(f"/p/{reply_a.id}/flag", data={"reason": "boring", "text": ""})
    assert response.status_code == 400
    assert db.session.scalar(select(Flag)) is None


def test_author_cannot_report_own_post(client, login, reply_a, other_member):
    response = _flag(client, login, other_member, reply_a)
    assert response.status_code == 403


def test_third_distinct_report_hides_the_post_pending_review(client, login, reply_a, flaggers):
    _flag(client, login, flaggers[0], reply_a)
    _flag(client, login, flaggers[1], reply_a)
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden
    _flag(client, login, flaggers[2], reply_a)
    db.session.refresh(reply_a)
    assert reply_a.is_hidden
    page = client.get(f"/t/{reply_a.thread_id}").get_data(as_text=True)
    assert "spam.example" not in page
    entry = db.session.scalar(select(ModerationAction))
    assert entry.action == "auto_hide_post" and entry.category_id == reply_a.thread.category_id
    assert (
        db.session.scalar(
            select(Notification).where(Notification.user_id == reply_a.author_id)
        ).kind
        == "post_hidden"
    )


def test_threshold_comes_from_config(app, client, login, reply_a, flaggers):
    app.config["FLAG_HIDE_THRESHOLD"] = 1
    _flag(client, login, flaggers[0], reply_a)
    db.session.refresh(reply_a)
    assert reply_a.is_hidden


def test_moderator_resolves_report_by_hiding_and_flaggers_are_told(
    client, login, reply_a, flaggers, moderator_a
):
    for user in flaggers[:2]:
        _flag(client, login, user, reply_a)
    flag = db.session.scalar(select(Flag))
    login(moderator_a)
    response = client.post(
        f"/mod/flags/{flag.id}", data={"outcome": "hide", "reason": "Reklama nije dozvoljena."}
    )
    assert response.status_code == 302
    db.session.refresh(reply_a)
    assert reply_a.is_hidden and reply_a.hidden_reason == "Reklama nije dozvoljena."
    assert all(f.outcome == "hidden" for f in db.session.scalars(select(Flag)))
    for user in flaggers[:2]:
        login(user)
        page = client.get("/notifications").get_data(as_text=True)
        assert "a moderator hid it" in page
    login(reply_a.author)
    page = client.get(f"/t/{reply_a.thread_id}").get_data(as_text=True)
    assert "Reklama nije dozvoljena." in page


def test_dismissing_restores_a_post_the_threshold_hid(
    client, login, reply_a, flaggers, moderator_a
):
    for user in flaggers:
        _flag(client, login, user, reply_a)
    flag = db.session.scalars(select(Flag)).first()
    login(moderator_a)
    client.post(f"/mod/flags/{flag.id}", data={"outcome": "dismiss", "reason": ""})
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden
    assert {f.outcome for f in db.session.scalars(select(Flag))} == {"dismissed"}


def test_hiding_from_a_report_needs_a_reason(client, login, reply_a, flaggers, moderator_a):
    _flag(client, login, flaggers[0], reply_a)
    flag = db.session.scalar(select(Flag))
    login(moderator_a)
    response = client.post(f"/mod/flags/{flag.id}", data={"outcome": "hide", "reason": " "})
    assert response.status_code == 400
    db.session.refresh(reply_a)
    assert not reply_a.is_hidden


def test_moderator_of_other_association_cannot_see_or_resolve_the_report(
    client, login, reply_a, flaggers, moderator_b
):
    _flag(client, login, flaggers[0], reply_a, text="Tajni tekst prijave")
    flag = db.session.scalar(select(Flag))
    login(moderator_b)
    assert "Tajni tekst prijave" not in client.get("/mod").get_data(as_text=True)
    assert client.get(f"/mod/flags/{flag.id}").status_code == 404
    response = client.post(f"/mod/flags/{flag.id}", data={"outcome": "hide", "reason": "x"})
    assert response.status_code == 404
    db.session.refresh(flag)
    assert flag.resolved_at is None


def test_moderator_edit_of_reported_post_resolves_reports_as_edited(
    client, login, reply_a, flaggers, moderator_a
):
    _flag(client, login, flaggers[0], reply_a)
    login(moderator_a)
    client.post(
        f"/p/{reply_a.id}/edit", data={"body": "[uklonjen link]", "reason": "Uklonjen spam link"}
    )
    flag = db.session.scalar(select(Flag))
    assert flag.outcome == "edited"
    entry = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "edit_post")
    )
    assert entry.reason == "Uklonjen spam link"
    assert "spam.example" in entry.before["body"] and entry.after["body"] == "[uklonjen link]"
    login(reply_a.author)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Uklonjen spam link" in page


@pytest.mark.parametrize(
    ("outcome", "label", "code"),
    [("hide", "objava je sakrivena", "hidden"), ("dismiss", "prijava je odbačena", "dismissed")],
)
def test_resolved_report_shows_its_outcome_in_words_in_bosnian(
    client, login, reply_a, flaggers, moderator_a, outcome, label, code
):
    _flag(client, login, flaggers[0], reply_a)
    flag = db.session.scalar(select(Flag))
    login(moderator_a)
    client.post(f"/mod/flags/{flag.id}", data={"outcome": outcome, "reason": "Reklama."})
    client.set_cookie("lang", "bs")
    page = client.get(f"/mod/flags/{flag.id}").get_data(as_text=True)
    assert f": {label}</p>" in page
    assert f": {code}<" not in page
