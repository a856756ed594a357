"""The search form: the shape of ``/search`` and ``/api/v1/search`` parameters, and the
messages a person sees when one is wrong. Names (category, author) are checked by the
service, which knows what the user may see."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, ValidationError

from board.forms import parse_date, valid_date
from board.incoming import parse_int
from board.search.results import MAX_PAGE, SearchParams

MAX_QUERY = 500
TYPES = ("", "post", "document", "initiative", "practice")  # the last two: issue 10
SORTS = ("relevance", "new")
GROUPS = ("thread", "post")


def clean_text(value: str | None) -> str:
    """Drop control characters (NUL and friends break databases and logs) and trim."""
    if not value:
        return ""
    kept = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cs"} or ch in "\u2028\u2029" else ch
        for ch in value
    )
    return kept.strip()


def _valid_page(form: FlaskForm, field: StringField) -> None:
    if not field.data:
        return
    if not 1 <= (parse_int(field.data) or 0) <= MAX_PAGE:
        raise ValidationError(
            _l("The page must be a whole number from 1 to %(max)d.", max=MAX_PAGE)
        )


def _valid_thread(form: FlaskForm, field: StringField) -> None:
    if field.data and not (field.data.isdigit() and len(field.data) <= 18):
        raise ValidationError(_l("The thread is given by its number."))


class SearchForm(FlaskForm):
    """Read from the query string (GET), so it carries no CSRF token."""

    class Meta:
        csrf = False

    q_truncated = False

    q = StringField(_l("Search for"), filters=[clean_text])
    category = SelectField(_l("Category"), choices=[], validate_choice=False, filters=[clean_text])
    author = StringField(
        _l("Author"),
        filters=[clean_text],
        validators=[Length(max=80, message=_l("An author's name has at most 80 characters."))],
    )
    type = SelectField(
        _l("Type"),
        choices=[
            SelectChoice("", _l("Posts and documents")),
            SelectChoice("post", _l("Posts")),
            SelectChoice("document", _l("Documents")),
            SelectChoice("initiative", _l("Initiatives")),
            SelectChoice("practice", _l("Good practice")),
        ],
        default="",
        validate_choice=False,
        validators=[
            AnyOf(TYPES, message=_l("The type is post, document, initiative or practice."))
        ],
    )
    date_from = StringField(_l("From"), name="from", filters=[clean_text], validators=[valid_date])
    date_to = StringField(_l("To"), name="to", filters=[clean_text], validators=[valid_date])
    solved = BooleanField(_l("Answered threads only"), false_values=("", "0", "false", "off", "no"))
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("relevance", _l("Relevance")),
            SelectChoice("new", _l("Newest first")),
        ],
        default="relevance",
        validate_choice=False,
        validators=[AnyOf(SORTS, message=_l("Sort by relevance or new."))],
    )
    page = StringField(_l("Page"), filters=[clean_text], validators=[_valid_page])
    place = StringField(
        _l("Place"),
        filters=[clean_text],
        validators=[Length(max=64, message=_l("There is no such place."))],
    )
    group = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("thread", _l("The best match of each thread")),
            SelectChoice("post", _l("Every matching post")),
        ],
        default="thread",
        validate_choice=False,
        validators=[AnyOf(GROUPS, message=_l("Group by thread or post."))],
    )
    thread = StringField(_l("Thread"), filters=[clean_text], validators=[_valid_thread])

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the checks that need two fields or a whole query.

        An over-long query is cut rather than refused (the page says so): a pasted
        paragraph is a search, not a mistake.
        """
        self.q_truncated = len(self.q.data or "") > MAX_QUERY
        if self.q_truncated:
            self.q.data = (
                self.q.data[:MAX_QUERY].rsplit(" ", 1)[0].strip() or self.q.data[:MAX_QUERY]
            )
        if not super().validate(extra_validators):
            return False
        start, end = parse_date(self.date_from.data), parse_date(self.date_to.data)
        if start and end and start > end:
            self.date_to.errors = [_l("The end date is before the start date.")]
            return False
        return True

    def params(self) -> SearchParams:
        """The validated values, typed, for the service."""
        return SearchParams(
            q=self.q.data or "",
            category=self.category.data or "",
            author=self.author.data or "",
            type=self.type.data or "",
            date_from=parse_date(self.date_from.data),
            date_to=parse_date(self.date_to.data),
            solved=bool(self.solved.data),
            sort=self.sort.data or "relevance",
            page=int(self.page.data or 1),
            place=self.place.data or "",
            group=self.group.data or "thread",
            thread=int(self.thread.data) if self.thread.data else None,
        )
