"""Accounts: registration, confirmation, login, password reset, language choice."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
