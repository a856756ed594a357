"""Every access decision in one place.

Views, templates (through the context processor) and search all ask these predicates,
so a rule is written once. ``user`` may be an anonymous user object or ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import abort, current_app
from sqlalchemy import ColumnElement, and_, or_, select, true

from board.extensions import db
from board.models.base import utcnow

if TYPE_CHECKING:
    from board.models import Category, Document, Flag, ModerationAction, Post, Thread, User
    from board.models.initiatives import Initiative


def _authenticated(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user: User | None) -> bool:
    """Admins may do everything."""
    return _authenticated(user) and bool(user.is_admin)


def require(allowed: bool) -> None:
    """Abort with 403 unless allowed; call after loading (which 404s) so ids do not leak."""
    if not allowed:
        abort(403)


# Reading -------------------------------------------------------------------------------


def can_read_category(user: User | None, category: Category) -> bool:
    """Public categories for everyone, members-only for signed-in users, association-only
    for the owning association's members (and admins)."""
    if category.visibility == "public":
        return True
    if not _authenticated(user):
        return False
    if user.is_admin or category.visibility == "members":
        return True
    return category.association_id is not None and category.association_id in (user.association_ids)


def visible_category_ids(user: User | None) -> list[int]:
    """Ids of the categories ``user`` may read; search and listings filter on these."""
    from board.models import Category

    query = select(Category.id)
    if is_admin(user):
        return list(db.session.scalars(query))
    conditions = [Category.visibility == "public"]
    if _authenticated(user):
        conditions.append(Category.visibility == "members")
        association_ids = user.association_ids
        if association_ids:
            conditions.append(Category.association_id.in_(association_ids))
    return list(db.session.scalars(query.where(or_(*conditions))))


def can_moderate_category(user: User | None, category: Category) -> bool:
    """Moderators act only in their association's categories; admins everywhere.

    A suspended moderator keeps reading like any member but does not moderate until the
    suspension ends.
    """
    if not _authenticated(user):
        return False
    if user.is_admin:
        return True
    if user.is_suspended:
        return False
    return category.association_id is not None and category.association_id in (
        user.moderated_association_ids
    )


def moderated_category_ids(user: User | None) -> list[int]:
    """The categories whose queues and log ``user`` may see."""
    from board.models import Category

    if not _authenticated(user):
        return []
    if user.is_admin:
        return list(db.session.scalars(select(Category.id)))
    ids = user.moderated_association_ids
    if not ids:
        return []
    return list(db.session.scalars(select(Category.id).where(Category.association_id.in_(ids))))


def can_read_thread(user: User | None, thread: Thread) -> bool:
    """A hidden thread, or one still awaiting approval, exists only for its category's
    moderators and its author: also every reply in it, whoever wrote that."""
    if not can_read_category(user, thread.category):
        return False
    if thread.is_hidden or not thread.approved:
        return can_moderate_category(user, thread.category) or _is_author(user, thread)
    return True


def can_read_thread_feed(user: User | None, thread: Thread) -> bool:
    """Feed readers keep what they fetched, so only a thread every reader of its category
    sees has a feed: not a hidden or queued one, even for its moderators."""
    return thread.approved and not thread.is_hidden and can_read_thread(user, thread)


def can_read_post(user: User | None, post: Post) -> bool:
    """Whether ``user`` sees the post's content (not merely a placeholder)."""
    if not can_read_thread(user, post.thread):
        return False
    if post.is_public:
        return True
    if post.is_deleted:
        return False
    return can_moderate_category(user, post.thread.category) or _is_author(user, post)


def is_author(user: User | None, obj: Thread | Post | Document) -> bool:
    """Whether ``user`` wrote ``obj``: what authors do to their own posts leaves no audit line."""
    return _is_author(user, obj)


def listed_threads(user: User | None, category: Category) -> ColumnElement[bool]:
    """Which of the category's threads its listing shows ``user`` (a SQL condition):
    moderators see all; others neither hidden threads nor others' queued ones."""
    from board.models import Thread

    if can_moderate_category(user, category):
        return true()
    if not _authenticated(user):
        return Thread.is_public
    return and_(Thread.hidden_at.is_(None), or_(Thread.approved, Thread.author_id == user.id))


def listed_posts(user: User | None, thread: Thread) -> ColumnElement[bool]:
    """Which posts a thread page lists for ``user`` (a SQL condition): queued ones only to
    their author and the moderators. Hidden and deleted ones stay as placeholders."""
    from board.models import Post

    if can_moderate_category(user, thread.category):
        return true()
    if not _authenticated(user):
        return Post.approved
    return or_(Post.approved, Post.author_id == user.id)


def _is_author(user: User | None, obj: Thread | Post | Document) -> bool:
    author_id = getattr(obj, "author_id", None) or getattr(obj, "uploader_id", None)
    return _authenticated(user) and author_id == user.id


# Writing -------------------------------------------------------------------------------


def can_post(user: User | None) -> bool:
    """Signed in, confirmed and not suspended: the preconditions of every contribution."""
    return _authenticated(user) and user.is_confirmed and not user.is_suspended


def can_post_in(user: User | None, category: Category) -> bool:
    """``can_post``, unless a moderator restricted the member from this category's
    association (the member still posts in every other association's categories)."""
    if not can_post(user):
        return False
    return category.association_id is None or (
        category.association_id not in user.restricted_association_ids
    )


def can_post_unreviewed(user: User | None, category: Category) -> bool:
    """Whether a post goes up at once rather than into the approval queue: admins and the
    category's moderators never wait; new members wait for their first few posts."""
    if not _authenticated(user):
        return False
    if user.is_admin or can_moderate_category(user, category):
        return True
    return user.approved_posts >= int(current_app.config["NEW_MEMBER_QUEUE_POSTS"])


def can_start_thread(user: User | None, category: Category) -> bool:
    """Members post in categories they can read that are not archived."""
    if not can_post_in(user, category) or not can_read_category(user, category):
        return False
    return not category.archived or can_moderate_category(user, category)


def can_reply(user: User | None, thread: Thread) -> bool:
    """Locked threads take replies only from their moderators."""
    if not can_post_in(user, thread.category) or not can_read_thread(user, thread):
        return False
    if thread.locked or thread.category.archived:
        return can_moderate_category(user, thread.category)
    return True


def can_edit_post(user: User | None, post: Post) -> bool:
    """Authors edit their own posts; moderators edit posts in their categories."""
    if not _authenticated(user) or post.is_deleted:
        return False
    if can_moderate_category(user, post.thread.category):
        return True
    return _is_author(user, post) and can_post_in(user, post.thread.category) and not post.is_hidden


def can_delete_post(user: User | None, post: Post) -> bool:
    """Authors delete their own posts (softly); moderators use hide instead."""
    if not _authenticated(user) or post.is_deleted:
        return False
    return (_is_author(user, post) and not user.is_suspended) or is_admin(user)


UNDO_DELETE_WINDOW = timedelta(minutes=10)
"""How long authors may take back their own delete."""


def can_undo_delete(user: User | None, post: Post) -> bool:
    """Authors undo their own delete for ten minutes (not an admin's delete of their post,
    which the audit log records)."""
    from board.models import ModerationAction

    if not post.is_deleted or not _is_author(user, post) or user.is_suspended:
        return False
    if post.deleted_at <= utcnow() - UNDO_DELETE_WINDOW:
        return False
    by_admin = select(ModerationAction.id).where(
        ModerationAction.action == "delete_post",
        ModerationAction.target_type == "post",
        ModerationAction.target_id == post.id,
    )
    return db.session.scalar(by_admin.limit(1)) is None


def can_view_revisions(user: User | None, post: Post) -> bool:
    """Edit history is public wherever the post itself is readable."""
    return can_read_post(user, post)


def can_accept_answer(user: User | None, post: Post) -> bool:
    """The question's author (or a moderator) picks one reply as the answer."""
    if post.is_first or not post.is_public or not _authenticated(user):
        return False
    thread = post.thread
    if can_moderate_category(user, thread.category):
        return True
    return thread.author_id == user.id and can_post_in(user, thread.category)


def can_flag_post(user: User | None, post: Post) -> bool:
    """Confirmed members flag others' visible posts."""
    return (
        can_post_in(user, post.thread.category)
        and post.is_public
        and post.author_id != user.id
        and can_read_post(user, post)
    )


def can_moderate_post(user: User | None, post: Post) -> bool:
    """Hide, restore, approve: for the moderators of the post's category."""
    return can_moderate_category(user, post.thread.category)


def can_moderate_thread(user: User | None, thread: Thread) -> bool:
    """Lock, pin, hide, move: for the moderators of the thread's category."""
    return can_moderate_category(user, thread.category)


def can_move_thread(user: User | None, thread: Thread, target: Category) -> bool:
    """A thread moves only between categories the moderator moderates."""
    return can_moderate_category(user, thread.category) and can_moderate_category(user, target)


def can_edit_category(user: User | None, category: Category) -> bool:
    """Moderators edit the description and guidelines of their categories."""
    return can_moderate_category(user, category)


def can_see_flag(user: User | None, flag: Flag) -> bool:
    """A flag is visible to the moderators of the flagged post's category."""
    return can_moderate_category(user, flag.post.thread.category)


def can_see_audit_entry(user: User | None, entry: ModerationAction) -> bool:
    """Audit entries are read by the category's moderators, their actor and admins."""
    if is_admin(user):
        return True
    if _authenticated(user) and entry.actor_id == user.id:
        return True
    if entry.category_id is None:
        return False
    return entry.category_id in moderated_category_ids(user)


def is_staff(user: User | None) -> bool:
    """Admins and moderators (suspended or not): the accounts whose takeover would hurt
    others, so the board may require two-step login of them."""
    return _authenticated(user) and (user.is_admin or bool(user.moderated_association_ids))


def can_use_mod_tools(user: User | None) -> bool:
    """Whether the moderation area is open to ``user`` at all."""
    if not _authenticated(user):
        return False
    return user.is_admin or (bool(user.moderated_association_ids) and not user.is_suspended)


def can_suspend(user: User | None, target: User, days: int | None = None) -> bool:
    """Board-wide suspension is for admins: anyone but admins, for any period or
    permanently (``days`` None). A moderator's power ends at their association's
    categories: see ``can_restrict``."""
    return is_admin(user) and target.id != user.id and not target.is_admin


def can_restrict(
    user: User | None, target: User, association_id: int | None, days: int | None
) -> bool:
    """Keep a member from posting in one association's categories: its moderators (not
    suspended) for up to seven days, admins for any period. Moderators and admins are
    not restricted this way."""
    if not _authenticated(user) or target.id == user.id or target.is_admin:
        return False
    if association_id is None or target.moderated_association_ids:
        return False
    if user.is_admin:
        return days is None or days > 0
    if user.is_suspended or association_id not in user.moderated_association_ids:
        return False
    return days is not None and 0 < days <= 7


def can_use_suspension(user: User | None, target: User) -> bool:
    """Whether the suspension page (and the "Suspend" link) for ``target`` is open to
    ``user``: a board-wide suspension (admins) or a restriction in one of the user's
    associations for at least the shortest period."""
    if not can_use_mod_tools(user):
        return False
    if can_suspend(user, target):
        return True
    return any(can_restrict(user, target, a, 1) for a in user.moderated_association_ids)


def can_admin(user: User | None) -> bool:
    """The admin area: associations, categories, moderator appointments."""
    return is_admin(user)


# Documents -----------------------------------------------------------------------------


def can_read_document(user: User | None, document: Document) -> bool:
    """A document is readable exactly when the post it is attached to is."""
    if document.post is None:
        return _is_author(user, document) or is_admin(user)
    return can_read_post(user, document.post)


# Places, directory and figures -----------------------------------------------------------


def can_view_directory(user: User | None) -> bool:
    """The directory of people (and a place's member list) is for confirmed members only."""
    return _authenticated(user) and user.is_confirmed


def can_see_in_directory(user: User | None, person: User) -> bool:
    """A member who hid themselves is listed to nobody but themselves."""
    if not can_view_directory(user):
        return False
    return person.in_directory or person.id == user.id


def can_manage_places(user: User | None) -> bool:
    """Admins and association moderators add MZs and confirm members' proposals."""
    return is_admin(user) or (
        _authenticated(user) and bool(user.moderated_association_ids) and not user.is_suspended
    )


def can_view_stats(user: User | None) -> bool:
    """Participation figures: admins for the whole board, moderators for their categories."""
    return can_manage_places(user)


# Watching and notifications -------------------------------------------------------------


def can_watch_thread(user: User | None, thread: Thread) -> bool:
    """Any signed-in reader may follow a thread (watching is reading, so suspension and an
    unconfirmed address do not matter)."""
    return _authenticated(user) and can_read_thread(user, thread)


def can_watch_category(user: User | None, category: Category) -> bool:
    """Any signed-in reader may follow a category."""
    return _authenticated(user) and can_read_category(user, category)


def can_mark_read(user: User | None, category: Category) -> bool:
    """Any signed-in reader keeps track of what they have read (reading state is theirs
    alone, so suspension and an unconfirmed address do not matter)."""
    return _authenticated(user) and can_read_category(user, category)


def can_be_notified_of(user: User | None, post: Post) -> bool:
    """A notification about a post goes only to someone who may read it, and only while
    everyone who reads the thread sees it: never for hidden, queued or deleted posts, nor
    in a hidden or unapproved thread, nor to its own author."""
    if not _authenticated(user) or post.author_id == user.id:
        return False
    thread = post.thread
    if not post.is_public or thread.is_hidden or not thread.approved:
        return False
    return can_read_post(user, post)


def notifiable_readers(post: Post):
    """The SQL twin of ``can_be_notified_of`` for fan-out to many watchers: a condition on
    ``users`` (None when nobody may be notified). Tests hold the two to the same answers."""
    from board.models import Membership, User

    thread = post.thread
    if not post.is_public or thread.is_hidden or not thread.approved:
        return None
    category = thread.category
    condition = User.id != post.author_id
    if category.visibility == "association":
        members = select(Membership.user_id).where(
            Membership.association_id == category.association_id
        )
        if category.association_id is None:
            return condition & User.is_admin
        return condition & (User.is_admin | User.id.in_(members))
    return condition


def moderator_ids_for(category: Category) -> list[int]:
    """Who hears of flags and queued posts in a category: its association's moderators
    who are not suspended; the admins where no association owns it or none of its
    moderators can act, so no report goes unheard."""
    from board.models import Membership, User
    from board.models.base import utcnow

    admins = select(User.id).where(User.is_admin)
    if category.association_id is None:
        return list(db.session.scalars(admins))
    query = (
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.association_id == category.association_id, Membership.is_moderator)
        .where(or_(User.suspended_until.is_(None), User.suspended_until <= utcnow()))
    )
    return list(db.session.scalars(query)) or list(db.session.scalars(admins))


def moderated_by_admins_only(categories: Iterable[Category]) -> set[int]:
    """The ids of the ``categories`` nobody but the admins moderates: no association owns
    them, or their association has no moderator. One query for the whole list (the admin
    index warns about these)."""
    from board.models import Membership

    categories = list(categories)
    owners = {c.association_id for c in categories if c.association_id is not None}
    staffed: set[int | None] = set()
    if owners:
        staffed = set(
            db.session.scalars(
                select(Membership.association_id)
                .where(Membership.association_id.in_(owners), Membership.is_moderator)
                .distinct()
            )
        )
    return {c.id for c in categories if c.association_id not in staffed}


# Initiatives and good practice (issue 10) -------------------------------------------------


def can_start_initiative(user: User | None, category: Category) -> bool:
    """An initiative is a thread: whoever may start a thread in the category."""
    return can_start_thread(user, category)


def can_make_initiative(user: User | None, thread: Thread) -> bool:
    """The thread's author (still allowed to post there) or its moderators turn it into an
    initiative, and may change its addressee and legal basis while it is a draft."""
    if can_moderate_category(user, thread.category):
        return can_read_thread(user, thread)
    return (
        _is_author(user, thread)
        and can_post_in(user, thread.category)
        and can_read_thread(user, thread)
        and not thread.is_hidden
    )


def _is_coauthor(user: User | None, initiative: Initiative) -> bool:
    return _authenticated(user) and any(c.id == user.id for c in initiative.coauthors)


def can_edit_initiative(user: User | None, initiative: Initiative) -> bool:
    """While it is a draft, its author and co-authors (and moderators) edit the structured
    part; afterwards only moderators."""
    thread = initiative.thread
    if initiative.status != "draft":
        return can_moderate_category(user, thread.category)
    if _is_coauthor(user, initiative):
        return can_post_in(user, thread.category) and can_read_thread(user, thread)
    return can_make_initiative(user, thread)


def can_change_initiative_status(user: User | None, initiative: Initiative, status: str) -> bool:
    """Moderators of the owning association (admins anywhere) move an initiative along;
    its author (or a co-author) may only open the draft for support. Whether the step exists at all
    is the status machine's question (``models.initiatives.TRANSITIONS``): a 400, not a 403."""
    thread = initiative.thread
    if can_moderate_category(user, thread.category):
        return True
    return (
        initiative.status == "draft"
        and status == "open"
        and (_is_author(user, thread) or _is_coauthor(user, initiative))
        and can_post_in(user, thread.category)
    )


def can_support(user: User | None, initiative: Initiative) -> bool:
    """Confirmed members who may post in the category sign while it collects support."""
    return (
        initiative.status == "open"
        and can_post_in(user, initiative.thread.category)
        and can_read_thread(user, initiative.thread)
    )


def can_export_initiative(user: User | None, initiative: Initiative) -> bool:
    """The letter and the supporters' list are as public as the thread that holds them."""
    return can_read_thread(user, initiative.thread)


def can_mark_practice(user: User | None, thread: Thread) -> bool:
    """Moderators of the thread's category mark and unmark good practice."""
    return can_moderate_category(user, thread.category) and thread.approved


def can_edit_practice_tags(user: User | None) -> bool:
    """The fixed tag lists of good practice are the admins' to edit."""
    return is_admin(user)


PREDICATES = {
    name: obj for name, obj in dict(globals()).items() if name.startswith("can_") and callable(obj)
}
