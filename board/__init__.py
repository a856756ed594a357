"""Mreža: a discussion board for the network of local communities in Bosnia and Herzegovina."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, request
from flask_babel import get_locale

from board import config, errors, incoming, permissions
from board.extensions import babel, csrf, db, limiter, login_manager, migrate

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
    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    _register_template_helpers(app)
    _register_security_headers(app)

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
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to continue.")

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_pragmas(app)

    from board.search import init_app as init_search

    init_search(app)

    from board.documents import init_app as init_documents

    init_documents(app)

    from board.notifications import init_app as init_notifications

    init_notifications(app)


def _sqlite_pragmas(app: Flask) -> None:
    """WAL lets readers and the single writer proceed together; foreign keys on."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()


def _register_blueprints(app: Flask) -> None:
    from board.admin import bp as admin_bp
    from board.api import bp as api_bp
    from board.auth import bp as auth_bp
    from board.documents import bp as documents_bp
    from board.feeds import bp as feeds_bp
    from board.forum import bp as forum_bp
    from board.moderation import bp as moderation_bp
    from board.search import bp as search_bp

    for bp in (auth_bp, forum_bp, api_bp, search_bp, documents_bp, moderation_bp, admin_bp):
        app.register_blueprint(bp)
    app.register_blueprint(feeds_bp)
    from board.notifications import bp as notifications_bp

    app.register_blueprint(notifications_bp)
    csrf.exempt(api_bp)


def _register_template_helpers(app: Flask) -> None:
    from board import i18n

    app.jinja_env.filters["localdate"] = i18n.localdate
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject() -> dict:
        return {
            **permissions.PREDICATES,
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "unread_notifications": _unread_notifications,
            "function_label": _function_label,
        }


def _function_label(code: str) -> str:
    from board.auth.forms import FUNCTION_CHOICES

    return str(dict(FUNCTION_CHOICES).get(code, code))


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


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' https: data:; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        if request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        return response
