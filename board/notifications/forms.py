"""Forms for watching, mail settings and handles: input shape and messages only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length


class ThreadWatchForm(FlaskForm):
    """POST /t/<id>/watch."""

    level = RadioField(
        _l("Notifications for this thread"),
        choices=[
            SelectChoice("watching", _l("Watching: every reply")),
            SelectChoice("normal", _l("Normal: mentions and answers to me")),
            SelectChoice("muted", _l("Muted: nothing")),
        ],
        validators=[InputRequired()],
    )


class CategoryWatchForm(FlaskForm):
    """POST /c/<slug>/watch."""

    level = RadioField(
        _l("Notifications for this category"),
        choices=[
            SelectChoice("watching", _l("Watching: every post")),
            SelectChoice("new_threads", _l("New threads only")),
            SelectChoice("normal", _l("Normal: mentions and answers to me")),
            SelectChoice("muted", _l("Muted: nothing")),
        ],
        validators=[InputRequired()],
    )


class MailSettingsForm(FlaskForm):
    """/settings/notifications."""

    email_mode = RadioField(
        _l("E-mail"),
        choices=[
            SelectChoice(
                "each", _l("One e-mail per notification (at most one per thread every 10 minutes)")
            ),
            SelectChoice("daily", _l("A daily summary")),
            SelectChoice("weekly", _l("A weekly summary")),
            SelectChoice("off", _l("No e-mail")),
        ],
        validators=[InputRequired()],
    )


class HandleForm(FlaskForm):
    """Changing one's handle; the old one keeps redirecting."""

    handle = StringField(_l("Handle"), validators=[InputRequired(), Length(max=31)])
