"""Form classes shared by several blueprints (forum, moderation, admin), so none of them
imports another's forms."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: just the CSRF token for POST buttons."""
