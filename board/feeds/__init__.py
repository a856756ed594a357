"""Atom feeds of the newest threads and posts, holding only what the requester may read."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)
