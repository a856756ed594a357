"""Error pages: our own words, in the reader's language, for every status we send."""

from __future__ import annotations

import pytest

from tests import factories

TITLES = {
    "en": {
        400: "Bad request",
        403: "Not allowed",
        404: "Page not found",
        405: "Method not allowed",
        413: "Too large",
        429: "Too many requests",
        500: "Something went wrong",
    },
    # The Bosnian catalogue (board/translations/bs) must keep these msgstr.
    "bs": {
        400: "Neispravan zahtjev",
        403: "Nije dozvoljeno",
        404: "Stranica nije pronađena",
        405: "Metoda nije dozvoljena",
        413: "Preveliko",
        429: "Previše zahtjeva",
        500: "Nešto nije u redu",
    },
}


def _boom():
    raise RuntimeError("a bug we did not foresee")


def _trigger(code: int, app, client, login, member, other_member):
    """Make the app answer with ``code`` the way a real visitor would."""
    if code == 400:
        return client.post("/language", data={"locale": "xx"})
    if code == 403:
        thread = factories.make_thread(member)
        login(other_member)
        return client.get(f"/p/{factories.first_post(thread).id}/edit")
    if code == 404:
        return client.get("/c/no-such-category")
    if code == 405:
        return client.get("/logout")
    if code == 413:
        app.config["MAX_CONTENT_LENGTH"] = 2048
        login(member)
        return client.post("/c/regulation/new", data={"title": "Velik", "body": "x" * 4096})
    if code == 429:
        app.config["RATELIMIT_ENABLED"] = True
        from board.extensions import limiter

        limiter.init_app(app)
        for n in range(6):
            response = client.post("/reset", data={"email": f"x{n}@example.ba"})
        return response
    if code == 500:
        app.add_url_rule("/test-only/boom", "boom", _boom)
        return client.get("/test-only/boom")
    raise AssertionError(code)


@pytest.mark.parametrize("locale", ["bs", "en"])
@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
def test_error_page_in_the_readers_language(
    app, client, login, member, other_member, code, locale, caplog
):
    client.set_cookie("lang", locale)
    if code in (403, 413):
        # Signed-in readers' language comes from their account.
        member.locale = other_member.locale = locale
        from board.extensions import db

        db.session.commit()
    response = _trigger(code, app, client, login, member, other_member)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert f'<html lang="{locale}">' in page
    assert f"<h1>{TITLES[locale][code]}</h1>" in page
    assert 'href="/"' in page  # a way back
    if code == 500:
        assert "a bug we did not foresee" not in page  # logged, not shown
        assert any("Unhandled error" in r.getMessage() for r in caplog.records)


def test_csrf_failure_explains_itself(client):
    client.set_cookie("lang", "en")
    response = client.post("/logout", csrf=False)
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/threads/999999")
    assert response.status_code == 404
    assert response.is_json
    assert set(response.get_json()) == {"error", "message"}
