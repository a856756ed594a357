"""All models, imported here so Alembic and the app see one metadata."""

from board.models.documents import Document, StagedUpload
from board.models.forum import Category, Post, PostRevision, Thread
from board.models.moderation import Flag, ModerationAction, Notification
from board.models.search import SearchEntry, SearchOutbox
from board.models.users import Association, Membership, PostingRestriction, RecoveryCode, User

__all__ = [
    "Association",
    "Category",
    "Document",
    "Flag",
    "Membership",
    "ModerationAction",
    "Notification",
    "Post",
    "PostRevision",
    "PostingRestriction",
    "RecoveryCode",
    "SearchEntry",
    "SearchOutbox",
    "StagedUpload",
    "Thread",
    "User",
]
