"""Two-step login: a TOTP authenticator app (RFC 6238, via pyotp) plus one-time recovery
codes for the day the phone is lost. Each use case commits once."""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import select

from board.extensions import db
from board.models import RecoveryCode, User
from board.models.base import utcnow

ISSUER = "Mreža"
RECOVERY_CODES = 10
# Codes are read off a screen and typed: no 0/O, 1/I/L to confuse.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    """A fresh base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an inline SVG element (no script, no external file)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def group_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _hash(code: str) -> str:
    """Recovery codes carry ~50 random bits each, so a plain SHA-256 suffices (no salt
    or slow hash needed: there is nothing to guess from a dictionary)."""
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code ``code`` is, allowing one step of clock drift."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now, now - 1, now + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; returns the plain codes, shown once."""
    for old in list(user.recovery_codes):
        db.session.delete(old)
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        user.recovery_codes.append(RecoveryCode(code_hash=_hash(raw)))
    return codes


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-step login on if ``code`` proves the app holds ``secret``.

    Returns the recovery codes to show once, or None when the code is wrong.
    """
    step = _matching_step(secret, _normalise(code))
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _new_codes(user)
    db.session.commit()
    return codes


def regenerate_codes(user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _new_codes(user)
    db.session.commit()
    return codes


def disable(user: User) -> None:
    """Turn two-step login off and forget the secret and the recovery codes."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = 0
    for old in list(user.recovery_codes):
        db.session.delete(old)
    db.session.commit()


def verify(user: User, code: str) -> bool:
    """The second step: a current app code (each usable once) or an unused recovery code."""
    if not user.has_two_factor:
        return False
    code = _normalise(code)
    step = _matching_step(user.totp_secret or "", code)
    if step is not None:
        if step <= user.totp_last_step:
            return False  # replayed: this code (or a later one) was already used
        user.totp_last_step = step
        db.session.commit()
        return True
    if len(code) != 10:
        return False
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    db.session.commit()
    return True


def unused_codes(user: User) -> int:
    """How many recovery codes are left."""
    return sum(1 for c in user.recovery_codes if c.used_at is None)


def required_for(user: User) -> bool:
    """Whether the board requires this user to use two-step login (admins and moderators,
    when ``TWO_FACTOR_REQUIRED_FOR_STAFF`` is on)."""
    value = str(current_app.config.get("TWO_FACTOR_REQUIRED_FOR_STAFF", "")).lower()
    staff = user.is_admin or bool(user.moderated_association_ids)
    return value in {"1", "true", "yes", "on"} and staff
