"""Administration forms: shape and messages only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

SLUG = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=_l("Use lowercase letters, digits and hyphens only, e.g. savez-opcina."),
)
VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public: everyone can read")),
    SelectChoice("members", _l("Members only: signed-in members can read")),
    SelectChoice("association", _l("Association only: the owning association's members")),
]


class AssociationForm(FlaskForm):
    """A member association."""

    slug = StringField(
        _l("Short name (in addresses)"),
        validators=[DataRequired(_l("Give a short name.")), Length(max=64), SLUG],
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])


class MemberForm(FlaskForm):
    """Add a registered user to an association."""

    email = StringField(
        _l("E-mail address of a registered member"),
        validators=[
            DataRequired(_l("Give an e-mail address.")),
            Email(_l("Not an e-mail address.")),
        ],
    )
    moderator = BooleanField(_l("Moderator of this association"))


class CategoryForm(FlaskForm):
    """A category; the short name is fixed once created, since addresses use it."""

    slug = StringField(
        _l("Short name (in addresses)"),
        validators=[DataRequired(_l("Give a short name.")), Length(max=64), SLUG],
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give a name.")), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    guidelines = TextAreaField(_l("Posting guidelines"), validators=[Length(max=10000)])
    association = SelectField(_l("Owning association"), validate_choice=True)
    visibility = SelectField(_l("Who can read it"), choices=VISIBILITY_CHOICES)
    position = IntegerField(
        _l("Position in the list"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    archived = BooleanField(_l("Archived (read-only for members)"))
