"""Moderation forms: shape and messages only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from board.forms import parse_date, valid_date
from board.models.moderation import FLAG_REASONS
from board.moderation.log import ACTION_LABELS

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


# The audit log's filters ----------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    """What /mod/log is narrowed to; empty values narrow nothing."""

    moderator: str = ""
    action: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None


class LogFilterForm(FlaskForm):
    """The filters of /mod/log, read from the query string (GET), so no CSRF token. Each
    choice must be one the page offers: a handle from the log, an action code, one of the
    reader's categories."""

    class Meta:
        csrf = False

    moderator = SelectField(_l("Who"), choices=[], validate_choice=False)
    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    date_from = StringField(_l("From"), name="from", validators=[valid_date])
    date_to = StringField(_l("To"), name="to", validators=[valid_date])

    def set_choices(self, people: list[tuple[str, str]], categories: list[tuple[str, str]]) -> None:
        """Offer these people (handle, name) and categories (slug, name), and every action."""
        actions = sorted(((code, str(label)) for code, label in ACTION_LABELS.items()),
                         key=lambda pair: pair[1])  # fmt: skip
        self.moderator.choices = [("", _l("Anyone")), *people]
        self.action.choices = [("", _l("Any action")), *actions]
        self.category.choices = [("", _l("Any category")), *categories]

    def validate(self, extra_validators=None) -> bool:
        """Each value must be one of the choices offered; the dates in order."""
        ok = super().validate(extra_validators)
        messages = {
            self.moderator: _l("Choose a person from the list."),
            self.action: _l("Choose an action from the list."),
            self.category: _l("Choose one of the categories you moderate."),
        }
        for field, message in messages.items():
            if field.data and field.data not in {value for value, _label in field.choices}:
                field.errors = [*field.errors, message]
                ok = False
        if ok:
            start, end = parse_date(self.date_from.data), parse_date(self.date_to.data)
            if start and end and start > end:
                self.date_to.errors = [_l("The end date is before the start date.")]
                ok = False
        return ok

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page then offers a way back to everything)."""
        fields = (self.moderator, self.action, self.category, self.date_from, self.date_to)
        return any(field.data for field in fields)

    def filters(self) -> LogFilters:
        """The valid values, typed; one that failed is left out, so the rest still apply."""

        def kept(field) -> str:
            return "" if field.errors else (field.data or "")

        return LogFilters(
            moderator=kept(self.moderator),
            action=kept(self.action),
            category=kept(self.category),
            date_from=parse_date(kept(self.date_from)),
            date_to=parse_date(kept(self.date_to)),
        )
