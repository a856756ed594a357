"""Account forms: input shape and messages only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Email, InputRequired, Length, ValidationError

from board.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from board.profile import FUNCTION_CHOICES, GENDER_CHOICES

BIO_MAX = 1000


def one_line(value: str | None) -> str | None:
    """Control characters (NUL breaks PostgreSQL) become spaces; runs of space collapse.

    Anything but text passes untouched: a form filled from an account (``obj=user``) meets
    ``User.mz``, a place, which the settings view replaces by its name."""
    if not isinstance(value, str):
        return value
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())


def plain_text(value: str | None) -> str | None:
    """Multi-line text without control characters other than the line break."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n")
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text).strip()


def _not_common(form: FlaskForm, field: PasswordField) -> None:
    if field.data and is_common(field.data):
        raise ValidationError(
            _l("This password is too common. Choose one that is harder to guess.")
        )


def _password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(message=_l("Enter a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("The password must be %(min)d to %(max)d characters long."),
            ),
            _not_common,
        ],
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address is too long.")),
            Email(
                message=_l("Enter an e-mail address like name@example.ba."),
                check_deliverability=False,
            ),
        ],
    )


def _listed_choice(
    label: str, choices: list[tuple[str, str]], default: str, message: str
) -> SelectField:
    """A select whose value must be one of ``choices``; a forged one gets ``message``."""
    return SelectField(
        label,
        choices=[SelectChoice(value, text) for value, text in choices],
        default=default,
        validate_choice=False,
        validators=[AnyOf([value for value, _text in choices], message=message)],
    )


class RegisterForm(FlaskForm):
    email = _email_field()
    display_name = StringField(
        _l("Display name"),
        validators=[
            InputRequired(message=_l("Enter the name others will see.")),
            Length(min=2, max=80, message=_l("The name must be 2 to 80 characters long.")),
        ],
    )
    password = _password_field(_l("Password"))
    function = SelectField(
        _l("Your role in the community"),
        choices=[SelectChoice(value, label) for value, label in FUNCTION_CHOICES],
        default="other",
    )
    municipality = StringField(_l("Municipality"), validators=[Length(max=100)])
    mz = StringField(_l("Local community (MZ)"), validators=[Length(max=100)])

    def validate_display_name(self, field: StringField) -> None:
        if not field.data or not field.data.strip():
            raise ValidationError(_l("Enter the name others will see."))


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-mail address"),
        validators=[InputRequired(message=_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )
    remember = BooleanField(_l("Remember me"))


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetForm(FlaskForm):
    password = _password_field(_l("New password"))


class ProfileForm(FlaskForm):
    """The profile; municipality and MZ are checked against the map by the view's
    ``resolve_places`` (reading only), so what is wrong comes back as a field error."""

    display_name = StringField(
        _l("Display name"),
        filters=[one_line],
        validators=RegisterForm.display_name.kwargs["validators"],
    )
    function = _listed_choice(
        _l("Your role in the community"),
        FUNCTION_CHOICES,
        "other",
        _l("Choose a role from the list."),
    )
    municipality = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    mz = StringField(
        _l("Local community (MZ)"),
        filters=[one_line],
        validators=[Length(max=100, message=_l("The MZ name can be at most 100 characters."))],
    )
    propose_mz = BooleanField(_l("My MZ is not on the list: propose it as a new one"))
    bio = TextAreaField(
        _l("About you"),
        filters=[plain_text],
        validators=[
            Length(
                max=BIO_MAX,
                message=_l("Write at most %(max)d characters about yourself.", max=BIO_MAX),
            )
        ],
    )
    gender = _listed_choice(
        _l("Gender"), GENDER_CHOICES, "undisclosed", _l("Choose one of the options.")
    )
    in_directory = BooleanField(_l("List me in the members' directory"))

    validate_display_name = RegisterForm.validate_display_name


def _current_password() -> PasswordField:
    return PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(message=_l("Enter your current password.")),
            Length(max=MAX_LENGTH),
        ],
    )


class PasswordChangeForm(FlaskForm):
    current_password = _current_password()
    password = _password_field(_l("New password"))


class EmailChangeForm(FlaskForm):
    email = _email_field()
    current_password = _current_password()


def _code_field() -> StringField:
    return StringField(
        _l("Code"),
        validators=[
            InputRequired(message=_l("Enter the code.")),
            Length(max=32, message=_l("Enter the six-digit code or a recovery code.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class TwoFactorEnableForm(FlaskForm):
    code = _code_field()


class TwoFactorCodeForm(FlaskForm):
    code = _code_field()


class TwoFactorDisableForm(FlaskForm):
    current_password = _current_password()


class DeleteAccountForm(FlaskForm):
    posts = RadioField(
        _l("Your posts"),
        choices=[
            SelectChoice("keep", _l("Keep my posts, shown as written by a former member")),
            SelectChoice("remove", _l("Delete my posts and the documents attached to them")),
        ],
        validators=[InputRequired(message=_l("Choose what happens to your posts."))],
    )
    current_password = _current_password()
