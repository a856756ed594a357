"""Initiative and good-practice forms: shape and messages; they never write."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional, ValidationError

from board.forum.forms import ThreadForm
from board.initiatives.labels import LEVEL_LABELS, ON_BEHALF_LABELS, OUTCOME_LABELS, STATUS_LABELS
from board.models.initiatives import LEVELS, ON_BEHALF, OUTCOMES, STATUSES


def _required(message: str):
    def check(form: FlaskForm, field: StringField) -> None:
        if not field.data or not str(field.data).strip():
            raise ValidationError(message)

    return check


def _level_field() -> SelectField:
    return SelectField(
        _l("Level of government addressed"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(code, LEVEL_LABELS[code]) for code in LEVELS],
        validate_choice=False,
        validators=[
            _required(_l("Choose the level of government from the list.")),
            AnyOf(LEVELS, message=_l("Choose the level of government from the list.")),
        ],
    )


def _addressee_field() -> StringField:
    return StringField(
        _l("Addressed institution"),
        description=_l("For example: Federalno ministarstvo pravde"),
        validators=[
            _required(_l("Write which institution the initiative is addressed to.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )


def _legal_basis_field() -> TextAreaField:
    return TextAreaField(
        _l("Legal basis (law and article)"),
        validators=[Optional(), Length(max=2000, message=_l("At most %(max)d characters."))],
    )


class InitiativeForm(ThreadForm):
    """A new thread with its initiative: the thread's fields plus the structured part."""

    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    level = _level_field()
    addressee = _addressee_field()
    legal_basis = _legal_basis_field()


class MakeInitiativeForm(FlaskForm):
    """Turn an existing thread into an initiative (or edit a draft's structured part)."""

    level = _level_field()
    addressee = _addressee_field()
    legal_basis = _legal_basis_field()
    coauthors = TextAreaField(
        _l("Co-authors (one per line: their @handle, or their name as shown on their posts)"),
        validators=[Optional(), Length(max=2000, message=_l("At most %(max)d characters."))],
    )


class StatusForm(FlaskForm):
    """A step of the status machine; the service checks which steps exist."""

    status = SelectField(
        _l("New status"),
        choices=[SelectChoice(code, STATUS_LABELS[code]) for code in STATUSES],
        validate_choice=False,
        validators=[AnyOf(STATUSES, message=_l("Choose a status from the list."))],
    )
    note = TextAreaField(
        _l("Note"), validators=[Length(max=5000, message=_l("At most %(max)d characters."))]
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(code, OUTCOME_LABELS[code]) for code in OUTCOMES],
        validate_choice=False,
        validators=[Optional(), AnyOf(OUTCOMES, message=_l("Choose the outcome."))],
    )
    reference = StringField(
        _l("Reference number"),
        validators=[Length(max=100, message=_l("At most %(max)d characters."))],
    )


class SupportForm(FlaskForm):
    on_behalf = SelectField(
        _l("Sign"),
        choices=[SelectChoice(code, ON_BEHALF_LABELS[code]) for code in ON_BEHALF],
        default="self",
        validate_choice=False,
        validators=[
            AnyOf(ON_BEHALF, message=_l("Choose whether you sign personally or for your MZ."))
        ],
    )


class PracticeForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary: what was done, where, with what result"),
        validators=[
            _required(_l("Write a short summary.")),
            Length(max=1000, message=_l("At most %(max)d characters.")),
        ],
    )
    tags = SelectMultipleField(_l("Topic tags"), choices=[], validate_choice=False)

    def validate_tags(self, field: SelectMultipleField) -> None:
        allowed = {value for value, _label in field.choices}
        if any(tag not in allowed for tag in field.data or []):
            raise ValidationError(_l("Choose tags from the category's list."))


class PracticeTagsForm(FlaskForm):
    tags = TextAreaField(
        _l("Tags, one per line"),
        validators=[Length(max=3000, message=_l("At most %(max)d characters."))],
    )
