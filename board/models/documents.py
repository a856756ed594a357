"""Documents attached to posts, stored by content hash, with their extracted text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.extensions import db
from board.models.base import UTCDateTime, utcnow
from board.models.forum import Post
from board.models.users import User

DOC_TYPES = (
    "statute",
    "rules",
    "decision",
    "minutes",
    "report",
    "plan",
    "call",
    "guide",
    "other",
)
EXTRACTION_STATES = ("pending", "running", "done", "failed", "skipped")
PAGE_BREAK = "\f"  # the extracted pages are stored in ``Document.text`` joined by this


class Document(db.Model):
    """An uploaded file; the bytes live in storage under ``sha256``."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(127))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200), default="")
    doc_type: Mapped[str] = mapped_column(String(16), default="other")
    municipality: Mapped[str] = mapped_column(String(100), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    extraction_status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    extraction_error: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    extracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    post: Mapped[Post | None] = relationship(back_populates="documents")
    uploader: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.filename!r}>"

    @property
    def url(self) -> str:
        return f"/documents/{self.id}"

    @property
    def display_title(self) -> str:
        return self.title or self.filename


def document_pages(document: Document) -> list[str]:
    """The extracted text, page by page (pages are stored joined by form feeds)."""
    return document.text.split(PAGE_BREAK) if document.text else []


class StagedUpload(db.Model):
    """A file that passed the checks on a post form that was then refused (empty title,
    too long a message...). Its bytes are already in storage; the re-rendered form carries
    ``token`` so the next submission attaches it without the member choosing it again.
    Only its uploader can claim it; rows older than a day are purged with their blobs."""

    __tablename__ = "staged_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<StagedUpload {self.id} {self.filename!r}>"
