"""Places: the administrative map of BiH, local communities, and the directory of people."""

from flask import Blueprint

bp = Blueprint("places", __name__)

from board.places import views  # noqa: E402,F401  (routes register on import)
