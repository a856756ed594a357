"""Signed, expiring unsubscribe tokens naming one member (no login needed to use one)."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from board.extensions import db
from board.models import User

SALT = "unsubscribe"
MAX_AGE = 90 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user: User) -> str:
    """A token for this member's unsubscribe link."""
    return _serializer().dumps({"u": user.id})


def user_for_unsubscribe(token: str) -> User | None:
    """The member the token names, or None if it is forged, broken or expired."""
    try:
        data = _serializer().loads(
            token, max_age=int(current_app.config.get("UNSUBSCRIBE_MAX_AGE", MAX_AGE))
        )
    except (BadSignature, ValueError, TypeError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def reply_token(row_id: int) -> str:
    """The ``<token>`` of ``reply+<token>@domain`` for one queued mail: its id and an HMAC,
    lower-case (some MTAs fold the local part), unguessable without the secret key."""
    return f"{row_id}x{_mac(row_id)}"


def row_for_reply_token(token: str) -> int | None:
    """The mail-queue id a reply token names, if its HMAC is right."""
    row_id, _sep, mac = (token or "").lower().partition("x")
    if not row_id.isdigit() or not hmac.compare_digest(mac, _mac(int(row_id))):
        return None
    return int(row_id)


def _mac(row_id: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"reply:{row_id}".encode(), hashlib.sha256).hexdigest()[:24]
