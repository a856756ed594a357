"""Mreža: a discussion board for the network of local communities in Bosnia and Herzegovina."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from flask import Flask, g, request
from flask_babel import get_locale

from board import config, errors, html_responses, incoming, permissions, static_files
from board.extensions import babel, csrf, db, limiter, login_manager, migrate
from board.incoming import parse_int

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: paths, config, extensions, blueprints, CLI."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "BOARD_INSTANCE_PATH", str(ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config.load(app, test_config)
    incoming.register(app)
    html_responses.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    _register_template_helpers(app)
    _register_security_headers(app)
    _register_favicon(app)
    static_files.init_app(app)

    from board import cli

    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from board import i18n
    from board.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(ROOT / "board" / "translations"),
    )
    app.config["RATELIMIT_ENABLED"] = str(app.config["RATELIMIT_ENABLED"]).lower() not in {
        "0",
        "false",
        "no",
        "off",
    }
    import board.ratelimits  # noqa: F401 - registers the sqlite:// limits storage

    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to continue.")
    i18n.install_form_translations()
    i18n.install_template_gettext(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        """``id:version``: a cookie from before the last logout or password change is void."""
        number, _, version = user_id.partition(":")
        number = parse_int(number)
        user = db.session.get(User, number) if number is not None else None
        if user is None or user.is_deleted or parse_int(version) != (user.session_version or 0):
            return None  # a deleted account's sessions end too
        return user

    _database_timeouts(app)

    from board.search import init_app as init_search

    init_search(app)

    from board.documents import init_app as init_documents

    init_documents(app)

    from board.notifications import init_app as init_notifications

    init_notifications(app)


def _database_timeouts(app: Flask) -> None:
    """How long a write waits for the database before the request answers 503
    (``DATABASE_BUSY_TIMEOUT`` seconds): SQLite's busy timeout, PostgreSQL's lock_timeout.

    SQLite also gets WAL (readers and the single writer proceed together) and foreign
    keys. The busy timeout is set first: switching to WAL needs a lock too.
    """
    from sqlalchemy import event

    timeout_ms = int(float(app.config["DATABASE_BUSY_TIMEOUT"]) * 1000)
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if sqlite:
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        else:
            cursor.execute(f"SET lock_timeout = {timeout_ms}")
            dbapi_connection.commit()
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    """Import the route modules (each attaches its routes to its package's ``bp``), then
    register the blueprints: no package imports its views at the bottom of a file."""
    from board.admin import views as admin
    from board.api import views as api
    from board.auth import account_views  # noqa: F401  (account and two-step routes)
    from board.auth import views as auth
    from board.documents import bp as documents_bp
    from board.feeds import views as feeds
    from board.forum import views as forum
    from board.initiatives import practice_views  # noqa: F401  (good-practice routes)
    from board.initiatives import views as initiatives
    from board.moderation import pages  # noqa: F401  (its routes: queues, log, suspensions)
    from board.moderation import views as moderation
    from board.notifications import views as notifications
    from board.places import views as places
    from board.search import bp as search_bp
    from board.stats import views as stats

    for bp in (auth.bp, forum.bp, api.bp, search_bp, documents_bp, moderation.bp, admin.bp):
        app.register_blueprint(bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(places.bp)
    app.register_blueprint(stats.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(initiatives.bp)
    csrf.exempt(api.bp)


def _register_template_helpers(app: Flask) -> None:
    from board import i18n
    from board.urls import template_url_for

    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.filters["localdate"] = i18n.localdate
    app.jinja_env.filters["humantime"] = i18n.humantime
    app.jinja_env.filters["timetag"] = i18n.timetag
    app.jinja_env.filters["script"] = i18n.script_filter
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject() -> dict:
        return {
            **permissions.PREDICATES,
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "language_names": i18n.LANGUAGE_NAMES,
            "html_lang": i18n.html_lang,
            "reader_script": i18n.current_script,
            "unread_notifications": _unread_notifications,
            "function_label": _function_label,
        }


def _function_label(code: str) -> str:
    return _function_labels(str(get_locale())).get(code, code)


@lru_cache(maxsize=16)
def _function_labels(locale: str) -> dict[str, str]:
    """Each post shows its author's function: translate the seven labels once per locale."""
    from board.profile import FUNCTION_CHOICES

    return {code: str(label) for code, label in FUNCTION_CHOICES}


def _unread_notifications() -> int:
    """Counted lazily, once per request, only when a template asks."""
    from flask_login import current_user
    from sqlalchemy import func, select

    from board.models import Notification

    if not current_user.is_authenticated:
        return 0
    if "unread" not in g:
        g.unread = db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == current_user.id, Notification.read_at.is_(None)
            )
        )
    return g.unread


def _register_favicon(app: Flask) -> None:
    """Browsers ask for /favicon.ico whatever the page says; answer from static/."""
    from flask import send_from_directory

    @app.get("/favicon.ico")
    def favicon():
        return send_from_directory(
            app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
        )


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        if request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        return response
