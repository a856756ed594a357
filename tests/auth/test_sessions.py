"""Logout, a new password and a suspension end the member's other sessions: a copied
session cookie or a 365-day remember-me cookie stops working at once."""

from __future__ import annotations

import pytest
from flask_login import current_user, login_required

from board.auth import service
from board.extensions import db
from tests import factories

NEW_PASSWORD = "sasvim nova lozinka za vijeće"


def _signed_in(client) -> bool:
    return client.get("/settings").status_code == 200


def _copy(app, source, *names: str):
    """Another browser holding copies of ``source``'s cookies (a thief's, or the laptop's)."""
    other = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def test_copied_session_cookie_stops_working_after_logout(app, client, login, member):
    login(member)
    thief = _copy(app, client, "session")
    assert _signed_in(thief)
    client.post("/logout")
    assert not _signed_in(thief)


def test_remember_me_cookie_stops_working_after_password_reset(app, client, login, member):
    login(member, remember=True)
    laptop = _copy(app, client, "remember_token")
    assert _signed_in(laptop)
    phone = _copy(app, client, "session")
    service.reset_password(db.session.get(type(member), member.id), NEW_PASSWORD)
    fresh = _copy(app, client, "remember_token")
    assert not _signed_in(fresh)
    assert not _signed_in(laptop)
    assert not _signed_in(phone)


def test_reset_through_the_mailed_link_ends_open_sessions(app, client, login, member, mail_sink):
    login(member, remember=True)
    laptop = _copy(app, client, "session", "remember_token")
    client.post("/logout")
    client.post("/reset", data={"email": member.email})
    client.post(mail_sink.link(member.email), data={"password": NEW_PASSWORD})
    assert not _signed_in(laptop)


@pytest.fixture
def app(app):
    """A stand-in for the change-password page: it sets the password the service's way."""

    @login_required
    def change_password():
        service.reset_password(current_user, NEW_PASSWORD)
        return "changed"

    app.add_url_rule("/test/change-password", view_func=change_password, methods=["POST"])
    return app


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, login, member):
    login(member, remember=True)
    other_browser = _copy(app, client, "session", "remember_token")
    assert client.post("/test/change-password").get_data(as_text=True) == "changed"
    assert _signed_in(client)
    assert not _signed_in(other_browser)
    # This browser's renewed remember-me cookie still signs it in once the session is gone.
    renewed = _copy(app, client, "remember_token")
    assert _signed_in(renewed)


def test_suspension_ends_the_members_sessions(app, client, login, admin, member):
    login(member)
    members_browser = _copy(app, client, "session")
    login(admin)
    client.post(f"/mod/u/{member.id}/suspend", data={"days": "2", "reason": "Pauza"})
    assert not _signed_in(members_browser)


def test_a_session_without_a_version_is_refused(client, member):
    with client.session_transaction() as session:
        session["_user_id"] = str(member.id)
        session["_fresh"] = True
    assert not _signed_in(client)


def test_other_members_sessions_are_untouched(client, login, login_elsewhere, member):
    other = factories.make_user(email="drugi@example.ba")
    others_browser = login_elsewhere(other)
    assert _signed_in(others_browser)
    login(member)
    client.post("/logout")
    assert _signed_in(others_browser)
