"""Joint initiatives to higher levels of government, and the good-practice collection."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("initiatives", __name__)
