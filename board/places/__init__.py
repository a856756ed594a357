"""Places: the administrative map of BiH, local communities, and the directory of people."""

from flask import Blueprint

bp = Blueprint("places", __name__)
