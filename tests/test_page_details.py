"""Small things every visitor meets: the favicon, a search landmark that says which
search it is, and a Markdown hint in plain words."""

from __future__ import annotations

import re

from tests import factories


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO directory
    assert "max-age" in response.headers["Cache-Control"]
    response.close()
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/static/favicon.svg"' in page
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    svg.close()


def test_the_two_search_forms_on_the_search_page_have_different_names(client):
    client.set_cookie("lang", "en")
    page = client.get("/search?q=zbor").get_data(as_text=True)
    forms = re.findall(r'<form[^>]*role="search"[^>]*>', page)
    labels = [re.search(r'aria-label="([^"]+)"', form) for form in forms]
    assert len(forms) == 2
    assert all(labels)
    assert {"Site search", "Search with filters"} == {m.group(1) for m in labels}


def test_the_markdown_hint_speaks_plainly_and_the_toolbar_waits_for_javascript(
    client, login, member
):
    client.set_cookie("lang", "en")
    thread = factories.make_thread(member)
    login(member)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Write as in an e-mail" in page
    assert "Markdown" not in page
    # The toolbar is inert markup until board.js puts it in place.
    assert re.search(r"<template data-md-toolbar>\s*<div class=\"md-toolbar\"", page)
