"""Initiative use cases: each takes plain arguments, commits once at its end, and returns
the result. The thread itself comes from the forum's own ``start_thread``/``reply``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from board.documents import service as documents
from board.documents.service import CheckedFile, Metadata
from board.extensions import db
from board.forum import service as forum
from board.initiatives.labels import OUTCOME_LABELS, STATUS_LABELS
from board.models import Category, Municipality, Post, Thread, User
from board.models.base import utcnow
from board.models.initiatives import (
    LEVELS,
    ON_BEHALF,
    OUTCOMES,
    TRANSITIONS,
    Initiative,
    InitiativeEvent,
    Practice,
    Support,
)
from board.moderation.audit import record
from board.permissions import visible_category_ids


class InitiativeError(ValueError):
    """A step the initiative cannot take; ``field`` names the form field to blame."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Counts:
    """How many members, MZs (signing as councils) and municipalities support it."""

    members: int = 0
    mzs: int = 0
    municipalities: int = 0


@dataclass
class ThreadBlock:
    """What the thread page shows above the conversation: the initiative (with its
    supporters, counts and history) and the good-practice summary, either may be None."""

    initiative: Initiative | None = None
    practice: Practice | None = None
    counts: Counts = field(default_factory=Counts)
    supporters: list[Support] = field(default_factory=list)
    events: list[InitiativeEvent] = field(default_factory=list)
    own_support: Support | None = None


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
    post = forum.start_thread(user, category, title, body, municipality=municipality)
    _new_initiative(user, post.thread, level, addressee, legal_basis)
    forum.commit()
    return post


def make_initiative(
    user: User, thread: Thread, *, level: str, addressee: str, legal_basis: str = ""
) -> Initiative:
    """Turn an existing thread into a draft initiative, or change a draft's structured
    part; every change is in the audit log."""
    initiative = initiative_for(thread)
    if initiative is None:
        initiative = _new_initiative(user, thread, level, addressee, legal_basis)
    else:
        before = {
            "level": initiative.level,
            "addressee": initiative.addressee,
            "legal_basis": initiative.legal_basis,
        }
        initiative.level, initiative.addressee = level, addressee.strip()
        initiative.legal_basis = legal_basis.strip()
        after = {
            "level": initiative.level,
            "addressee": initiative.addressee,
            "legal_basis": initiative.legal_basis,
        }
        if before != after:
            record(user, "initiative_edit", thread, before=before, after=after)
    forum.commit()
    return initiative


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
    post = forum.reply(actor, initiative.thread, _event_text(event))
    documents.attach_documents(actor, post, files, meta or Metadata())
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
    forum.commit()
    _notify_status_change(initiative, actor)
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


def _notify_status_change(initiative: Initiative, actor: User) -> None:
    """Hook: tell supporters and watchers that the initiative moved.

    Does nothing yet: the notifications machinery (issue 6, ``board/notifications``) is
    not on this branch. Called after the commit, so it may send mail.
    """


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


def _count_columns():
    return (
        func.count(Support.id).label("members"),
        func.count(func.distinct(case((Support.on_behalf == "mz", Support.mz_id)))).label("mzs"),
        func.count(func.distinct(Support.municipality_id)).label("municipalities"),
    )


def counts_for(initiative_ids: list[int]) -> dict[int, Counts]:
    """Support counts of many initiatives in one query."""
    if not initiative_ids:
        return {}
    rows = db.session.execute(
        select(Support.initiative_id, *_count_columns())
        .where(Support.initiative_id.in_(initiative_ids))
        .group_by(Support.initiative_id)
    )
    return {row.initiative_id: Counts(row.members, row.mzs, row.municipalities) for row in rows}


def supporters(initiative: Initiative) -> list[Support]:
    """Everyone who signed, councils first, then in signing order."""
    return list(
        db.session.scalars(
            select(Support)
            .where(Support.initiative_id == initiative.id)
            .options(
                selectinload(Support.user),
                selectinload(Support.mz),
                selectinload(Support.municipality),
            )
            .order_by((Support.on_behalf == "mz").desc(), Support.id)
        )
    )


# Reading --------------------------------------------------------------------------------


def initiative_for(thread: Thread) -> Initiative | None:
    """The thread's initiative, if it is one."""
    return db.session.scalar(select(Initiative).where(Initiative.thread_id == thread.id))


def thread_block(user: User | None, thread: Thread) -> ThreadBlock:
    """Everything the thread page's initiative and practice block needs, in a fixed
    number of queries (two for an ordinary thread)."""
    block = ThreadBlock(
        initiative=initiative_for(thread),
        practice=db.session.scalar(select(Practice).where(Practice.thread_id == thread.id)),
    )
    initiative = block.initiative
    if initiative is None:
        return block
    block.supporters = supporters(initiative)
    block.counts = counts_for([initiative.id]).get(initiative.id, Counts())
    block.events = list(
        db.session.scalars(
            select(InitiativeEvent)
            .where(InitiativeEvent.initiative_id == initiative.id)
            .options(selectinload(InitiativeEvent.actor))
            .order_by(InitiativeEvent.id)
        )
    )
    if user is not None and user.is_authenticated:
        block.own_support = next((s for s in block.supporters if s.user_id == user.id), None)
    return block


@dataclass(frozen=True)
class InitiativeFilter:
    """The listing's filters, already validated."""

    status: str = ""
    level: str = ""
    place_id: int | None = None
    sort: str = "new"


def listing(user: User | None, filters: InitiativeFilter) -> Select:
    """Initiatives in threads ``user`` may read (public, approved ones); the page's counts
    come from ``counts_for`` (one more query)."""
    counts = (
        select(Support.initiative_id.label("iid"), func.count(Support.id).label("members"))
        .group_by(Support.initiative_id)
        .subquery()
    )
    query = (
        select(Initiative)
        .join(Initiative.thread)
        .outerjoin(counts, counts.c.iid == Initiative.id)
        .where(
            Thread.category_id.in_(visible_category_ids(user)),
            Thread.approved,
            Thread.hidden_at.is_(None),
        )
        .options(selectinload(Initiative.thread).selectinload(Thread.municipality))
    )
    if filters.status:
        query = query.where(Initiative.status == filters.status)
    if filters.level:
        query = query.where(Initiative.level == filters.level)
    if filters.place_id is not None:
        query = query.where(Thread.municipality_id == filters.place_id)
    if filters.sort == "support":
        members = func.coalesce(counts.c.members, 0)
        return query.order_by(members.desc(), Initiative.id.desc())
    return query.order_by(Initiative.created_at.desc(), Initiative.id.desc())


def days_since(moment: datetime | None) -> int | None:
    """Whole days from ``moment`` to now ("submitted 94 days ago")."""
    if moment is None:
        return None
    return (utcnow() - moment).days


def kinds_of(thread_ids_: list[int]) -> dict[int, list[str]]:
    """For search results: each thread's initiative status and good-practice mark, as
    labels, in two queries however many results."""
    from board.initiatives.labels import STATUS_LABELS

    if not thread_ids_:
        return {}
    found: dict[int, list[str]] = {}
    for thread_id, status in db.session.execute(
        select(Initiative.thread_id, Initiative.status).where(Initiative.thread_id.in_(thread_ids_))
    ):
        found.setdefault(thread_id, []).append(
            _("Initiative: %(status)s", status=STATUS_LABELS[status])
        )
    for thread_id in db.session.scalars(
        select(Practice.thread_id).where(Practice.thread_id.in_(thread_ids_))
    ):
        found.setdefault(thread_id, []).append(_("Good practice"))
    return found


def thread_ids(kind: str) -> frozenset[int]:
    """The threads that are initiatives (``initiative``) or good practice (``practice``):
    what search's ``type=`` filter narrows to."""
    model = Initiative if kind == "initiative" else Practice
    return frozenset(db.session.scalars(select(model.thread_id)))
