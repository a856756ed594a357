"""The attachment fields of the new-thread and reply forms.

A separate form without its own CSRF token (the post's form carries it), so the forum's
forms stay as they are. Checking the files (count, size, type from the bytes) happens
here, so a refused file re-renders the post form with a 400 and the typed text kept.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, MultipleFileField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from board.documents.service import CheckedFile, Metadata, UploadError, check_uploads

DOC_TYPE_CHOICES = [
    ("other", _l("Other")),
    ("statute", _l("Statute")),
    ("rules", _l("Rules of procedure")),
    ("decision", _l("Decision")),
    ("minutes", _l("Minutes")),
    ("report", _l("Report")),
    ("plan", _l("Plan")),
    ("call", _l("Public call")),
    ("guide", _l("Guide")),
]
DOC_TYPE_LABELS = dict(DOC_TYPE_CHOICES)


class UploadForm(FlaskForm):
    """Files for a post and what the uploader says about them (all optional)."""

    class Meta:
        csrf = False

    files = MultipleFileField(_l("Attach documents"))
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

    def validate_files(self, field: MultipleFileField) -> None:
        self.checked = []
        try:
            self.checked = check_uploads(list(field.data or []))
        except UploadError as error:
            field.errors.extend(error.messages[:-1])
            raise ValidationError(error.messages[-1]) from error

    def metadata(self) -> Metadata:
        """The metadata that applies to every file of this post."""
        return Metadata(
            title=self.doc_title.data or "",
            doc_type=self.doc_type.data or "other",
            municipality=self.doc_municipality.data or "",
            year=self.doc_year.data,
        )
