"""Form classes shared by several blueprints (forum, moderation, admin), so none of them
imports another's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


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
