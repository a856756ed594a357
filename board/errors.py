"""Error pages in the user's language, and JSON errors for the API."""

from __future__ import annotations

import contextlib
import math

from flask import Flask, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

RETRY_AFTER = 5  # seconds a busy database is usually free again
# SQLite's lock messages; PostgreSQL's lock_timeout, statement timeout, deadlock and
# serialisation failures (all "try again" conditions, by SQLSTATE).
SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
PG_BUSY = {"55P03", "57014", "40001", "40P01"}

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("There is nothing here. The address may be wrong, or the page was removed.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than the board accepts.")),
    429: (_l("Too many requests"), _l("You are doing that too often. Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged; please try again later.")),
}  # fmt: skip


def _render(code: int, detail: str | None = None, headers: dict | None = None):
    title, message = MESSAGES.get(code, MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify({"error": str(title), "message": detail or str(message)}), code, headers
    if request_ctx.url_adapter is None:  # an unusable Host: nothing can build URLs
        return _bare_page(code, str(title), str(detail or message)), code, headers
    try:
        page = render_template(
            "errors/error.html", code=code, title=title, message=detail or message
        )
    except Exception:
        current_app.logger.exception("The error page could not be rendered")
        page = _bare_page(code, str(title), str(detail or message))
    return page, code, headers


def _bare_page(code: int, title: str, message: str) -> str:
    """The error page without the layout: no URL building, no session, no database.

    A request can be so broken (a ``Host`` Werkzeug cannot bind, a database that is down)
    that the normal layout fails too; the visitor still gets an answer, not a 500 of the
    500 page.
    """
    title, message = escape(title), escape(message)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><h1>{title}</h1><p>{message}</p><p><a href="/">Mreža</a></p></body></html>'
    )


def handle_http(error: HTTPException):
    """Every HTTP error gets our page, with our words rather than Werkzeug's."""
    code = error.code or 500
    if code not in MESSAGES:
        return error
    if code == 429:
        return too_many_requests()
    return _render(code)


def too_many_requests(seconds: float | None = None):
    """429 in the user's language, saying when to try again (and ``Retry-After``)."""
    if seconds is None:
        from board.ratelimits import retry_after

        seconds = retry_after()
    seconds = max(1, math.ceil(seconds))
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "You are doing that too often. Please try again in %(num)d minute.",
        "You are doing that too often. Please try again in %(num)d minutes.",
        minutes,
    )
    return _render(429, message, {"Retry-After": str(seconds)})


def handle_csrf(error: CSRFError):
    """An expired or missing CSRF token is the user's to retry, not a mystery."""
    return _render(
        400, str(_l("The form has expired. Please go back, reload the page and try again."))
    )


def database_busy(error: OperationalError) -> bool:
    """Whether the database refused only because it was busy (a retry will succeed)."""
    if getattr(error.orig, "sqlstate", None) in PG_BUSY:
        return True
    return any(text in str(error.orig).lower() for text in SQLITE_BUSY)


def handle_operational(error: OperationalError):
    """A write that could not get the database in time: 503 with Retry-After, and a
    form that was posted comes back filled in, so nothing typed is lost."""
    if not database_busy(error):
        return handle_unexpected(error)
    from board.extensions import db

    with contextlib.suppress(Exception):  # the page must render even if this fails
        db.session.rollback()
    current_app.logger.warning("Database busy, answered 503: %s", error.orig)
    title, message = (
        _l("The board is busy"),
        _l(
            "Your request could not be saved because the board is very busy right now. "
            "Please try again in a few seconds."
        ),
    )
    if request.path.startswith("/api/"):
        response = jsonify({"error": str(title), "message": str(message)})
    else:
        fields = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
        response = render_template(
            "errors/busy.html",
            title=title,
            message=message,
            fields=fields if request.method == "POST" else [],
            files=bool(
                request.method == "POST" and any(f.filename for f in request.files.values())
            ),
        )
    return response, 503, {"Retry-After": str(RETRY_AFTER)}


def handle_unexpected(error: Exception):
    """Log the real error; show the user only that it happened."""
    if isinstance(error, HTTPException):
        return handle_http(error)
    current_app.logger.exception("Unhandled error", exc_info=error)
    return _render(500)


def register(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(OperationalError, handle_operational)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
