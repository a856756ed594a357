"""Headless Chromium against the real app served on a loopback port.

Shared by every browser test (auth, forum, documents, moderation, search):
- ``live_server``: the test's ``app`` served by Werkzeug in a background thread on a free
  127.0.0.1 port (same database as the test, so factories and the browser see one world);
  ``live_server.url("/path")`` builds absolute URLs.
- ``browser`` (session) and ``page`` (per test, fresh context = fresh cookies).
- ``mail_sink`` (from tests/conftest.py) is a real SMTP server wired into the app; its
  ``link(address)`` returns the first link of the newest mail to that address.
- ``browser_login(page, user)`` logs in through the real form.
- ``signed_in(user)`` opens a tab of its own (own cookies, English texts) logged in as
  ``user``, for journeys where several people take turns.

Chromium is the system one at /usr/bin/chromium; never ``playwright install``.
Mark tests ``@pytest.mark.browser`` (``pytestmark = pytest.mark.browser`` per module).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from tests import factories
from tests.liveserver import free_port

CHROMIUM = os.environ.get("BOARD_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class LiveServer:
    """Where the app under test listens."""

    host: str
    port: int

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """Serve ``app`` on a free loopback port for the duration of one test.

    ``SERVER_NAME`` is set to the live address so links built outside a request (mail)
    point at this server. Change ``app.config`` before the first request if a test needs
    other settings (e.g. ``NEW_MEMBER_QUEUE_POSTS = 0``).
    """
    with serving(app) as server:
        yield server


@contextmanager
def serving(app) -> Iterator[LiveServer]:
    """``app`` served by Werkzeug in a background thread until the block ends (a module
    that shares one server across its tests opens this in a module-scoped fixture)."""
    port = free_port()
    app.config["SERVER_NAME"] = f"127.0.0.1:{port}"
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer("127.0.0.1", port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve():
    """``with serve(app) as server:`` for a module-scoped live server (see ``serving``)."""
    return serving


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test gets its own context."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) whose relative URLs resolve to the live server.

    Any JavaScript ``alert``/``confirm``/``prompt`` is recorded in ``page.dialogs`` and
    dismissed, so hostile-input tests can assert that none fired.
    """
    context = browser.new_context(
        base_url=live_server.base, viewport={"width": 1280, "height": 900}, locale="bs-BA"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.dialogs = []

    def on_dialog(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


@pytest.fixture
def browser_login():
    """Log a page in through the real form."""

    def do_login(page, user, password: str = factories.PASSWORD) -> None:
        page.goto("/login")
        page.fill("#email", user.email)
        page.fill("#password", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url, page.content()[:500]

    return do_login


@pytest.fixture
def signed_in(browser, live_server, browser_login):
    """Open a fresh tab (own cookies, English texts) logged in as ``user``."""
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.base)
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server.base}])
        contexts.append(context)
        page = context.new_page()
        browser_login(page, user)
        return page

    yield open_as
    for context in contexts:
        context.close()
