"""Absolute URLs for places outside a request (mail), built from configuration."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """``url_for(..., _external=True)`` that works in a CLI command or a worker thread too.

    ``BOARD_BASE_URL`` (e.g. ``https://mreza.example.ba``) wins; otherwise the request's
    host, or ``SERVER_NAME``.
    """
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        with current_app.test_request_context("/", base_url=base):
            return url_for(endpoint, _external=True, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, _external=True, **values)
