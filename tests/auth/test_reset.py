"""Password reset by an e-mailed, single-use, expiring link."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from board.auth.service import RESET_SALT, _fingerprint
from board.extensions import db
from board.models import User
from tests import factories

NEW_PASSWORD = "nova lozinka za savjet"
_TOKEN = re.compile(r'name="csrf_token" (type="hidden" )?value="[^"]+"')


def _log_in(client, password: str):
    client.post("/logout")
    return client.post("/login", data={"email": "member@example.ba", "password": password})


def test_reset_link_sets_a_new_password_once(client, mail_sink, member):
    response = client.post("/reset", data={"email": "member@example.ba"})
    assert response.status_code == 200
    link = mail_sink.link("member@example.ba")
    assert "/reset/" in link

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    assert _log_in(client, factories.PASSWORD).status_code == 400
    assert _log_in(client, NEW_PASSWORD).status_code == 302

    # The same link a second time: refused with a clear page, password unchanged.
    client.post("/logout")
    again = client.post(link, data={"password": "jos jedna nova lozinka"})
    assert again.status_code == 400
    assert 'href="/reset"' in again.get_data(as_text=True)
    assert _log_in(client, NEW_PASSWORD).status_code == 302


def test_reset_form_refuses_weak_password_and_keeps_link_usable(client, mail_sink, member):
    client.post("/reset", data={"email": "member@example.ba"})
    link = mail_sink.link("member@example.ba")
    weak = client.post(link, data={"password": "password123"})
    assert weak.status_code == 400
    assert 'id="password-error"' in weak.get_data(as_text=True)
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 302


class _LongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 2 * 3600 - 60


def test_expired_reset_link_is_refused(app, client, member):
    user = db.session.scalar(select(User).where(User.email == "member@example.ba"))
    token = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=RESET_SALT, signer=_LongAgo
    ).dumps({"uid": user.id, "pw": _fingerprint(user)})
    response = client.get(f"/reset/{token}")
    assert response.status_code == 400
    assert client.post(f"/reset/{token}", data={"password": NEW_PASSWORD}).status_code == 400
    assert _log_in(client, factories.PASSWORD).status_code == 302


def test_garbled_reset_link_is_refused(client):
    assert client.get("/reset/not-a-token").status_code == 400


def test_reset_request_looks_the_same_for_known_and_unknown_addresses(client, mail_sink, member):
    known = client.post("/reset", data={"email": "member@example.ba"})
    unknown = client.post("/reset", data={"email": "nobody@example.ba"})
    assert known.status_code == unknown.status_code == 200
    a = _TOKEN.sub("", known.get_data(as_text=True).replace("member@example.ba", "X"))
    b = _TOKEN.sub("", unknown.get_data(as_text=True).replace("nobody@example.ba", "X"))
    assert a == b
    assert len(mail_sink.to("member@example.ba")) == 1
    assert mail_sink.to("nobody@example.ba") == []


def test_following_a_reset_link_confirms_the_address(client, mail_sink, unconfirmed):
    client.post("/reset", data={"email": "new@example.ba"})
    client.post(mail_sink.link("new@example.ba"), data={"password": NEW_PASSWORD})
    user = db.session.scalar(select(User).where(User.email == "new@example.ba"))
    db.session.refresh(user)
    assert user.confirmed_at is not None
