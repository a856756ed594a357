"""Error pages in the user's language, and JSON errors for the API."""

from __future__ import annotations

import contextlib

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify({"error": str(title), "message": detail or str(message)}), code
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def handle_http(error: HTTPException):
    """Every HTTP error gets our page, with our words rather than Werkzeug's."""
    code = error.code or 500
    if code not in MESSAGES:
        return error
    return _render(code)


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
    from flask import current_app

    current_app.logger.exception("Unhandled error", exc_info=error)
    return _render(500)


def register(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(OperationalError, handle_operational)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
