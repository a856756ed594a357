"""The forum itself: categories, threads, posts."""

from flask import Blueprint

bp = Blueprint("forum", __name__)
