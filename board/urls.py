"""Absolute links (in e-mails and feeds) built from configuration, never from the request.

A link built from the request's ``Host`` header lets anyone who sends ``Host:
evil.example`` have the board mail a valid password-reset link pointing at their own
site. So absolute URLs come from ``BASE_URL`` (``BOARD_BASE_URL``) when it is set, else
from ``SERVER_NAME``; only in development, with neither set, from the request, whose host
``TRUSTED_HOSTS`` then limits to the loopback names.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, url_for

LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def external_url(endpoint: str, **values: object) -> str:
    """The absolute URL of ``endpoint``; every link that leaves the site is built here."""
    base = current_app.config.get("BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(str(base))
    anchor = values.pop("_anchor", None)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def trusted_hosts(app: Flask) -> list[str]:
    """The host names requests may carry: ``BASE_URL``'s and ``SERVER_NAME``'s, and loopback.

    Loopback stays so that health checks and a proxy on the same host keep working; a link
    is never built from it once ``BASE_URL`` is set. An explicit ``TRUSTED_HOSTS``
    (``BOARD_TRUSTED_HOSTS='["a.ba", ".a.ba"]'``) is used as given.
    """
    config = app.config
    if config.get("TRUSTED_HOSTS"):
        return list(config["TRUSTED_HOSTS"])
    hosts = list(LOOPBACK_HOSTS)
    for value in (config.get("BASE_URL"), config.get("SERVER_NAME")):
        if value:
            text = str(value)
            hosts.append(urlsplit(text if "//" in text else f"//{text}").hostname or "")
    return [host for host in hosts if host]
