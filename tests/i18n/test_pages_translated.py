"""Every main page, rendered in every non-English locale, shows none of the English msgids.

A page that prints an English source string in Croatian or Serbian has a string that
does not go through the catalogues (or a catalogue entry that is missing): either way
the reader sees English. The msgids come from the catalogues themselves, so new pages
and strings are covered as they are added.
"""

from __future__ import annotations

import html
import re

import pytest

from board import catalogues
from board.extensions import db
from board.initiatives import practices
from board.initiatives import service as initiatives
from board.models import Notification
from board.places import service as places
from tests import factories

LOCALES = ("bs", "hr", "sr", "sr_Latn")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[a-z]")
_ATTRIBUTES = re.compile(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"')


def english_phrases(locale: str) -> list[re.Pattern[str]]:
    """Patterns for msgids that the locale translates differently (so English would show)."""
    patterns = []
    for domain in catalogues.DOMAINS:
        catalogue = catalogues.read(locale, domain)
        for message in catalogue:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for msgid in ids:
                if msgid in strings:
                    continue
                fragment = max(_PLACEHOLDER.split(msgid), key=len).strip(" ,.:;“”")
                if len(fragment) >= 4 and re.search(r"[a-z]{3}", fragment):
                    patterns.append(re.compile(r"(?<!\w)" + re.escape(fragment) + r"(?!\w)"))
    return patterns


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    extra = " ".join(_ATTRIBUTES.findall(page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + extra)


@pytest.fixture
def world(app, member, other_member, admin, regulation):
    places.load_map()
    travnik = places.municipality_by_slug("travnik")
    for person in (member, other_member):
        person.municipality = travnik
        person.bio = "Vijećnik MZ Centar."
    thread = factories.make_thread(other_member, regulation)
    thread.municipality = travnik
    reply = factories.make_reply(thread, member)
    db.session.add(
        Notification(
            user_id=member.id,
            kind="reply",
            actor_id=other_member.id,
            thread_id=thread.id,
            url=f"/t/{thread.id}",
        )
    )
    db.session.commit()
    initiative = initiatives.make_initiative(
        other_member,
        thread,
        level="entity",
        addressee="Federalno ministarstvo pravde",
        legal_basis="Zakon o principima lokalne samouprave, član 24.",
    )
    initiatives.change_status(other_member, initiative, "open")
    initiatives.support(member, initiative, "self")
    practices.mark_practice(admin, thread, "Zbor građana u MZ Centar, s rezultatom.", [])
    return {"thread": thread, "post": factories.first_post(thread), "reply": reply}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_on_any_main_page(client, login, world, member, admin, locale):
    thread, post, reply = world["thread"], world["post"], world["reply"]
    phrases = english_phrases(locale)
    guest = [
        "/", "/c/regulation", f"/t/{thread.id}", "/search?q=zbor", "/search?q=nepostojeca",
        "/documents", "/login", "/register", "/reset", "/no-such-page", f"/u/{member.id}",
        "/places", "/places/travnik", "/places/atlantida", f"/u/{member.handle}",
        "/initiatives", "/initiatives?sort=support&level=entity", "/initiatives?status=x",
        "/practices", "/practices?place=travnik",
    ]  # fmt: skip
    as_member = [
        "/settings", "/notifications", "/c/regulation/new", f"/t/{thread.id}",
        f"/p/{post.id}/flag", f"/p/{reply.id}/edit", "/places/travnik", "/people",
        "/people?municipality=travnik&sort=name", "/settings/notifications", "/settings/2fa",
        "/settings/password", "/settings/email", "/settings/delete", "/initiatives/new",
    ]  # fmt: skip
    as_admin = [
        "/admin/", "/mod", "/mod/log", f"/t/{thread.id}/move", f"/p/{post.id}/hide",
        "/admin/stats", "/admin/stats?months=3", f"/t/{thread.id}/initiative",
        f"/t/{thread.id}/initiative/status", f"/t/{thread.id}/practice", "/practices/tags",
    ]  # fmt: skip
    pages = {}
    client.set_cookie("lang", locale)
    for url in guest:
        pages[url] = client.get(url)
    pages["POST /login"] = client.post("/login", data={"email": "", "password": ""})
    pages["POST /register"] = client.post("/register", data={"email": "x", "display_name": "y"})
    login(member)
    for url in as_member:
        pages["member " + url] = client.get(url)
    pages["POST flag"] = client.post(f"/p/{post.id}/flag", data={"reason": "bogus"})
    pages["POST password"] = client.post("/settings/password", data={"current_password": "x"})
    pages["POST email"] = client.post("/settings/email", data={"email": "nije-adresa"})
    pages["POST delete"] = client.post("/settings/delete", data={"password": ""})
    pages["POST 2fa"] = client.post("/settings/2fa", data={"code": "12"})
    pages["POST handle"] = client.post("/settings/notifications", data={"h-handle": "!"})
    pages["POST initiative"] = client.post("/initiatives/new", data={"level": "nowhere"})
    login(admin)
    for url in as_admin:
        pages["admin " + url] = client.get(url)
    found = {}
    for name, response in pages.items():
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        text = visible_text(response.get_data(as_text=True))
        for person in (member, admin, world["thread"].author):  # members' own words
            for own in (person.display_name, person.email, person.handle):
                text = text.replace(own, " ")
        # The dated post of the status change is a post like any other, written once in the
        # actor's language (Bosnian here) and shown as written: "Status" there is not English.
        text = text.replace("Status inicijative:", " ")
        english = [p.pattern for p in phrases if p.search(text)]
        if english:
            found[name] = english
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
