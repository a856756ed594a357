"""All models, imported here so Alembic and the app see one metadata."""

from board.models.documents import Document, StagedUpload
from board.models.forum import Category, Post, PostRevision, Thread
from board.models.moderation import Flag, ModerationAction
from board.models.notifications import DigestRun, HandleAlias, MailQueue, Notification, Watch
from board.models.search import SearchEntry, SearchOutbox
from board.models.users import Association, Membership, User

__all__ = [
    "Association",
    "Category",
    "DigestRun",
    "Document",
    "Flag",
    "HandleAlias",
    "MailQueue",
    "Membership",
    "ModerationAction",
    "Notification",
    "Post",
    "PostRevision",
    "SearchEntry",
    "SearchOutbox",
    "StagedUpload",
    "Thread",
    "User",
    "Watch",
]
