"""Moderation forms: shape and messages only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from board.models.moderation import FLAG_REASONS

REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Offensive or abusive"),
    "off_topic": _l("Off topic"),
    "other": _l("Something else"),
}

# What became of a report (``Flag.outcome``), as shown to moderators: never the raw code.
OUTCOME_LABELS = {
    "hidden": _l("the post was hidden"),
    "dismissed": _l("the report was dismissed"),
    "edited": _l("the post was edited"),
}


class FlagForm(FlaskForm):
    """A member's report of a post."""

    reason = RadioField(
        _l("Why are you reporting this post?"),
        choices=[SelectChoice(code, REASON_LABELS[code]) for code in FLAG_REASONS],
        validators=[InputRequired(_l("Choose a reason."))],
    )
    text = TextAreaField(_l("Details for the moderators (optional)"), validators=[Length(max=1000)])


class ResolveFlagForm(FlaskForm):
    """How a moderator settles a report."""

    outcome = RadioField(
        _l("Outcome"),
        choices=[
            SelectChoice("hide", _l("Hide the post")),
            SelectChoice("dismiss", _l("Dismiss the report")),
        ],
        validators=[InputRequired(_l("Choose an outcome."))],
    )
    reason = StringField(
        _l("Reason (shown to the author if the post is hidden)"), validators=[Length(max=500)]
    )


class MoveForm(FlaskForm):
    """Where a thread goes; choices are the categories the moderator keeps."""

    category = SelectField(
        _l("Move to category"),
        validators=[InputRequired(_l("Choose a category."))],
        validate_choice=False,
        # A required <select> must start with an empty option (HTML); a category is always
        # chosen here, so no `required` attribute: the validator still answers.
        render_kw={"required": False},
    )


class CategoryTextForm(FlaskForm):
    """What moderators may change about their categories."""

    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    guidelines = TextAreaField(_l("Posting guidelines"), validators=[Length(max=10000)])


class SuspendForm(FlaskForm):
    """A suspension: moderators up to seven days, admins any period or permanently."""

    days = IntegerField(
        _l("Days"),
        validators=[
            Optional(),
            NumberRange(min=1, max=36500, message=_l("Enter a number of days.")),
        ],
    )
    permanent = BooleanField(_l("Permanently (admins only)"))
    association = SelectField(_l("Where"), choices=[])
    reason = StringField(
        _l("Reason (the member will see it)"),
        validators=[DataRequired(_l("Give a reason; the member will see it.")), Length(max=500)],
    )
