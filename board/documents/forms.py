"""The attachment fields of the new-thread and reply forms.

A separate form without its own CSRF token (the post's form carries it), so the forum's
forms stay as they are. Checking the files (count, size, type from the bytes) happens
here, so a refused file re-renders the post form with a 400 and the typed text kept.
Files that passed the checks on a refused form come back as staged uploads: the form
carries their tokens in ``staged`` (hidden) and ``staged_remove`` (ticked to drop one),
and they count towards the file limit like new files.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, MultipleFileField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from board.documents.service import (
    Attachments,
    CheckedFile,
    Metadata,
    count_message,
    sort_uploads,
    uploads_today,
)
from board.documents.staging import find_staged
from board.models import StagedUpload, User
from board.ratelimits import daily_upload_cap

DOC_TYPE_CHOICES = [
    ("other", _l("Other")),
    ("statute", _l("Statute")),
    ("rules", _l("Rules of procedure")),
    ("decision", _l("Decision")),
    ("minutes", _l("Minutes")),
    ("report", lazy_pgettext("document type", "Report")),
    ("plan", _l("Plan")),
    ("call", _l("Public call")),
    ("guide", _l("Guide")),
]
DOC_TYPE_LABELS = dict(DOC_TYPE_CHOICES)


class TokenListField(Field):
    """Every value sent under the field's name (hidden inputs, ticked checkboxes)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [value.strip() for value in valuelist if value and value.strip()]

    def _value(self) -> str:
        return ""


class UploadForm(FlaskForm):
    """Files for a post and what the uploader says about them (all optional)."""

    class Meta:
        csrf = False

    files = MultipleFileField(_l("Attach documents"))
    staged = TokenListField(default=list)
    staged_remove = TokenListField(default=list)
    doc_title = StringField(_l("Document title"), validators=[Optional(), Length(max=200)])
    doc_type = SelectField(
        _l("Document type"),
        choices=[SelectChoice(code, label) for code, label in DOC_TYPE_CHOICES],
        default="other",
    )
    doc_municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=100)])
    doc_year = IntegerField(
        _l("Year"),
        validators=[
            Optional(),
            NumberRange(min=1900, max=2100, message=_l("Enter a year such as 2024.")),
        ],
    )

    checked: list[CheckedFile]
    kept: list[StagedUpload]
    dropped: list[StagedUpload]

    def __init__(self, *args, owner: User | None = None, **kwargs) -> None:
        """``owner``: the member posting; only their staged uploads are found."""
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.checked = []
        self.refused = False  # some chosen file was refused (not merely too many)
        found = find_staged(owner, self.staged.data or [])
        removed = set(self.staged_remove.data or [])
        self.kept = [row for row in found if row.token not in removed]
        self.dropped = [row for row in found if row.token in removed]

    def validate_files(self, field: MultipleFileField) -> None:
        files = [f for f in field.data or [] if f is not None and f.filename]
        self.checked, problems = sort_uploads(files)
        self.refused = bool(problems)
        too_many = count_message(len(files) + len(self.kept), len(self.kept))
        problems = ([too_many] if too_many else []) + problems + self._over_daily_cap(files)
        if problems:
            field.errors.extend(problems[:-1])
            raise ValidationError(problems[-1])

    def _over_daily_cap(self, files: list) -> list[str]:
        """A member uploads at most so many files a day (fewer in their first day)."""
        if not files or self.owner is None:
            return []
        cap = daily_upload_cap(self.owner)
        if uploads_today(self.owner) + len(files) <= cap:
            return []
        return [
            ngettext(
                "You can upload at most %(num)d file a day. Try again tomorrow.",
                "You can upload at most %(num)d files a day. Try again tomorrow.",
                cap,
            )
        ]

    def keep(self, staged: list[StagedUpload]) -> None:
        """After a refusal: the new files are staged too; the form lists them all."""
        self.kept = self.kept + staged
        self.checked = []

    def attachments(self) -> Attachments:
        """Everything the post's use case attaches, as plain values."""
        return Attachments(
            files=tuple(self.checked),
            staged=tuple(self.kept),
            dropped=tuple(self.dropped),
            meta=self.metadata(),
        )

    def metadata(self) -> Metadata:
        """The metadata that applies to every file of this post."""
        return Metadata(
            title=self.doc_title.data or "",
            doc_type=self.doc_type.data or "other",
            municipality=self.doc_municipality.data or "",
            year=self.doc_year.data,
        )
