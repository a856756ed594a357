"""Joint initiatives to higher levels of government, and the good-practice collection."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("initiatives", __name__)

from board.initiatives import practice_views, views  # noqa: E402, F401  (registers the routes)
