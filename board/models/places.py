"""The administrative map: entities, cantons, municipalities and their local communities."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.extensions import db
from board.models.base import UTCDateTime, utcnow

MZ_STATUSES = ("confirmed", "proposed")


class Entity(db.Model):
    """Federation of BiH, Republika Srpska or Brčko District."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_cyrillic: Mapped[str] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Entity {self.code!r}>"

    def __str__(self) -> str:
        return self.name


class Canton(db.Model):
    """One of the ten cantons of the Federation."""

    __tablename__ = "cantons"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    name_cyrillic: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))

    entity: Mapped[Entity] = relationship()

    def __repr__(self) -> str:
        return f"<Canton {self.slug!r}>"

    def __str__(self) -> str:
        return self.name


class Municipality(db.Model):
    """A municipality or city: the unit members and threads are tagged with."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_cyrillic: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    canton_id: Mapped[int | None] = mapped_column(ForeignKey("cantons.id"), index=True)
    is_city: Mapped[bool] = mapped_column(Boolean, default=False)

    entity: Mapped[Entity] = relationship(lazy="joined")
    canton: Mapped[Canton | None] = relationship()

    def __repr__(self) -> str:
        return f"<Municipality {self.slug!r}>"

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"/places/{self.slug}"


class LocalCommunity(db.Model):
    """A mjesna zajednica (MZ); one a member proposed stays "proposed" until confirmed."""

    __tablename__ = "local_communities"
    __table_args__ = (UniqueConstraint("municipality_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))  # folded, for duplicate checks
    status: Mapped[str] = mapped_column(String(12), default="confirmed")
    # use_alter: users.mz_id points here, so the two tables reference each other.
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality: Mapped[Municipality] = relationship()

    def __repr__(self) -> str:
        return f"<LocalCommunity {self.id} {self.name!r}>"

    def __str__(self) -> str:
        return self.name

    @property
    def is_proposed(self) -> bool:
        return self.status == "proposed"
