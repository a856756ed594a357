"""Every catalogue is complete, keeps its placeholders, counts in BCS, and sr matches sr_Latn."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, ngettext

from board import catalogues
from board.text.script import has_cyrillic

LOCALES = ("bs", "hr", "sr", "sr_Latn", "en")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[a-z]")


@pytest.mark.parametrize("domain", catalogues.DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale, domain):
    assert catalogues.locales() == sorted(LOCALES)
    assert list(catalogues.untranslated(locale, domain)) == []


@pytest.mark.parametrize("domain", catalogues.DOMAINS)
@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale, domain):
    for message in catalogues.read(locale, domain):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(_PLACEHOLDER.findall(string)) <= wanted | set(_PLACEHOLDER.findall(ids[0]))
            if len(ids) == 1:
                assert set(_PLACEHOLDER.findall(string)) == wanted, (locale, message.id, string)


def test_serbian_cyrillic_is_the_current_derivation_of_serbian_latin():
    """Fails when someone edits sr_Latn (or sr) and forgets ``make translations``."""
    for domain in catalogues.DOMAINS:
        latin = catalogues.read("sr_Latn", domain)
        cyrillic = catalogues.read("sr", domain)
        for message in latin:
            if not message.id:
                continue
            derived = catalogues._cyrillic_string(message)
            assert cyrillic.get(message.id, context=message.context).string == derived


def test_serbian_cyrillic_interface_has_no_stray_latin_words():
    allowed = re.compile(
        r"%\([^)]*\)[a-z]|[\w.]+@[\w.]+|https?://\S*|--association SLUG|savez-opcina|izvjestaj|"
        r"izvještaj|općina|"
        r"\b(?:PDF|DOCX|ODT|XLSX|ODS|TXT|CSV|PNG|JPEG|ZIP|XML|MB|OR|Word|Excel|OpenDocument|"
        r"Microsoft|Office|Markdown|IP|MAC|URL|UUID|doc|xls|DOC|XLS|QR|FreeOTP|Aegis|Google|"
        r"Authenticator)\b"
    )
    for message in catalogues.read("sr"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert not re.search(r"[A-Za-z]", allowed.sub("", string)), string


@pytest.mark.parametrize("locale", ["bs", "hr", "sr_Latn"])
def test_three_plural_forms_of_bcs(app, locale):
    with app.test_request_context(), force_locale(locale):
        counts = {
            n: ngettext("%(num)d result", "%(num)d results", n) for n in (1, 2, 5, 11, 21, 22, 25)
        }
    assert counts == {
        1: "1 rezultat",
        2: "2 rezultata",
        5: "5 rezultata",
        11: "11 rezultata",
        21: "21 rezultat",
        22: "22 rezultata",
        25: "25 rezultata",
    }


def test_serbian_cyrillic_plurals(app):
    with app.test_request_context(), force_locale("sr"):
        forms = [ngettext("%(num)d post", "%(num)d posts", n) for n in (1, 2, 5)]
    assert forms == ["1 објава", "2 објаве", "5 објава"]
    assert all(has_cyrillic(f) for f in forms)
