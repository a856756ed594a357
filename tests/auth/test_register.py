"""Registration and e-mail confirmation, with mail through a real SMTP server."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from board.auth.service import CONFIRM_SALT
from board.extensions import db
from board.models import Thread, User
from tests import factories

FORM = {
    "email": "Lejla.Begic@Example.ba",
    "display_name": "Lejla Begić",
    "password": "zbor gradjana u cetvrtak",
    "function": "council",
    "municipality": "Tuzla",
    "mz": "Slatina",
}


def _register(client, **changes):
    return client.post("/register", data={**FORM, **changes})


def test_register_form_offers_every_function(client):
    page = client.get("/register").get_data(as_text=True)
    for value in ("council", "secretary", "official", "activist", "other"):
        assert f'value="{value}"' in page
    for name in ("email", "display_name", "password", "function", "municipality", "mz"):
        assert f'name="{name}"' in page


def test_register_stores_profile_and_mails_confirmation(client, mail_sink):
    response = _register(client)
    assert response.status_code == 200
    assert "lejla.begic@example.ba" in response.get_data(as_text=True).lower()
    user = db.session.scalar(select(User))
    assert user.email == "lejla.begic@example.ba"
    # No map is loaded here, so the place stays as typed, for the member to fix later.
    assert (user.display_name, user.function, user.municipality_text, user.mz_text) == (
        "Lejla Begić",
        "council",
        "Tuzla",
        "Slatina",
    )
    assert user.confirmed_at is None
    assert user.password_hash != FORM["password"]
    mail = mail_sink.latest("lejla.begic@example.ba")
    assert "Lejla Begić" in mail_sink.body(mail)
    assert "/confirm/" in mail_sink.link()


def test_confirmation_link_confirms_and_logs_in(client, mail_sink):
    _register(client)
    link = mail_sink.link("lejla.begic@example.ba")
    response = client.get(link)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    db.session.refresh(user)
    assert user.confirmed_at is not None
    page = client.get("/").get_data(as_text=True)
    assert "Lejla Begić" in page  # signed in: the name is in the header


def test_garbled_confirmation_link_is_a_clear_400(client, mail_sink):
    _register(client)
    link = mail_sink.link("lejla.begic@example.ba")
    response = client.get(link[:-4] + "abcd")
    assert response.status_code == 400
    assert 'href="/login"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User)).confirmed_at is None


class _ThreeDaysAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 3 * 24 * 3600 - 60


def test_expired_confirmation_link_is_a_clear_400(app, client, member):
    user = db.session.scalar(select(User).where(User.email == "member@example.ba"))
    user.confirmed_at = None
    db.session.commit()
    token = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=CONFIRM_SALT, signer=_ThreeDaysAgo
    ).dumps({"uid": user.id, "email": user.email})
    response = client.get(f"/confirm/{token}")
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.confirmed_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"password": "kratka1"}, "password"),
        ({"password": "qwertyuiop"}, "password"),
        ({"password": "Password123"}, "password"),
        ({"function": "king"}, "function"),
    ],
)
def test_invalid_registration_is_400_with_message_and_keeps_input(client, changes, field):
    response = _register(client, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert 'class="error-summary"' in page
    assert 'value="Slatina"' in page  # what was typed elsewhere is still there
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_password_messages_say_why(client):
    client.set_cookie("lang", "en")
    short = _register(client, password="kratka1").get_data(as_text=True)
    assert "10 to 256 characters" in short
    common = _register(client, password="1234567890").get_data(as_text=True)
    assert "too common" in common


def test_unconfirmed_member_reads_but_cannot_post_or_reply(client, login, unconfirmed, member):
    thread = factories.make_thread(member)
    login(unconfirmed)
    assert client.get(f"/t/{thread.id}").status_code == 200
    assert client.get("/c/regulation/new").status_code == 403
    response = client.post(f"/t/{thread.id}/reply", data={"body": "Mogu li?"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Thread.id))) == 1


def test_registering_a_known_address_looks_the_same_and_mails_the_owner(client, mail_sink, member):
    new = _register(client, email="fresh@example.ba").get_data(as_text=True)
    known = _register(client, email="member@example.ba").get_data(as_text=True)
    assert _strip_csrf(new.replace("fresh@example.ba", "X")) == _strip_csrf(
        known.replace("member@example.ba", "X")
    )
    assert db.session.scalar(select(func.count(User.id))) == 2  # member + fresh
    mail = mail_sink.latest("member@example.ba")
    assert "/reset" in mail_sink.body(mail)
    assert "/confirm/" not in mail_sink.body(mail)


def test_registering_a_known_address_costs_the_same_password_hashing(client, member, monkeypatch):
    """No timing side channel: the known address also pays for a password hash."""
    from board.auth import service

    calls = []
    real = service.hash_password
    monkeypatch.setattr(service, "hash_password", lambda p: calls.append(p) or real(p))
    _register(client, email="fresh@example.ba")
    _register(client, email="member@example.ba")
    assert len(calls) == 2


def _strip_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", page)


def test_without_mail_server_mail_goes_to_outbox_and_log(app, client, caplog):
    assert not app.config["MAIL_SERVER"]
    _register(client)
    outbox = list(Path(app.instance_path, "outbox").glob("*.eml"))
    assert len(outbox) == 1
    text = outbox[0].read_text()
    assert "lejla.begic@example.ba" in text
    assert "/confirm/" in text
    assert any("/confirm/" in record.getMessage() for record in caplog.records)
