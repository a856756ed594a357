"""ODT and ODS text: ``content.xml`` (and the master pages in ``styles.xml``) parsed
with defusedxml, so DTDs with entities and external references are refused rather than
resolved, and nothing is ever fetched from the network. Each ODS sheet is a page.
"""

from __future__ import annotations

import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from board.documents.extract import ExtractionError

MAX_PART = 200 * 1024 * 1024
NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def _tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


PARAGRAPHS = {_tag("text", "p"), _tag("text", "h")}
SKIPPED = {_tag("office", "annotation"), _tag("text", "tracked-changes")}
MAX_REPEAT = 100


def extract(path: str) -> list[str]:
    """Text documents give one page; spreadsheets one page per sheet."""
    try:
        with zipfile.ZipFile(path) as archive:
            if _encrypted(archive):
                raise ExtractionError("encrypted")
            content = _parse(archive, "content.xml")
            styles = _parse(archive, "styles.xml", required=False)
    except zipfile.BadZipFile as error:
        raise ExtractionError("damaged", repr(error)) from error
    body = content.find(f"{_tag('office', 'body')}")
    if body is None:
        raise ExtractionError("damaged", "no office:body")
    sheets = body.find(_tag("office", "spreadsheet"))
    if sheets is not None:
        return [
            f"{table.get(_tag('table', 'name'), '')}\n{_text(table)}"
            for table in sheets.iter(_tag("table", "table"))
        ]
    master = [] if styles is None else list(styles.iter(_tag("style", "master-page")))
    return ["\n".join([*(_text(m) for m in master), _text(body)])]


def _encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


def _parse(archive: zipfile.ZipFile, name: str, *, required: bool = True):
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        if required:
            raise ExtractionError("damaged", f"no {name}") from error
        return None
    if info.file_size > MAX_PART:
        raise ExtractionError("too_large", f"{name} is {info.file_size} bytes")
    try:
        return fromstring(archive.read(info), forbid_dtd=False)
    except DefusedXmlException as error:
        raise ExtractionError("unsafe", repr(error)) from error
    except (ParseError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise ExtractionError("damaged", repr(error)) from error


def _text(element) -> str:
    """Paragraphs become lines, table cells are separated by tabs."""
    out: list[str] = []
    _walk(element, out)
    return "".join(out)


def _walk(element, out: list[str]) -> None:
    tag = element.tag
    if tag in SKIPPED:
        return
    if tag == _tag("text", "s"):
        out.append(" " * min(int(element.get(_tag("text", "c"), "1") or 1), 100))
    elif tag == _tag("text", "tab"):
        out.append("\t")
    elif tag == _tag("text", "line-break"):
        out.append("\n")
    if element.text and tag != _tag("table", "table"):
        out.append(element.text)
    if tag == _tag("table", "table-cell"):
        _cell(element, out)
    else:
        for child in element:
            _walk(child, out)
            if child.tail:
                out.append(child.tail)
    if tag in PARAGRAPHS or tag == _tag("table", "table-row"):
        out.append("\n")


def _cell(cell, out: list[str]) -> None:
    inner: list[str] = []
    for child in cell:
        _walk(child, inner)
    text = "".join(inner).strip().replace("\n", " ")
    if text:
        repeat = int(cell.get(_tag("table", "number-columns-repeated"), "1") or 1)
        out.append("\t".join([text] * min(repeat, MAX_REPEAT)) + "\t")
