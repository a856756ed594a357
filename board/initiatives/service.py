"""Initiative use cases: each takes plain arguments, commits once at its end, and returns
the result. The thread itself comes from the forum's own ``start_thread``/``reply``."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from board.audit import record
from board.documents import service as documents
from board.documents.service import CheckedFile, Metadata
from board.extensions import db
from board.forum import service as forum
from board.initiatives.labels import OUTCOME_LABELS, STATUS_LABELS
from board.initiatives.queries import initiative_for
from board.models import Category, Municipality, Post, Thread, User
from board.models.base import utcnow
from board.models.initiatives import (
    LEVELS,
    ON_BEHALF,
    OUTCOMES,
    TRANSITIONS,
    Initiative,
    InitiativeEvent,
    Support,
)
from board.notifications import service as notifications
from board.notifications.handles import find_by_handle


class InitiativeError(ValueError):
    """A step the initiative cannot take; ``field`` names the form field to blame."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


# Creating -------------------------------------------------------------------------------


def start_initiative(
    user: User,
    category: Category,
    title: str,
    body: str,
    *,
    level: str,
    addressee: str,
    legal_basis: str = "",
    municipality: Municipality | None = None,
) -> Post:
    """Open a thread through the forum's ``start_thread`` and give it its initiative, in
    one transaction (the same approval queue applies to new members)."""
    return forum.start_thread(
        user,
        category,
        title,
        body,
        municipality=municipality,
        extend=lambda post: _new_initiative(user, post.thread, level, addressee, legal_basis),
    )


def make_initiative(
    user: User,
    thread: Thread,
    *,
    level: str,
    addressee: str,
    legal_basis: str = "",
    coauthor_names: list[str] | None = None,
) -> Initiative:
    """Turn an existing thread into a draft initiative, or change a draft's structured
    part and co-authors; every change is in the audit log."""
    coauthors = find_coauthors(coauthor_names or [], thread)
    initiative = initiative_for(thread)
    if initiative is None:
        initiative = _new_initiative(user, thread, level, addressee, legal_basis)
        before = None
    else:
        before = _snapshot(initiative)
    initiative.level, initiative.addressee = level, addressee.strip()
    initiative.legal_basis = legal_basis.strip()
    if coauthor_names is not None:
        initiative.coauthors = coauthors
    if before is not None and before != _snapshot(initiative):
        record(user, "initiative_edit", thread, before=before, after=_snapshot(initiative))
    db.session.commit()
    return initiative


def _snapshot(initiative: Initiative) -> dict:
    return {
        "level": initiative.level,
        "addressee": initiative.addressee,
        "legal_basis": initiative.legal_basis,
        "coauthors": [user.id for user in initiative.coauthors],
    }


def find_coauthors(names: list[str], thread: Thread) -> list[User]:
    """Members named as co-authors, each by ``@handle`` (or a handle alone) or by display
    name (both shown on every post, so asking reveals nothing; e-mail addresses would).
    A line that fits nobody, or a name several members share, is an ``InitiativeError``
    that tells the author to write the handle."""
    found: list[User] = []
    for line in dict.fromkeys(n.strip() for n in names if n.strip()):
        users = (
            _members_by_handle(line)
            or db.session.scalars(
                select(User)
                .where(func.lower(User.display_name) == line.lower(), User.deleted_at.is_(None))
                .limit(2)
            ).all()
        )
        if not users:
            raise InitiativeError("coauthors", _("No member is called %(name)s.", name=line))
        if len(users) > 1:
            raise InitiativeError(
                "coauthors",
                _(
                    "Several members are called %(name)s: write the @handle shown on "
                    "their profile instead.",
                    name=line,
                ),
            )
        if users[0].id != thread.author_id and users[0] not in found:
            found.append(users[0])
    return found


def _members_by_handle(line: str) -> list[User]:
    """The member whose handle (or former handle) ``line`` is, with or without the ``@``."""
    handle = line.removeprefix("@").strip()
    if not handle or " " in handle:
        return []
    user, _former = find_by_handle(handle)
    return [user] if user is not None and user.deleted_at is None else []


def _new_initiative(
    user: User, thread: Thread, level: str, addressee: str, legal_basis: str
) -> Initiative:
    if level not in LEVELS:
        raise InitiativeError("level", _("Choose the level of government from the list."))
    initiative = Initiative(
        thread=thread,
        level=level,
        addressee=addressee.strip(),
        legal_basis=legal_basis.strip(),
        status="draft",
    )
    db.session.add(initiative)
    db.session.add(InitiativeEvent(initiative=initiative, actor=user, to_status="draft"))
    db.session.flush()
    record(user, "initiative_create", thread, after={"level": level, "addressee": addressee})
    return initiative


# The status machine ---------------------------------------------------------------------


def change_status(
    actor: User,
    initiative: Initiative,
    status: str,
    *,
    note: str = "",
    outcome: str = "",
    reference: str = "",
    files: list[CheckedFile] | None = None,
    meta: Metadata | None = None,
) -> InitiativeEvent:
    """Move the initiative one step; a dated post on the thread carries the note and the
    documents (the letter as sent, the institution's answer), and the audit log the change.
    Raises ``InitiativeError`` for a step the machine does not allow."""
    files = files or []
    _check_step(initiative, status, outcome, reference, files)
    before = {"status": initiative.status}
    now = utcnow()
    event = InitiativeEvent(
        initiative=initiative,
        actor=actor,
        from_status=initiative.status,
        to_status=status,
        outcome=outcome or None,
        reference=reference.strip(),
        note=note.strip(),
        created_at=now,
    )
    initiative.status = status
    if status == "submitted":
        initiative.submitted_at, initiative.reference = now, reference.strip()
    elif status == "answered":
        initiative.answered_at = now
    elif status == "closed":
        initiative.closed_at, initiative.outcome = now, outcome
    elif status == "draft":
        initiative.submitted_at = None

    def record_event(post: Post) -> None:
        event.post = post
        db.session.add(event)
        record(
            actor,
            "initiative_status",
            initiative.thread,
            reason=note,
            before=before,
            after={"status": status, "outcome": outcome or None, "reference": reference.strip()},
        )

    # The dated post is a reply, so the thread's watchers (supporters watch it) are told
    # through the forum's own notifications, in the same commit.
    attachments = documents.Attachments(files=tuple(files), meta=meta or Metadata())
    forum.reply(actor, initiative.thread, _event_text(event), attachments, extend=record_event)
    return event


def _check_step(
    initiative: Initiative, status: str, outcome: str, reference: str, files: list
) -> None:
    if status not in TRANSITIONS.get(initiative.status, ()):
        raise InitiativeError(
            "status",
            _(
                "An initiative that is “%(current)s” cannot become “%(status)s”.",
                current=STATUS_LABELS[initiative.status],
                status=STATUS_LABELS.get(status, status),
            ),
        )
    if status == "submitted" and not reference.strip():
        raise InitiativeError(
            "reference", _("Write the reference number the institution gave the letter.")
        )
    if status == "submitted" and not files:
        raise InitiativeError("files", _("Attach the letter as it was sent."))
    if status == "answered" and not files:
        raise InitiativeError("files", _("Attach the institution's answer."))
    if status == "closed" and outcome not in OUTCOMES:
        raise InitiativeError("outcome", _("Choose the outcome."))


def _event_text(event: InitiativeEvent) -> str:
    """The dated post a status change leaves in the conversation (Markdown)."""
    line = _("**Initiative status: %(status)s**", status=STATUS_LABELS[event.to_status])
    if event.reference:
        line += " · " + _("reference %(reference)s", reference=event.reference)
    if event.outcome:
        line += " · " + _("outcome: %(outcome)s", outcome=OUTCOME_LABELS[event.outcome])
    return f"{line}\n\n{event.note}" if event.note else line


# Support --------------------------------------------------------------------------------


def support(user: User, initiative: Initiative, on_behalf: str) -> bool:
    """Sign once (True), or find the signature already there (False): the unique
    constraint decides between two simultaneous clicks, so the count stays exact."""
    if on_behalf not in ON_BEHALF:
        raise InitiativeError("on_behalf", _("Choose whether you sign personally or for your MZ."))
    if on_behalf == "mz" and user.mz is None:
        raise InitiativeError(
            "on_behalf",
            _("Set your MZ in your profile to sign on behalf of its council."),
        )
    if _support_of(user, initiative) is not None:
        return False
    place = user.mz.municipality_id if on_behalf == "mz" else user.municipality_id
    row = Support(
        initiative_id=initiative.id,
        user_id=user.id,
        on_behalf=on_behalf,
        function=user.function or "other",
        mz_id=user.mz_id if on_behalf == "mz" else None,
        municipality_id=place,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # the same member's click arriving twice at once
        db.session.rollback()
        return False
    notifications.watch_own(user, initiative.thread)  # status changes reach supporters
    db.session.commit()
    return True


def unsupport(user: User, initiative: Initiative) -> bool:
    """Withdraw one's signature; False when there was none."""
    row = _support_of(user, initiative)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def _support_of(user: User, initiative: Initiative) -> Support | None:
    return db.session.scalar(
        select(Support).where(Support.initiative_id == initiative.id, Support.user_id == user.id)
    )
