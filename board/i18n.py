"""Language and script choice: the member's setting, else a cookie, else the browser, else Bosnian.

Two independent choices. The *locale* picks the interface catalogue (``bs``, ``hr``, ``sr``
in Cyrillic, ``sr_Latn``, ``en``). The reader's *script* (``as_written``, ``latin``,
``cyrillic``) says how members' own words (titles, posts, snippets, names) are shown; they
are transliterated on the way out and never stored changed. The interface's script follows
the locale alone.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from babel.dates import format_skeleton, format_timedelta
from babel.support import Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import (
    Domain,
    format_date,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
    gettext,
    to_user_timezone,
)
from flask_login import current_user
from markupsafe import Markup, escape

from board.text.script import html_to_script, to_script

COOKIE = "lang"
SCRIPT_COOKIE = "script"
SCRIPTS = ("as_written", "latin", "cyrillic")
# BCP 47 tags for <html lang>: Serbian names its script, the others have one.
HTML_LANG = {"bs": "bs", "hr": "hr", "sr": "sr-Cyrl", "sr_Latn": "sr-Latn", "en": "en"}
# Shown in the switcher in each language's own name and script.
LANGUAGE_NAMES = {
    "bs": "Bosanski",
    "hr": "Hrvatski",
    "sr": "Српски (ћирилица)",
    "sr_Latn": "Srpski (latinica)",
    "en": "English",
}


def select_locale() -> str:
    """Signed-in users keep their choice on every device; guests keep it in a cookie."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return _shell_locale(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    cookie = request.cookies.get(COOKIE)
    if cookie in languages:
        return cookie
    return _browser_locale(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _browser_locale(languages: tuple[str, ...]) -> str | None:
    """The best ``Accept-Language`` match; ``sr`` alone means Cyrillic, ``sr-Latn`` Latin."""
    tags = {code.replace("_", "-"): code for code in languages}
    best = request.accept_languages.best_match(list(tags))
    return tags.get(best) if best else None


def _shell_locale(languages: tuple[str, ...]) -> str | None:
    """The CLI speaks the admin's shell language: LANG=hr_HR.UTF-8 -> hr, sr_RS@latin -> sr_Latn."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            break
    low = value.lower()
    language = low.replace("@", "_").replace(".", "_").replace("-", "_").split("_")[0]
    if language == "sr" and ("latin" in low or "latn" in low):
        return "sr_Latn" if "sr_Latn" in languages else None
    return language if language in languages else None


def current_script() -> str:
    """The reader's script: the member's setting, else the cookie, else as written."""
    if not has_request_context():
        return "as_written"
    if "reader_script" not in g:
        chosen = getattr(current_user, "script", None) if current_user else None
        if chosen not in SCRIPTS:
            chosen = request.cookies.get(SCRIPT_COOKIE)
        g.reader_script = chosen if chosen in SCRIPTS else "as_written"
    return g.reader_script


def html_lang() -> str:
    """The ``<html lang>`` value for the current locale."""
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return HTML_LANG.get(locale, locale.replace("_", "-"))


def script_filter(value: object) -> object:
    """Jinja ``|script``: members' words in the reader's script; HTML keeps its markup.

    Apply it to user content only (titles, bodies, snippets, names), never to interface
    strings. ``Markup`` (sanitised post HTML, highlighted snippets) is converted text node by
    text node, skipping code; plain strings are converted and escaped by Jinja as usual.
    """
    if value is None:
        return value
    script = current_script()
    if script == "as_written":
        return value
    if hasattr(value, "__html__"):
        # Already-safe HTML in, the same HTML out with only its text nodes' letters changed.
        return Markup(html_to_script(value.__html__(), script))  # noqa: S704
    return to_script(str(value), script)


def in_reader_script(value: object) -> object:
    """A member-written value (title, name, reason) in the reader's script; others unchanged."""
    return to_script(value, current_script()) if isinstance(value, str) else value


def localdate(value: datetime | None) -> str:
    """The exact day and minute in the reader's language and the board's timezone
    ("2. decembar 2026. u 14:05"); seconds say nothing to a reader."""
    if value is None:
        return ""
    return _localdate(*_reader(), value)


def _reader() -> tuple[str, str]:
    """What a formatted date depends on besides the date: the locale and the timezone."""
    return str(get_locale()), str(get_timezone())


@lru_cache(maxsize=4096)
def _localdate(locale: str, zone: str, value: datetime) -> str:
    """Babel takes ~0.2 ms a date; a thread page shows the same few hundred dates to every
    reader, so each (locale, timezone, date) is formatted once per process. The key holds
    all the result depends on: callers pass the current locale and timezone."""
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
    if age < timedelta(minutes=1):
        return gettext("just now")
    if age < timedelta(hours=6):
        return format_timedelta(-age, add_direction=True, locale=get_locale())
    return _day_and_time(*_reader(), value, _today(now))


def _today(now: datetime) -> date:
    """The reader's date at ``now`` (pytz zones convert correctly with ``astimezone``)."""
    return now.astimezone(get_timezone()).date()


@lru_cache(maxsize=4096)
def _day_and_time(locale: str, zone: str, value: datetime, today: date) -> str:
    """A time at least six hours old, as said on the reader's ``today``: the result depends
    on nothing else, so it is formatted once per process (see ``_localdate``)."""
    local = to_user_timezone(value)
    days = (today - local.date()).days
    if days in (0, 1) and _relative_day(-days):
        return gettext(
            "%(day)s at %(time)s", day=_relative_day(-days), time=format_time(value, "short")
        )
    if local.year == today.year:
        return format_skeleton("MMMMd", local, locale=get_locale())
    return format_skeleton("yMMMd", local, locale=get_locale())


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
    now = now or datetime.now(UTC)
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    if now - aware >= timedelta(hours=6):  # the words change only with the reader's day
        return _settled_timetag(*_reader(), aware, _today(now))
    return _timetag(aware, localdate(aware), humantime(aware, now))


@lru_cache(maxsize=4096)
def _settled_timetag(locale: str, zone: str, value: datetime, today: date) -> Markup:
    """A post's date reads the same all day long: built once per process and day."""
    return _timetag(
        value, _localdate(locale, zone, value), _day_and_time(locale, zone, value, today)
    )


def _timetag(value: datetime, exact: str, spoken: str) -> Markup:
    return Markup(  # noqa: S704 - every part is escaped here
        f'<time datetime="{machine_time(value)}" title="{escape(exact)}">{escape(spoken)}</time>'
    )


class FormTranslations:
    """WTForms' own messages ("Not a valid choice.") from our ``wtforms`` catalogues.

    WTForms ships no Bosnian, Croatian or Serbian Latin catalogue, so the board keeps its
    own, beside ``messages``, and every form's ``Meta.get_translations`` returns this.
    """

    domain = Domain(domain="wtforms")

    def _translations(self) -> Translations | None:
        if not has_request_context() or "babel" not in current_app.extensions:
            return None
        return self.domain.get_translations()

    def gettext(self, string: str) -> str:
        """Translate one WTForms message."""
        translations = self._translations()
        return string if translations is None else translations.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate one WTForms message with a count."""
        translations = self._translations()
        if translations is None:
            return singular if n == 1 else plural
        return translations.ungettext(singular, plural, n)


form_translations = FormTranslations()


def install_form_translations() -> None:
    """Make every FlaskForm take WTForms' built-in messages from our catalogues."""
    from flask_wtf import FlaskForm

    def get_translations(meta: object, form: object) -> FormTranslations:
        return form_translations

    FlaskForm.Meta.get_translations = get_translations


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_``, ``gettext``, ``pgettext`` … with the catalogue looked up once per
    request: a thread page asks for ~130 strings, and Flask-Babel's own callables find the
    locale, the domain and the catalogue again for each (about half of each call's cost)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )


def _translations() -> Translations:
    """Flask-Babel's catalogue for the current locale and domain, remembered beside them in
    its per-request context; ``force_locale`` and ``refresh`` change the locale object, so
    the remembered catalogue is used only while the very same locale and domain hold."""
    ctx = g.get("_flask_babel") if has_app_context() else None
    if ctx is not None:
        key = (getattr(ctx, "babel_locale", None), getattr(ctx, "babel_domain", None))
        cached = getattr(ctx, "board_translations", None)
        if key[0] is not None and cached is not None and cached[0] == key:
            return cached[1]
    translations = get_translations()
    ctx = g.get("_flask_babel") if has_app_context() else None
    if ctx is not None:
        key = (getattr(ctx, "babel_locale", None), getattr(ctx, "babel_domain", None))
        ctx.board_translations = (key, translations)
    return translations
