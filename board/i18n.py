"""Language choice: the user's stored preference, else a cookie, else Bosnian."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.dates import format_skeleton, format_timedelta
from flask import current_app, request
from flask_babel import format_date, format_time, get_locale, gettext, to_user_timezone
from flask_login import current_user
from markupsafe import Markup

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


def localdate(value: datetime | None) -> str:
    """The exact day and minute in the reader's language and the board's timezone
    ("2. decembar 2026. u 14:05"); seconds say nothing to a reader."""
    if value is None:
        return ""
    return gettext(
        "%(day)s at %(time)s", day=format_date(value, "long"), time=format_time(value, "short")
    )


def _relative_day(offset: int) -> str | None:
    """ "today" or "yesterday" in the reader's language, from the CLDR data Babel ships."""
    fields = get_locale()._data.get("date_fields", {})  # no public accessor in Babel 2.19
    return fields.get("day", {}).get("relative", {}).get(offset)


def humantime(value: datetime | None, now: datetime | None = None) -> str:
    """A time as people say it: "upravo sada", "prije 3 sata", "jučer u 14:05", "2. mart",
    and for another year "2. mar 2025."."""
    if value is None:
        return ""
    now = now or datetime.now(UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    age = now - value
    locale = get_locale()
    if age < timedelta(minutes=1):
        return gettext("just now")
    if age < timedelta(hours=6):
        return format_timedelta(-age, add_direction=True, locale=locale)
    local, today = to_user_timezone(value), to_user_timezone(now)
    days = (today.date() - local.date()).days
    if days in (0, 1) and _relative_day(-days):
        return gettext(
            "%(day)s at %(time)s", day=_relative_day(-days), time=format_time(value, "short")
        )
    if local.year == today.year:
        return format_skeleton("MMMMd", local, locale=locale)
    return format_skeleton("yMMMd", local, locale=locale)


def machine_time(value: datetime) -> str:
    """The ``datetime`` attribute: UTC to the second, no microseconds (the Nu HTML Checker
    refuses six fractional digits)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def timetag(value: datetime | None, now: datetime | None = None) -> Markup:
    """``<time>`` reading as people say it, with the exact time in its title."""
    if value is None:
        return Markup("")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        machine_time(value), localdate(value), humantime(value, now)
    )
