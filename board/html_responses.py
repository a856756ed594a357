"""HTML pages on the wire: who may keep them, 304 for an unchanged guest page, gzip.

- A signed-in member's page carries their controls and a CSRF token: ``private,
  no-store``, kept by no cache, the browser's included.
- A guest's page may be kept by the browser only (``private, no-cache``) and is
  revalidated each time: its weak ``ETag`` is a hash of the page with its CSRF tokens
  left out (they are signed anew each second; any of them is valid for the session),
  plus the session's own token, so a page cached before the session changed is never
  reused. An unchanged page then costs a 304 and no bytes.
- Pages are gzip-compressed for clients that accept it (a thread page shrinks ~6x).
"""

from __future__ import annotations

import gzip
import hashlib
import re

from flask import Flask, Response, request, session
from flask_login import current_user

MIN_COMPRESS = 1400  # below one packet compression saves nothing
_TOKEN = re.compile(rb'(name="csrf_token"[^>]*? value=")[^"]*(")')


def init_app(app: Flask) -> None:
    """Registered before the other after-request hooks, so it runs last on the body."""
    app.after_request(finish)


def finish(response: Response) -> Response:
    """Cache-Control, ETag (304) and compression for a successful HTML page."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or response.direct_passthrough
        or "Cache-Control" in response.headers
    ):
        return response
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = "private, no-cache"
        response.set_etag(_guest_etag(response.get_data()), weak=True)
        response.make_conditional(request)
        if response.status_code == 304:
            return response
    return _compressed(response)


def _guest_etag(body: bytes) -> str:
    digest = hashlib.sha256(_TOKEN.sub(rb"\1\2", body))
    digest.update(str(session.get("csrf_token", "")).encode())
    return digest.hexdigest()[:32]


def _compressed(response: Response) -> Response:
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.accept_encodings or response.content_encoding:
        return response
    body = response.get_data()
    if len(body) < MIN_COMPRESS:
        return response
    response.set_data(gzip.compress(body, 6))
    response.content_encoding = "gzip"
    return response
