"""Absolute links (in e-mails and feeds) built from configuration, never from the request.

A link built from the request's ``Host`` header lets anyone who sends ``Host:
evil.example`` have the board mail a valid password-reset link pointing at their own
site. So absolute URLs come from ``BASE_URL`` (``BOARD_BASE_URL``) when it is set, else
from ``SERVER_NAME``; only in development, with neither set, from the request, whose host
``TRUSTED_HOSTS`` then limits to the loopback names.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for

from board.static_files import static_name

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


_MARKERS = ("9876543210123", "9876543211123", "9876543212123")


def template_url_for(endpoint: str, **values: object) -> str:
    """``url_for`` for templates: a thread page builds ~90 links that differ only in ids.

    Werkzeug's ``build`` takes ~15 µs a link. For the same endpoint and argument names the
    URL is the same text with other numbers, so it is built once per process with marker
    numbers and the ids are put in its place. Anything else (names, anchors, external or
    relative endpoints, negative numbers) goes to ``url_for`` unchanged.
    """
    if endpoint == "static" and isinstance(values.get("filename"), str):
        values["filename"] = static_name(values["filename"], current_app)
    if (
        not values
        or len(values) > len(_MARKERS)
        or endpoint.startswith(".")
        or any(type(v) is not int or v < 0 for v in values.values())
        or not has_request_context()
    ):
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, tuple(values))
    templates = current_app.extensions.setdefault("board.url_templates", {})
    template = templates.get(key)
    if template is None:
        marked = dict(zip(values, (int(m) for m in _MARKERS), strict=False))
        template = templates[key] = url_for(endpoint, **marked)
    for marker, value in zip(_MARKERS, values.values(), strict=False):
        template = template.replace(marker, str(value))
    return template
