"""Outgoing mail, sent only after the transaction that caused it has committed.

With ``BOARD_MAIL_SERVER`` set, mail goes through SMTP; otherwise each message is
written to ``instance/outbox/`` and logged, so a fresh ``make run`` needs no mail server.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import Response, after_this_request, current_app, has_request_context


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; failures are logged, not raised at the user."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mreza.local")
    message.set_content(body)
    if config.get("MAIL_SERVER"):
        _send_smtp(message)
    else:
        _write_outbox(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if _truthy(config.get("MAIL_USE_TLS")):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send mail to %s", message["To"])


def _write_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{time.time_ns()}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.warning(
        "No BOARD_MAIL_SERVER: mail to %s written to %s\n%s",
        message["To"],
        path,
        message.get_content(),
    )


def _truthy(value: object) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


def after_response(work: Callable[[], None]) -> None:
    """Run ``work`` once the response has gone out (outside a request: at once).

    What a response does not wait for cannot show in its timing: a password-reset request
    answers as fast for an unknown address as for a member's, whose mail is rendered and
    sent only after the answer. The WSGI server closes the response after sending it;
    ``work`` then runs in a fresh app context (with its own database session).
    """
    if not has_request_context():
        work()
        return
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception:
                app.logger.exception("Mail after the response failed")

    @after_this_request
    def attach(response: Response) -> Response:
        response.call_on_close(run)
        return response
