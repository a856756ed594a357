"""Form classes shared by several blueprints (forum, moderation, admin), so none of them
imports another's forms."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | None) -> date | None:
    """``YYYY-MM-DD`` or nothing; anything else raises ValueError (the caller's message)."""
    if not value:
        return None
    if not _DATE.match(value):
        raise ValueError(value)
    return datetime.strptime(value, "%Y-%m-%d").date()


def valid_date(form: FlaskForm, field: StringField) -> None:
    """A date filter's validator: search and the audit log ask for dates the same way."""
    try:
        parse_date(field.data)
    except ValueError:
        raise ValidationError(_l("Write the date as YYYY-MM-DD, for example 2024-03-31.")) from None


class ConfirmForm(FlaskForm):
    """An empty form: just the CSRF token for POST buttons."""


class ReasonForm(FlaskForm):
    """Hiding or rejecting: the author is told why. The moderation pages take it; the
    thread page shows it beside each post for its moderators."""

    reason = StringField(
        _l("Reason (the author will see it)"),
        validators=[
            DataRequired(_l("Give a reason; the author will see it.")),
            Length(max=500, message=_l("The reason can be at most %(max)d characters long.")),
        ],
    )
