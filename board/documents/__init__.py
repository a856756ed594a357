"""Documents attached to posts: storage, type sniffing, text extraction, the library."""

from flask import Blueprint

bp = Blueprint("documents", __name__)
