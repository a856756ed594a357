"""Atom feeds of the newest threads and posts, holding only what the requester may read."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from board.feeds import views  # noqa: E402,F401
