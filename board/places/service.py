"""Places use cases: loading the map, local communities (MZ), and the pages' queries."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from board.extensions import db
from board.models import Canton, Entity, LocalCommunity, Municipality, Thread, User
from board.places.data import MapRow, name_key, read_rows

MZ_NAME_MAX = 100


class MzError(ValueError):
    """An MZ name that cannot be added (blank, too long, already there)."""


# Loading the map ------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What ``places load`` changed."""

    created: int = 0
    updated: int = 0
    matched: int = 0


def load_map(rows: list[MapRow] | None = None) -> LoadReport:
    """Create or update every unit from the data file (safe to run again), then match
    the free-text places members typed before to the map."""
    rows = read_rows() if rows is None else rows
    report = LoadReport()
    entities = {e.code: e for e in db.session.scalars(select(Entity))}
    cantons = {c.slug: c for c in db.session.scalars(select(Canton))}
    municipalities = {m.slug: m for m in db.session.scalars(select(Municipality))}
    for row in rows:
        if row.kind == "entity":
            _upsert(report, entities, row.slug, Entity, code=row.slug)
            _set(report, entities[row.slug], name=row.name, name_cyrillic=row.name_cyrillic)
        elif row.kind == "canton":
            _upsert(report, cantons, row.slug, Canton, slug=row.slug)
            _set(
                report,
                cantons[row.slug],
                number=int(row.canton),
                name=row.name,
                name_cyrillic=row.name_cyrillic,
                entity=entities[row.entity],
            )
        else:
            _upsert(report, municipalities, row.slug, Municipality, slug=row.slug)
            _set(
                report,
                municipalities[row.slug],
                name=row.name,
                name_cyrillic=row.name_cyrillic,
                entity=entities[row.entity],
                canton=cantons[row.canton] if row.canton else None,
                is_city=row.is_city,
            )
    db.session.flush()
    report.matched = match_profiles()
    db.session.commit()
    return report


def _upsert(report: LoadReport, known: dict, key: str, model: type, **ident: str) -> None:
    if key not in known:
        known[key] = model(**ident)
        db.session.add(known[key])
        report.created += 1


def _set(report: LoadReport, obj: object, **values: object) -> None:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) is not value and getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed and obj.id is not None:
        report.updated += 1


def match_profiles() -> int:
    """Move free-text municipality/MZ values that name a unit of the map onto it.

    A name two units share (Kupres, Trnovo) stays text for its member to choose.
    Returns how many members got a municipality.
    """
    by_key: dict[str, Municipality | None] = {}
    for municipality in db.session.scalars(select(Municipality)):
        for key in {name_key(municipality.name), name_key(municipality.name_cyrillic)}:
            by_key[key] = (
                None if key in by_key and by_key[key] is not municipality else municipality
            )
    matched = 0
    pending = db.session.scalars(
        select(User).where(
            (User.municipality_text != "") | ((User.mz_text != "") & User.mz_id.is_(None))
        )
    )
    for user in pending:
        if user.municipality_id is None:
            found = by_key.get(name_key(user.municipality_text))
            if found is None:
                continue
            user.municipality, user.municipality_text = found, ""
            matched += 1
        if user.mz_text and user.mz_id is None:
            mz = find_mz(user.municipality, user.mz_text)
            if mz is not None:
                user.mz, user.mz_text = mz, ""
    return matched


def match_place_text(municipality_text: str, mz_text: str) -> dict:
    """Profile columns for free text typed at registration: matched where possible."""
    key = name_key(municipality_text)
    found = [
        m
        for m in db.session.scalars(select(Municipality))
        if key and key in {name_key(m.name), name_key(m.name_cyrillic)}
    ]
    if len(found) != 1:
        return {"municipality_text": municipality_text, "mz_text": mz_text}
    mz = find_mz(found[0], mz_text)
    return {
        "municipality": found[0],
        "mz": mz,
        "mz_text": "" if mz is not None else mz_text,
    }


# Local communities ----------------------------------------------------------------------


def find_mz(municipality: Municipality | None, name: str) -> LocalCommunity | None:
    """The MZ of that name (any spelling or script) in the municipality."""
    if municipality is None or not name.strip():
        return None
    return db.session.scalar(
        select(LocalCommunity).where(
            LocalCommunity.municipality_id == municipality.id,
            LocalCommunity.name_key == name_key(name),
        )
    )


def mz_elsewhere(municipality: Municipality, name: str) -> Municipality | None:
    """Another municipality with a confirmed MZ of this name (to catch a wrong choice)."""
    return db.session.scalar(
        select(Municipality)
        .join(LocalCommunity, LocalCommunity.municipality_id == Municipality.id)
        .where(
            LocalCommunity.name_key == name_key(name),
            LocalCommunity.status == "confirmed",
            Municipality.id != municipality.id,
        )
        .limit(1)
    )


def clean_mz_name(name: str) -> str:
    """One line, single spaces; raises ``MzError`` for what cannot be a name."""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    if not cleaned or not name_key(cleaned):
        raise MzError("blank")
    if len(cleaned) > MZ_NAME_MAX:
        raise MzError("too_long")
    return cleaned


def new_mz(
    municipality: Municipality, name: str, *, proposed_by: User | None = None
) -> LocalCommunity:
    """Add (flush, not commit) an MZ; a member's proposal waits for confirmation."""
    cleaned = clean_mz_name(name)
    if find_mz(municipality, cleaned) is not None:
        raise MzError("exists")
    mz = LocalCommunity(
        municipality=municipality,
        name=cleaned,
        name_key=name_key(cleaned),
        status="proposed" if proposed_by is not None else "confirmed",
        proposed_by_id=proposed_by.id if proposed_by is not None else None,
    )
    db.session.add(mz)
    db.session.flush()
    return mz


def add_mz(municipality: Municipality, name: str) -> LocalCommunity:
    """Add a confirmed MZ (admins, moderators, the CLI)."""
    mz = new_mz(municipality, name)
    db.session.commit()
    return mz


def confirm_mz(mz: LocalCommunity) -> None:
    """A moderator or admin confirms a member's proposal."""
    mz.status = "confirmed"
    db.session.commit()


@dataclass(frozen=True)
class ImportLine:
    """One line's outcome in ``places import-mz``."""

    line: int
    outcome: str  # "added" | "skipped" | "refused"
    message: str


def import_mz(text: str) -> list[ImportLine]:
    """Add MZs from CSV lines ``municipality_slug,name`` (a header line is allowed);
    what exists is skipped, what is wrong is refused, each with its reason."""
    municipalities = {m.slug: m for m in db.session.scalars(select(Municipality))}
    report: list[ImportLine] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and [c.strip().lower() for c in row[:2]] == ["municipality", "name"]:
            continue
        report.append(_import_row(number, row, municipalities))
    db.session.commit()
    return report


def _import_row(number: int, row: list[str], municipalities: dict) -> ImportLine:
    if len(row) != 2:
        return ImportLine(number, "refused", "expected two columns: municipality_slug,name")
    slug, name = row[0].strip(), row[1]
    municipality = municipalities.get(slug)
    if municipality is None:
        return ImportLine(number, "refused", f"no municipality {slug!r}")
    try:
        mz = new_mz(municipality, name)
    except MzError as error:
        if str(error) == "exists":
            return ImportLine(number, "skipped", f"{name.strip()} exists in {municipality.name}")
        return ImportLine(number, "refused", f"name is {str(error).replace('_', ' ')}")
    return ImportLine(number, "added", f"{mz.name} in {municipality.name}")


# Queries --------------------------------------------------------------------------------


def municipality_by_slug(slug: str) -> Municipality | None:
    """The municipality with this URL slug."""
    return db.session.scalar(select(Municipality).where(Municipality.slug == slug))


def all_municipalities() -> list[Municipality]:
    """Every municipality, by name, for the choice lists."""
    return list(db.session.scalars(select(Municipality).order_by(Municipality.name)))


def municipality_choices() -> list[tuple[str, str]]:
    """(slug, label) pairs for a municipality ``<select>``, with "none" first."""
    from flask_babel import gettext as _

    from board.i18n import in_reader_script

    choices = [("", _("— not set —"))]
    return choices + [
        (m.slug, in_reader_script(f"{m.name} ({m.entity.code.upper()})"))
        for m in all_municipalities()
    ]


def entities() -> list[Entity]:
    """The three entities, in the data file's order."""
    return list(db.session.scalars(select(Entity).order_by(Entity.id)))


def local_communities(municipality: Municipality) -> list[LocalCommunity]:
    """A municipality's MZs by name, proposed ones included (the page marks them)."""
    return list(
        db.session.scalars(
            select(LocalCommunity)
            .where(LocalCommunity.municipality_id == municipality.id)
            .order_by(LocalCommunity.name_key)
        )
    )


def thread_counts(category_ids: list[int]) -> dict[int, int]:
    """Visible threads per municipality, in one grouped query."""
    rows = db.session.execute(
        select(Thread.municipality_id, func.count(Thread.id))
        .where(
            Thread.municipality_id.is_not(None),
            Thread.category_id.in_(category_ids),
            Thread.hidden_at.is_(None),
            Thread.approved,
        )
        .group_by(Thread.municipality_id)
    )
    return dict(rows.all())


def member_counts() -> dict[int, int]:
    """Confirmed members per municipality, in one grouped query."""
    rows = db.session.execute(
        select(User.municipality_id, func.count(User.id))
        .where(User.municipality_id.is_not(None), User.confirmed_at.is_not(None))
        .group_by(User.municipality_id)
    )
    return dict(rows.all())


# A member's home -------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    """A member's municipality and MZ as chosen on the profile form, checked against the
    map; ``new_mz`` is a name to propose because the municipality has no such MZ."""

    municipality: Municipality | None = None
    mz: LocalCommunity | None = None
    new_mz: str = ""


class HomeError(ValueError):
    """The chosen municipality or MZ does not fit the map."""

    def __init__(self, field_name: str, code: str, **detail: str):
        super().__init__(code)
        self.field = field_name
        self.code = code
        self.detail = detail


def resolve_home(municipality_slug: str, mz_name: str, *, propose: bool) -> Home:
    """Read-only: what the form's municipality slug and MZ name stand for."""
    municipality = None
    if municipality_slug:
        municipality = municipality_by_slug(municipality_slug)
        if municipality is None:
            raise HomeError("municipality", "unknown_municipality")
    if not mz_name.strip():
        return Home(municipality)
    if municipality is None:
        raise HomeError("mz", "mz_without_municipality")
    try:
        cleaned = clean_mz_name(mz_name)
    except MzError as error:
        raise HomeError("mz", "mz_" + str(error)) from None
    mz = find_mz(municipality, cleaned)
    if mz is not None:
        return Home(municipality, mz)
    elsewhere = mz_elsewhere(municipality, cleaned)
    if elsewhere is not None and not propose:
        raise HomeError(
            "mz", "mz_elsewhere", name=cleaned, here=municipality.name, there=elsewhere.name
        )
    return Home(municipality, new_mz=cleaned)


def set_home(user: User, home: Home) -> None:
    """Put the member in their municipality and MZ (proposing a missing MZ); flushes.

    A proposal the member abandons, that nobody else chose, is withdrawn with it.
    """
    previous = user.mz
    mz = home.mz
    if home.new_mz:
        mz = new_mz(home.municipality, home.new_mz, proposed_by=user)
    user.municipality, user.mz = home.municipality, mz
    if home.municipality is not None:  # a place chosen from the map replaces old text
        user.municipality_text = user.mz_text = ""
    db.session.flush()
    if previous is not None and previous is not mz and previous.is_proposed:
        others = db.session.scalar(select(func.count(User.id)).where(User.mz_id == previous.id))
        if previous.proposed_by_id == user.id and not others:
            db.session.delete(previous)


# Pages ------------------------------------------------------------------------------------


@dataclass
class MapView:
    """``/places``: entities with their cantons and municipalities, and the counts."""

    entities: list[Entity]
    cantons: dict[int, list[Canton]]  # by entity id
    municipalities: dict[tuple[int, int | None], list[Municipality]]  # (entity, canton)
    members: dict[int, int]
    threads: dict[int, int]


def map_view(category_ids: list[int]) -> MapView:
    """Everything ``/places`` shows, in five queries whatever the map's size."""
    view = MapView(entities(), {}, {}, member_counts(), thread_counts(category_ids))
    for canton in db.session.scalars(select(Canton).order_by(Canton.number)):
        view.cantons.setdefault(canton.entity_id, []).append(canton)
    for municipality in all_municipalities():
        key = (municipality.entity_id, municipality.canton_id)
        view.municipalities.setdefault(key, []).append(municipality)
    return view


def municipality_threads(municipality: Municipality, category_ids: list[int], limit: int = 30):
    """The newest visible threads tagged with the municipality."""
    return list(
        db.session.scalars(
            select(Thread)
            .where(
                Thread.municipality_id == municipality.id,
                Thread.category_id.in_(category_ids),
                Thread.hidden_at.is_(None),
                Thread.approved,
            )
            .order_by(Thread.last_post_at.desc())
            .limit(limit)
        )
    )
