"""Participation figures for the network's reports: ``/admin/stats`` and its CSV."""

from flask import Blueprint

bp = Blueprint("stats", __name__)

from board.stats import views  # noqa: E402,F401  (routes register on import)
