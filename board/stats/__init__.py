"""Participation figures for the network's reports: ``/admin/stats`` and its CSV."""

from flask import Blueprint

bp = Blueprint("stats", __name__)
