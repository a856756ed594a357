"""Forum forms: shape and messages; the limits come from the config."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError


def _limit(key: str, message: str):
    def check(form: FlaskForm, field: StringField) -> None:
        limit = int(current_app.config[key])
        if field.data and len(field.data) > limit:
            raise ValidationError(message % {"max": limit, "count": len(field.data)})

    return check


def _not_blank(message: str):
    def check(form: FlaskForm, field: StringField) -> None:
        if not field.data or not field.data.strip():
            raise ValidationError(message)

    return check


def _body_field() -> TextAreaField:
    return TextAreaField(
        _l("Message"),
        validators=[
            _not_blank(_l("Write a message.")),
            _limit(
                "BODY_MAX",
                _l("The message can be at most %(max)d characters long; it has %(count)d."),
            ),
        ],
    )


class ThreadForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            _not_blank(_l("Write a title.")),
            _limit(
                "TITLE_MAX",
                _l("The title can be at most %(max)d characters long; it has %(count)d."),
            ),
        ],
    )
    body = _body_field()
    municipality = SelectField(_l("Place (municipality)"), choices=[], validate_choice=False)

    def validate_municipality(self, field: SelectField) -> None:
        from board.places.service import municipality_by_slug

        if field.data and municipality_by_slug(field.data) is None:
            raise ValidationError(_l("Choose the municipality from the list."))


class ReplyForm(FlaskForm):
    body = _body_field()


class EditForm(FlaskForm):
    body = _body_field()
    reason = StringField(_l("Reason for the edit (optional)"), validators=[Length(max=500)])


class EditFirstPostForm(EditForm):
    title = ThreadForm.title
