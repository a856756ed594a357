"""Reading the map's data file (``data/municipalities.csv``) into plain rows."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from board.text.script import cyrillic_to_latin

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"


@dataclass(frozen=True)
class MapRow:
    """One line of the data file (an entity, a canton or a municipality)."""

    kind: str
    slug: str
    name: str
    name_cyrillic: str
    entity: str
    canton: str
    is_city: bool


def slugify(name: str) -> str:
    """The URL form of a Latin name: ASCII, lowercase, words joined by ``-``."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("đ", "dj").replace("Đ", "Dj"))
        .encode("ascii", "ignore")
        .decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def name_key(name: str) -> str:
    """What two spellings of one name have in common: script, case, diacritics, spacing."""
    folded = unicodedata.normalize("NFKD", cyrillic_to_latin(name).replace("đ", "dj"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())[:100]


def read_rows(path: Path = DATA_FILE) -> list[MapRow]:
    """The rows of the data file, comment lines (``#``) skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        MapRow(
            kind=row["kind"],
            slug=row["slug"],
            name=row["name_latin"],
            name_cyrillic=row["name_cyrillic"],
            entity=row["entity"],
            canton=row["canton"],
            is_city=row["is_city"] == "1",
        )
        for row in csv.DictReader(lines)
    ]
