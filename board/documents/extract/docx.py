"""DOCX text with python-docx: body paragraphs, tables, text boxes, headers and footers.

python-docx's ``paragraphs`` skip text boxes and nested tables, so the body XML is walked
for every ``w:p`` in document order instead. Text boxes appear twice in modern files (the
DrawingML choice and its VML fallback); the fallback copy is skipped. python-docx parses
with ``resolve_entities=False``, so entities in a hostile file are never expanded.
"""

from __future__ import annotations

import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from board.documents.extract import ExtractionError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def extract(path: str) -> list[str]:
    """A DOCX has no fixed pages: its whole text is page 1."""
    with open(path, "rb") as handle:
        if handle.read(8) == OLE_MAGIC:
            raise ExtractionError("encrypted")
    try:
        document = Document(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractionError("damaged", repr(error)) from error
    parts = []
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            if not part.is_linked_to_previous:
                _add_once(parts, seen, _element_text(part._element))
    parts.append(_element_text(document.element.body))
    for section in document.sections:
        for part in (section.footer, section.first_page_footer, section.even_page_footer):
            if not part.is_linked_to_previous:
                _add_once(parts, seen, _element_text(part._element))
    return ["\n".join(p for p in parts if p)]


def _add_once(parts: list[str], seen: set[str], text: str) -> None:
    if text and text not in seen:
        seen.add(text)
        parts.append(text)


_BREAKS = {qn("w:tab"): "\t", qn("w:br"): "\n"}


def _owner(node):
    """The nearest enclosing paragraph."""
    parent = node.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        parent = parent.getparent()
    return parent


def _element_text(element) -> str:
    """Every paragraph under ``element``, one per line, tabs and breaks kept."""
    lines = []
    for paragraph in element.iter(qn("w:p")):
        if any(ancestor.tag == FALLBACK for ancestor in paragraph.iterancestors()):
            continue
        pieces = []
        for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            if _owner(node) is not paragraph:
                continue  # text of a nested paragraph (a text box) is its own line
            pieces.append(node.text or "" if node.tag == qn("w:t") else _BREAKS[node.tag])
        lines.append("".join(pieces))
    return "\n".join(lines)
