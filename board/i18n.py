"""Language choice: the user's stored preference, else a cookie, else Bosnian."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from flask_babel import format_datetime
from flask_login import current_user

COOKIE = "lang"


def select_locale() -> str:
    """Signed-in users keep their choice on every device; guests keep it in a cookie."""
    languages = current_app.config["LANGUAGES"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    cookie = request.cookies.get(COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def localdate(value: datetime | None, style: str = "medium") -> str:
    """Format a timestamp in the reader's language and the board's timezone."""
    if value is None:
        return ""
    return format_datetime(value, style)
