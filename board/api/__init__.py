"""The JSON API (``/api/v1``): the same data and the same access rules as the pages."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
