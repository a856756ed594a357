"""Fixtures: a real app on a real database (SQLite, or PostgreSQL when
``BOARD_TEST_DATABASE_URL`` is set), a temp instance folder, personas, and a client that
fills in the CSRF token the way a browser's form would."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from board import create_app
from board.extensions import db
from tests import factories, fastroutes
from tests.liveserver import CSRF

fastroutes.install()

CORPUS = Path(
    os.environ.get("BOARD_TEST_CORPUS")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
)
DEV_SET = CORPUS.parent / "search" / "dev-set.json"
HAVE_CORPUS = (CORPUS / "naughty" / "blns.json").is_file()
NO_CORPUS = (
    f"the shared test corpus is not at {CORPUS} (a clone on its own; set BOARD_TEST_CORPUS "
    "to run these): the suite's own hostile fixtures (tests/hostile.py) still run"
)
PG_URL = os.environ.get("BOARD_TEST_DATABASE_URL", "")


def pytest_configure(config: pytest.Config) -> None:
    """``corpus``-marked tests read ../shared; under CI they may never be skipped."""
    if not HAVE_CORPUS and os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError(f"CI=true but {NO_CORPUS.split(' (')[0]}; set BOARD_TEST_CORPUS")


ON_POSTGRES_SKIPPED = (
    "checks what the browser or the HTML shows, whatever the database: the SQLite run "
    "covers it, the PostgreSQL run checks what depends on the database"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """One reason for every test that needs the shared material when it is absent, and
    one for every backend-independent test on the PostgreSQL run (CI runs the suite
    twice; the second run is for what the database changes)."""
    skip_corpus = pytest.mark.skip(reason=NO_CORPUS)
    skip_on_pg = pytest.mark.skip(reason=ON_POSTGRES_SKIPPED)
    for item in items:
        if not HAVE_CORPUS and item.get_closest_marker("corpus"):
            item.add_marker(skip_corpus)
        if PG_URL and (item.get_closest_marker("markup") or item.get_closest_marker("browser")):
            item.add_marker(skip_on_pg)


def corpus_bytes(relative: str) -> bytes:
    """A corpus file's bytes, or empty when the corpus is absent (its tests are skipped)."""
    path = CORPUS / relative
    return path.read_bytes() if HAVE_CORPUS else b""


class BoardClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token unless told otherwise."""

    _token: str | None = None

    def csrf_token(self) -> str:
        if self._token is None:
            page = super().get("/").get_data(as_text=True)
            match = CSRF.search(page)
            assert match, "no CSRF token on /"
            self._token = match.group(1)
        return self._token

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)

    def forget_csrf(self) -> None:
        self._token = None

    def open(self, *args, **kwargs):
        """Each request starts with an empty ``g``, as in production, and its response is
        closed once read (what runs "after the response" has run when this returns).

        The ``app`` fixture keeps an app context pushed for the whole test and Flask reuses
        it for test requests, so without this ``g`` (the cached locale, CSRF token, login
        user, notification count) would leak from one request into the next.
        """
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
        kwargs.setdefault("buffered", True)  # close the response, as a WSGI server does
        return super().open(*args, **kwargs)


def _base_config(tmp_path: Path) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        "MAIL_SERVER": "",
    }


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the real Alembic migrations once; each test starts from a copy (or a truncate)."""
    from flask_migrate import upgrade

    base = tmp_path_factory.mktemp("template")
    config = _base_config(base)
    if PG_URL:
        config["DATABASE_URL"] = PG_URL
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{base / 'template.sqlite3'}"
    app = create_app(config)
    with app.app_context():
        if PG_URL:
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        db.engine.dispose()
    return str(base / "template.sqlite3")


def _app_config(tmp_path: Path, migrated_template: str) -> dict:
    config = _base_config(tmp_path)
    if PG_URL:
        config["DATABASE_URL"] = PG_URL
    else:
        path = tmp_path / "board.sqlite3"
        shutil.copy(migrated_template, path)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    return config


@contextmanager
def _running_app(config: dict) -> Iterator[Flask]:
    app = create_app(config)
    app.test_client_class = BoardClient
    with app.app_context():
        if PG_URL:
            _truncate_all()
        from board.cli import seed_categories

        seed_categories()
        yield app
        app.extensions["board_search"].close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_config(tmp_path: Path, migrated_template: str) -> dict:
    """Override to change settings for one test module."""
    return _app_config(tmp_path, migrated_template)


@pytest.fixture
def app(app_config: dict):
    with _running_app(app_config) as app:
        yield app


@pytest.fixture(scope="session")
def new_app(tmp_path_factory: pytest.TempPathFactory, migrated_template: str):
    """``with new_app() as app:`` for a module that builds one world for all its tests (the
    per-test ``app`` rebuilds it each time): a fresh database, the app context pushed."""

    def make() -> AbstractContextManager[Flask]:
        return _running_app(_app_config(tmp_path_factory.mktemp("app"), migrated_template))

    return make


def _truncate_all() -> None:
    """Empty every table and restart every sequence, in one round trip.

    ``DELETE`` of a few rows per table costs ~10 ms where ``TRUNCATE`` of 30 tables costs
    150–500 ms (it swaps files on disk), once for each of ~3,000 tests on PostgreSQL."""
    names = [t.name for t in reversed(db.metadata.sorted_tables) if t.name != "alembic_version"]
    sequences = db.session.scalars(
        text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
    ).all()
    statements = [f'DELETE FROM "{name}"' for name in names]  # noqa: S608 (our table names)
    if sequences:
        restart = ", ".join(f"setval('\"{seq}\"', 1, false)" for seq in sequences)
        statements.append(f"SELECT {restart}")
    db.session.execute(text("; ".join(statements)))
    db.session.commit()


@pytest.fixture
def client(app) -> BoardClient:
    return app.test_client()


@pytest.fixture
def login(client: BoardClient):
    """Log in through the real form; returns the response."""

    def do_login(user, password: str = factories.PASSWORD, remember: bool = False):
        client.post("/logout")
        client.forget_csrf()
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        response = client.post("/login", data=data)
        client.forget_csrf()
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def login_elsewhere(app):
    """Log in through the real form on another device: a client with cookies of its own."""

    def do_login(user, password: str = factories.PASSWORD) -> BoardClient:
        other = app.test_client()
        response = other.post("/login", data={"email": user.email, "password": password})
        other.forget_csrf()
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return other

    return do_login


@pytest.fixture
def mail_sink(app):
    """A real SMTP server (aiosmtpd) the app sends through; read what arrived from it."""
    from tests.mailsink import MailSink

    sink = MailSink().start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, MAIL_USE_TLS=False)
    yield sink
    sink.stop()


# Personas -------------------------------------------------------------------------------


@pytest.fixture
def association_a(app):
    return factories.make_association(slug="assoc-a", name="Savez općina A")


@pytest.fixture
def association_b(app):
    return factories.make_association(slug="assoc-b", name="Savez opština B")


@pytest.fixture
def member(app):
    return factories.make_user(email="member@example.ba", display_name="Amra Member")


@pytest.fixture
def other_member(app):
    return factories.make_user(email="other@example.ba", display_name="Boris Other")


@pytest.fixture
def unconfirmed(app):
    return factories.make_user(email="new@example.ba", display_name="Novi", confirmed=False)


@pytest.fixture
def moderator_a(app, association_a):
    return factories.make_user(
        email="mod-a@example.ba", display_name="Moderator A", moderator_of=association_a
    )


@pytest.fixture
def moderator_b(app, association_b):
    return factories.make_user(
        email="mod-b@example.ba", display_name="Moderator B", moderator_of=association_b
    )


@pytest.fixture
def admin(app):
    return factories.make_user(email="admin@example.ba", display_name="Admin", is_admin=True)


@pytest.fixture
def fred(app):
    """Fred posts everything in the naughty and XSS corpora. Our job is to stop Fred."""
    return factories.make_user(email="fred@example.ba", display_name="Fred")


@pytest.fixture
def regulation(app):
    return factories.category("regulation")
