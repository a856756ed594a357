"""Catalogue upkeep: derive Serbian Cyrillic from Serbian Latin, and list what is untranslated.

``sr`` (Cyrillic) is never edited by hand: it is ``sr_Latn`` run through the board's own
transliteration, with placeholders kept and a few reviewed messages in ``REVIEWED`` where
the automatic result would be wrong (examples that must stay Latin). After adding Serbian
Latin translations, run ``make translations`` (or ``python -m board.catalogues derive``).

    python -m board.catalogues derive   # write sr/LC_MESSAGES/*.po from sr_Latn
    python -m board.catalogues check    # list msgids missing from any catalogue; exit 1 if any
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from board.text.script import latin_to_cyrillic

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAINS = ("messages", "wtforms")
SOURCE_LOCALE = "en"  # msgids are English; an empty English msgstr means "as is"
_PLACEHOLDER = re.compile(r"(%\([^)]*\)[a-z]|%[a-z%])")

# Reviewed Cyrillic where the automatic result is wrong: Latin examples must stay Latin.
REVIEWED = {
    "Use lowercase letters, digits and hyphens only, e.g. savez-opcina.": (
        "Користите само мала слова, цифре и цртице, нпр. savez-opcina."
    ),
    "Either word: write OR between them.": "Једна или друга реч: између њих напишите OR.",
    (
        "Search finds posts and the text of attached documents, in Latin or Cyrillic, with or "
        "without diacritics, in ijekavian or ekavian: izvjestaj, izvještaj and извештај find "
        "the same posts. Common Bosnian, Croatian and Serbian variants of words are found too "
        "(općina and opština)."
    ): (
        "Претрага проналази објаве и текст приложених докумената, на латиници или ћирилици, "
        "са дијакритичким знацима или без њих, на ијекавици или екавици: izvjestaj, izvještaj "
        "и извештај проналазе исте објаве. Проналазе се и уобичајене босанске, хрватске и "
        "српске варијанте речи (općina и општина)."
    ),
    (
        "With two-step login, logging in asks for your password and a code from an app on your "
        "phone (for example FreeOTP, Aegis or Google Authenticator). Someone who learns your "
        "password still cannot log in."
    ): (
        "Уз пријаву у два корака, при пријави се тражи лозинка и код из апликације на вашем "
        "телефону (нпр. FreeOTP, Aegis или Google Authenticator). Ко сазна вашу лозинку, и даље "
        "не може да се пријави."
    ),
}


def po_path(locale: str, domain: str = "messages") -> Path:
    """Where the catalogue of ``locale`` for ``domain`` lives."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / f"{domain}.po"


def read(locale: str, domain: str = "messages") -> Catalog:
    """Parse one catalogue."""
    with po_path(locale, domain).open("rb") as handle:
        return read_po(handle, locale=locale, domain=domain)


def to_cyrillic(text: str) -> str:
    """One Serbian Latin msgstr in Cyrillic; ``%(name)s`` placeholders stay as they are."""
    pieces = _PLACEHOLDER.split(text)
    return "".join(p if i % 2 else latin_to_cyrillic(p) for i, p in enumerate(pieces))


def _cyrillic_string(message: Message) -> str | tuple[str, ...]:
    key = message.id if isinstance(message.id, str) else message.id[0]
    if key in REVIEWED:
        return REVIEWED[key]
    if isinstance(message.string, tuple | list):
        return tuple(to_cyrillic(s) for s in message.string)
    return to_cyrillic(message.string)


def derive_serbian_cyrillic() -> list[Path]:
    """Write ``sr`` catalogues from ``sr_Latn``; returns the files written."""
    written = []
    for domain in DOMAINS:
        if not po_path("sr_Latn", domain).exists():
            continue
        latin = read("sr_Latn", domain)
        cyrillic = Catalog(
            locale="sr",
            domain=domain,
            project=latin.project,
            version=latin.version,
            copyright_holder=latin.copyright_holder,
            language_team="sr",
            last_translator="derived from sr_Latn by board/catalogues.py",
            creation_date=latin.creation_date,
            revision_date=latin.revision_date,
            fuzzy=False,
        )
        for message in latin:
            if not message.id:
                continue
            cyrillic.add(
                message.id,
                _cyrillic_string(message) if message.string else message.string,
                locations=message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                context=message.context,
            )
        target = po_path("sr", domain)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, cyrillic, width=90)
        written.append(target)
    return written


def locales() -> list[str]:
    """Every locale with a ``messages`` catalogue."""
    return sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def untranslated(locale: str, domain: str = "messages") -> Iterator[str]:
    """Msgids of the reference catalogue (Bosnian) that ``locale`` lacks or leaves empty/fuzzy."""
    reference = read("bs", domain)
    catalogue = read(locale, domain)
    for message in reference:
        if not message.id:
            continue
        own = catalogue.get(message.id, context=message.context)
        if own is None:
            yield str(message.id)
            continue
        strings = own.string if isinstance(own.string, tuple | list) else (own.string,)
        if locale != SOURCE_LOCALE and ("fuzzy" in own.flags or not all(strings)):
            yield str(message.id)


def main(argv: list[str]) -> int:
    """``derive`` or ``check``, for the Makefile and the lead after a merge."""
    command = argv[0] if argv else "check"
    if command == "derive":
        for path in derive_serbian_cyrillic():
            print(f"wrote {path.relative_to(TRANSLATIONS.parent.parent)}")
        return 0
    missing = 0
    for locale in locales():
        for domain in DOMAINS:
            if not po_path(locale, domain).exists():
                print(f"{locale}: no {domain}.po")
                missing += 1
                continue
            for msgid in untranslated(locale, domain):
                print(f"{locale}/{domain}: {msgid!r}")
                missing += 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
