"""Accounts: registration, confirmation, login, password reset, language choice."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from board.auth import account_views, views  # noqa: E402,F401
