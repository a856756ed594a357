"""The audit log as people read it: actions in words, objects by name and link, changes as
"was → is now" (the filters of ``/mod/log`` are ``forms.LogFilterForm`` and
``queues.filtered_log``).

``board.audit`` writes the lines and stays a leaf; everything a reader needs to understand
one lives here, so a new action code without a label is caught by one test
(``tests/moderation/test_log_labels.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from board.extensions import db
from board.initiatives.labels import LEVEL_LABELS, OUTCOME_LABELS, STATUS_LABELS
from board.models import Association, Category, ModerationAction, Post, Thread, User
from board.permissions import is_admin

ACTION_LABELS = {
    # Posts
    "hide_post": _l("Hid a post"),
    "auto_hide_post": _l("Post hidden by members' reports"),
    "restore_post": _l("Restored a post"),
    "approve_post": _l("Approved a post"),
    "reject_post": _l("Did not approve a post"),
    "edit_post": _l("Edited a post"),
    "delete_post": _l("Deleted a post"),
    "dismiss_flags": _l("Dismissed reports"),
    "accept_answer": _l("Chose the accepted answer"),
    "unaccept_answer": _l("Removed the accepted answer"),
    # Threads
    "lock_thread": _l("Locked a thread"),
    "unlock_thread": _l("Unlocked a thread"),
    "pin_thread": _l("Pinned a thread"),
    "unpin_thread": _l("Unpinned a thread"),
    "hide_thread": _l("Hid a thread"),
    "restore_thread": _l("Restored a thread"),
    "move_thread": _l("Moved a thread"),
    # Members
    "suspend_user": _l("Suspended a member"),
    "unsuspend_user": _l("Lifted a suspension"),
    "restrict_user": _l("Restricted a member in an association's categories"),
    "unrestrict_user": _l("Lifted a restriction"),
    "add_member": _l("Added a member to an association"),
    "remove_member": _l("Removed a member from an association"),
    "appoint_moderator": _l("Appointed a moderator"),
    "remove_moderator": _l("Removed a moderator"),
    # Associations and categories
    "create_association": _l("Created an association"),
    "edit_association": _l("Edited an association"),
    "create_category": _l("Created a category"),
    "edit_category": _l("Edited a category"),
    "reorder_category": _l("Changed the order of categories"),
    # Initiatives and good practice
    "initiative_create": _l("Started an initiative"),
    "initiative_edit": _l("Edited an initiative"),
    "initiative_status": _l("Changed an initiative's status"),
    "practice_mark": _l("Marked a thread as good practice"),
    "practice_edit": _l("Edited a good practice summary"),
    "practice_unmark": _l("Removed a thread from good practice"),
    "practice_tags": _l("Changed the good practice tags"),
}

FIELD_LABELS = {
    "hidden": _l("Hidden"),
    "reason": _l("Reason"),
    "approved": _l("Approved"),
    "locked": _l("Locked"),
    "pinned": _l("Pinned"),
    "deleted": _l("Deleted"),
    "category": _l("Category"),
    "flags": _l("Reports"),
    "until": _l("Until"),
    "days": _l("Days"),
    "association": _l("Association"),
    "moderator": _l("Moderator"),
    "slug": _l("Short name"),
    "name": _l("Name"),
    "description": _l("Description"),
    "guidelines": _l("Posting guidelines"),
    "visibility": _l("Who can read it"),
    "archived": _l("Archived"),
    "position": _l("Order"),
    "body": _l("Text"),
    "post": _l("Accepted answer"),
    "level": _l("Level"),
    "addressee": _l("Addressee"),
    "legal_basis": _l("Legal basis"),
    "coauthors": _l("Co-authors"),
    "status": _l("Status"),
    "outcome": _l("Outcome"),
    "reference": _l("Reference number"),
    "summary": _l("Summary"),
    "tags": _l("Tags"),
}

TARGET_KINDS = {
    "post": _l("Post"),
    "thread": _l("Thread"),
    "category": _l("Category"),
    "user": _l("Member"),
    "association": _l("Association"),
}

VISIBILITY_LABELS = {
    "public": _l("Public"),
    "members": _l("Members only"),
    "association": _l("Association only"),
}

LONG_FIELDS = frozenset({"body", "description", "guidelines", "summary", "legal_basis"})
"""Texts shown as blocks (and whole), not squeezed into a table cell."""


def action_label(code: str) -> str:
    """The action in the reader's language; an unknown code (an old line) shows as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


# Targets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What an audit line acted on, as a reader recognises it."""

    kind: str
    title: str
    url: str | None = None


def describe_targets(entries: list[ModerationAction], reader: User) -> dict[tuple, Target]:
    """Every entry's target by title and link, in one query per kind (not one per line)."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    found: dict[tuple, Target] = {}
    loaders = {
        "post": _posts,
        "thread": _threads,
        "category": _categories,
        "user": _users,
        "association": lambda ids: _associations(ids, reader),
    }
    for kind, ids in wanted.items():
        if kind in loaders:
            found.update({(kind, i): t for i, t in loaders[kind](ids).items()})
    for entry in entries:
        key = (entry.target_type, entry.target_id)
        if key not in found:
            kind = TARGET_KINDS.get(entry.target_type, entry.target_type)
            found[key] = Target(
                str(kind), _("no longer exists (number %(id)d)", id=entry.target_id)
            )
    return found


def _posts(ids: set[int]) -> dict[int, Target]:
    posts = db.session.scalars(
        select(Post)
        .where(Post.id.in_(ids))
        .options(selectinload(Post.author), selectinload(Post.thread))
    )
    return {
        p.id: Target(
            _("Post by %(name)s", name=p.author.display_name),
            p.thread.title,
            url_for("forum.permalink", post_id=p.id),
        )
        for p in posts
    }


def _threads(ids: set[int]) -> dict[int, Target]:
    threads = db.session.scalars(select(Thread).where(Thread.id.in_(ids)))
    return {t.id: Target(str(TARGET_KINDS["thread"]), t.title, t.url) for t in threads}


def _categories(ids: set[int]) -> dict[int, Target]:
    categories = db.session.scalars(select(Category).where(Category.id.in_(ids)))
    return {c.id: Target(str(TARGET_KINDS["category"]), c.name, c.url) for c in categories}


def _users(ids: set[int]) -> dict[int, Target]:
    users = db.session.scalars(select(User).where(User.id.in_(ids)))
    return {
        u.id: Target(
            str(TARGET_KINDS["user"]), u.display_name, url_for("auth.profile", user_id=u.id)
        )
        for u in users
    }


def _associations(ids: set[int], reader: User) -> dict[int, Target]:
    associations = db.session.scalars(select(Association).where(Association.id.in_(ids)))
    admin = is_admin(reader)
    return {
        a.id: Target(
            str(TARGET_KINDS["association"]),
            a.name,
            url_for("admin.association", association_id=a.id) if admin else None,
        )
        for a in associations
    }


# Changes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of an audit line: what it was and what it became, in words."""

    field: str
    before: str
    after: str
    long: bool = False


def changes(entry: ModerationAction) -> list[Change]:
    """The entry's before and after side by side, field by field, in the reader's language."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [k for k in after if k not in before]
    names = _Names()
    return [
        Change(
            field=str(FIELD_LABELS.get(key, key)),
            before=_value(key, before[key], names) if key in before else "—",
            after=_value(key, after[key], names) if key in after else "—",
            long=key in LONG_FIELDS,
        )
        for key in keys
    ]


class _Names:
    """Slugs and ids in a change, looked up only when a change holds one."""

    def category(self, slug: str) -> str:
        name = db.session.scalar(select(Category.name).where(Category.slug == slug))
        return name or slug

    def association(self, slug: str) -> str:
        name = db.session.scalar(select(Association.name).where(Association.slug == slug))
        return name or slug

    def users(self, ids: list[int]) -> str:
        names = db.session.scalars(select(User.display_name).where(User.id.in_(ids)))
        return ", ".join(names) or "—"

    def post(self, post_id: int) -> str:
        post = db.session.get(Post, post_id)
        if post is None:
            return _("no longer exists (number %(id)d)", id=post_id)
        return _("the reply by %(name)s", name=post.author.display_name)


_CODED = {
    "visibility": VISIBILITY_LABELS,
    "status": STATUS_LABELS,
    "outcome": OUTCOME_LABELS,
    "level": LEVEL_LABELS,
}


def _value(key: str, value: object, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return _("no end date") if key == "days" else "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in _CODED:
        return str(_CODED[key].get(value, value))
    if key == "category":
        return names.category(str(value))
    if key == "association":
        return names.association(str(value))
    if key == "coauthors" and isinstance(value, list):
        return names.users(value)
    if key == "post" and isinstance(value, int):
        return names.post(value)
    if key == "until" and isinstance(value, str):
        return _until(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _until(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.year >= 9999:
        return _("no end date")
    return format_date(moment, "long")
