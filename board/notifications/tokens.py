"""Signed, expiring unsubscribe tokens naming one member (no login needed to use one)."""

from __future__ import annotations

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
