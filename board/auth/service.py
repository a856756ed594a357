"""Account use cases. Each commits once; mail goes out only after the commit."""

from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from board import mail
from board.auth.passwords import hash_password, verify_password
from board.extensions import db
from board.models import User
from board.models.base import utcnow
from board.places.service import Home, match_place_text, set_home
from board.urls import external_url

CONFIRM_SALT = "confirm-email"
RESET_SALT = "reset-password"
# A real hash to compare against when the e-mail is unknown, so timing tells nothing.
_DUMMY_HASH = None


class TokenError(Exception):
    """A confirmation or reset link that is invalid, expired or already used."""


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Look up an account by e-mail address."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    email: str,
    display_name: str,
    password: str,
    *,
    confirmed: bool = False,
    **profile: str,
) -> User:
    """Create (and flush, not commit) an account; callers decide the transaction."""
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        confirmed_at=utcnow() if confirmed else None,
        **profile,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, display_name: str, password: str, **profile: str) -> User | None:
    """Register and mail a confirmation link.

    An address that already has an account gets a mail saying so instead; the page the
    visitor sees is the same either way, so registration does not reveal who is a member.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        hash_password(password)  # the same work as a new account, so timing tells nothing
        _send(
            existing,
            _l("Your Mreža account"),
            "mail/account_exists.txt",
            reset_url=external_url("auth.reset_request"),
        )
        return None
    places = match_place_text(profile.pop("municipality", ""), profile.pop("mz", ""))
    user = create_user(email, display_name, password, **profile, **places)
    db.session.commit()
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    """Mail a signed, expiring confirmation link."""
    token = _serializer(CONFIRM_SALT).dumps({"uid": user.id, "email": user.email})
    link = external_url("auth.confirm", token=token)
    _send(user, _l("Confirm your e-mail address"), "mail/confirm.txt", link=link)


def confirm(token: str) -> User:
    """Confirm the account a link was issued for."""
    data = _load(CONFIRM_SALT, token, current_app.config["CONFIRM_MAX_AGE"])
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise TokenError
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
        db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, or None (in constant-ish time)."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    return user if verify_password(user.password_hash, password) else None


def request_reset(email: str) -> None:
    """Mail a single-use reset link if the account exists; say nothing either way.

    Both cases do the same work before the answer (a lookup, a signed token, a link);
    the member's mail is rendered and sent after the response, so neither the page nor
    its timing tells whether the address has an account.
    """
    user = find_user_by_email(email)
    payload = {"uid": user.id, "pw": _fingerprint(user)} if user else {"uid": 0, "pw": "-"}
    link = external_url("auth.reset", token=_serializer(RESET_SALT).dumps(payload))
    if user is None:
        return
    user_id = user.id

    def send_reset() -> None:
        recipient = db.session.get(User, user_id)
        if recipient is not None:
            _send(recipient, _l("Reset your password"), "mail/reset.txt", link=link)

    mail.after_response(send_reset)


def notify_login_limit(email: str) -> None:
    """Tell an account's owner (once per window) that logins to it are paused after many
    wrong passwords; nothing happens, visibly or in timing, for an unknown address."""
    user = find_user_by_email(email)
    if user is None:
        return
    user_id = user.id
    link = external_url("auth.reset_request")

    def send_notice() -> None:
        recipient = db.session.get(User, user_id)
        if recipient is not None:
            _send(recipient, _l("Many wrong passwords for your account"),
                  "mail/login_limit.txt", reset_url=link)  # fmt: skip

    mail.after_response(send_notice)


def user_for_reset(token: str) -> User:
    """The account a reset link belongs to, while the link is still unused and fresh."""
    data = _load(RESET_SALT, token, current_app.config["RESET_MAX_AGE"])
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("pw") != _fingerprint(user):
        raise TokenError
    return user


def reset_password(user: User, password: str) -> None:
    """Set a new password; the changed hash invalidates every outstanding reset link and
    (through ``User.end_sessions``) every session; see ``keep_current_session``.

    Following the link proves the address, so an unconfirmed account becomes confirmed.
    """
    user.password_hash = hash_password(password)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    db.session.commit()


def end_sessions(user: User) -> None:
    """Sign the account out everywhere: copied session and remember-me cookies stop working."""
    user.end_sessions()
    db.session.commit()


def set_locale(user: User, locale: str | None, script: str | None = None) -> None:
    """Remember a signed-in user's language and reading script on their account.

    ``None`` leaves that choice as it was, so the switcher can send either alone.
    """
    if locale is not None:
        user.locale = locale
    if script is not None:
        user.script = script
    db.session.commit()


def update_profile(user: User, home: Home, **fields: str | bool) -> None:
    """Change the profile: plain fields, and the member's place on the map."""
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    set_home(user, home)
    db.session.commit()


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password-ever")
    return _DUMMY_HASH


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(salt).loads(token, max_age=int(max_age))
    except (SignatureExpired, BadSignature) as error:
        raise TokenError from error
    if not isinstance(data, dict):
        raise TokenError
    return data


def _send(user: User, subject: object, template: str, **context: str) -> None:
    """Mail in the recipient's language, not the language of whoever triggered it."""
    from flask import render_template

    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        body = render_template(template, user=user, **context)
        subject_text = str(subject)
    mail.send(user.email, subject_text, body)
