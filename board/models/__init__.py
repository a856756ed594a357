"""All models, imported here so Alembic and the app see one metadata."""

from board.models.documents import Document, StagedUpload
from board.models.forum import Category, Post, PostRevision, Thread, ThreadRead
from board.models.initiatives import (  # issue 10 (h9)
    Initiative,
    InitiativeEvent,
    Practice,
    PracticeTag,
    Support,
)
from board.models.moderation import Flag, ModerationAction
from board.models.notifications import DigestRun, HandleAlias, MailQueue, Notification, Watch
from board.models.places import Canton, Entity, LocalCommunity, Municipality
from board.models.search import SearchEntry, SearchOutbox
from board.models.users import Association, Membership, PostingRestriction, RecoveryCode, User

__all__ = [
    "Association",
    "Canton",
    "Category",
    "DigestRun",
    "Document",
    "Entity",
    "Flag",
    "HandleAlias",
    "Initiative",
    "InitiativeEvent",
    "LocalCommunity",
    "MailQueue",
    "Membership",
    "ModerationAction",
    "Municipality",
    "Notification",
    "Post",
    "PostRevision",
    "PostingRestriction",
    "Practice",
    "PracticeTag",
    "RecoveryCode",
    "SearchEntry",
    "SearchOutbox",
    "StagedUpload",
    "Support",
    "Thread",
    "ThreadRead",
    "User",
    "Watch",
]
