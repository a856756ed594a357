"""Which language and script a reader gets, and what follows the language (dates, forms, mail)."""

from __future__ import annotations

import email
import html
import re
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from sqlalchemy import select

from board.extensions import db
from board.models import User
from tests import factories


def html_lang(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("header", "lang", "word"),
    [
        ("hr-HR,hr;q=0.9,en;q=0.5", "hr", "Pretraži forum"),
        ("sr-Latn-RS,sr-Latn;q=0.9", "sr-Latn", "Pretraži forum"),
        ("sr-RS,sr;q=0.9", "sr-Cyrl", "Претражи форум"),
        ("en-GB,en;q=0.8", "en", "Search the board"),
        ("de-DE,de;q=0.9", "bs", "Pretraži forum"),
        ("", "bs", "Kategorije"),
    ],
)
def test_guest_without_a_choice_gets_the_browsers_language(client, header, lang, word):
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert html_lang(response) == lang
    assert word in response.get_data(as_text=True)


def test_cookie_beats_the_browser_and_the_members_setting_beats_the_cookie(client, login):
    client.post("/language", data={"locale": "hr"})
    response = client.get("/", headers={"Accept-Language": "en"})
    assert html_lang(response) == "hr"
    user = factories.make_user(locale="sr")
    login(user)
    assert html_lang(client.get("/")) == "sr-Cyrl"


def test_member_choice_is_stored_and_follows_them_to_another_device(
    client, login, login_elsewhere, member
):
    login(member)
    response = client.post(
        "/language", data={"locale": "sr_Latn", "script": "cyrillic", "next": "/"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(User).where(User.id == member.id))
    assert (stored.locale, stored.script) == ("sr_Latn", "cyrillic")
    other = login_elsewhere(member)
    page = other.get("/")
    assert html_lang(page) == "sr-Latn"
    assert 'value="cyrillic" selected' in page.get_data(as_text=True)


def test_script_alone_keeps_the_language(client):
    client.post("/language", data={"locale": "hr"})
    client.post("/language", data={"script": "latin"})
    page = client.get("/")
    assert html_lang(page) == "hr"
    assert 'value="latin" selected' in page.get_data(as_text=True)


@pytest.mark.parametrize("data", [{"script": "runic"}, {}, {"locale": "sr-Cyrl"}])
def test_unknown_choice_is_a_400_in_the_readers_language(client, data):
    client.post("/language", data={"locale": "hr"})
    response = client.post("/language", data=data)
    assert response.status_code == 400
    assert "Neispravan zahtjev" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("locale", "text"),
    [("bs", "Stranica nije pronađena"), ("hr", "Stranica nije pronađena"),
     ("sr", "Страница није пронађена"), ("en", "Page not found")],
)  # fmt: skip
def test_error_pages_follow_the_language(client, locale, text):
    client.set_cookie("lang", locale)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("locale", "text"),
    [("bs", "Ovo nije jedan od ponuđenih izbora."), ("hr", "To nije jedna od ponuđenih mogućnosti."),
     ("sr", "Ово није један од понуђених избора."), ("sr_Latn", "Ovo nije jedan od ponuđenih izbora.")],
)  # fmt: skip
def test_wtforms_own_messages_are_translated(client, login, member, other_member, locale, text):
    thread = factories.make_thread(other_member)
    post = factories.first_post(thread)
    login(member)
    client.post("/language", data={"locale": locale})
    response = client.post(f"/p/{post.id}/flag", data={"reason": "bogus", "text": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert text in page
    assert "Not a valid choice" not in page


@pytest.mark.parametrize(
    ("locale", "at", "just_now"),
    [
        ("hr", "u", "upravo sada"),
        ("sr", "у", "управо сада"),
        ("sr_Latn", "u", "upravo sada"),
        ("en", "at", "just now"),
    ],
)
def test_dates_follow_the_language(client, member, locale, at, just_now):
    """A post's time reads as people say it, with the exact day and minute (Babel's long date
    and short time for the locale, in the board's timezone) in its title."""
    thread = factories.make_thread(member)
    post = factories.first_post(thread)
    client.set_cookie("lang", locale)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    title, shown = re.search(
        r'<time datetime="[^"]+" title="([^"]+)">([^<]+)</time>', page
    ).groups()
    local = post.created_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Sarajevo"))
    day = format_date(local, "long", locale=locale)
    assert html.unescape(title) == f"{day} {at} {format_time(local, 'short', locale=locale)}"
    assert shown == just_now


def test_feed_names_its_language(client, member):
    factories.make_thread(member)
    client.set_cookie("lang", "sr_Latn")
    feed = client.get("/feed.atom").get_data(as_text=True)
    assert 'xml:lang="sr-Latn"' in feed
    assert "Mreža: najnovije teme" in feed


def test_mail_is_written_in_the_recipients_language(app, client):
    user = factories.make_user(locale="sr")
    client.set_cookie("lang", "en")
    client.post("/reset", data={"email": user.email})
    outbox = sorted(Path(app.config["MAIL_OUTBOX_PATH"]).glob("*.eml"))
    assert outbox
    message = email.message_from_bytes(outbox[-1].read_bytes())
    body = message.get_payload(decode=True).decode()
    assert "Неко је затражио промену лозинке" in body
