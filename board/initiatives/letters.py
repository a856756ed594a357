"""The submission as an ODT letter (odfpy, already used to read ODT) and the supporters
as CSV, both safe for whatever names members chose."""

from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext as _
from odf import table, text
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties

from board.initiatives.labels import LEVEL_LABELS, ON_BEHALF_LABELS
from board.models import Post
from board.models.initiatives import Initiative, Support

# Characters XML 1.0 does not allow (odfpy would write them and break the file), and the
# C1 controls it turns into U+FFFD: none of them is a letter of anybody's name.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def xml_safe(value: str | None) -> str:
    """Text without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", value or "")


def csv_safe(value: str | None) -> str:
    """A cell no spreadsheet will run: ``=cmd|…``, ``+``, ``-``, ``@``, tab and CR starts get
    a leading apostrophe (the OWASP advice), also after leading spaces."""
    value = value or ""
    if value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def _supporter_row(support: Support, function_label) -> list[str]:
    return [
        support.user.display_name,
        function_label(support.function),
        str(ON_BEHALF_LABELS[support.on_behalf]),
        support.mz.name if support.mz else "",
        support.municipality.name if support.municipality else "",
    ]


def _headers() -> list[str]:
    return [_("Name"), _("Function"), _("Signed"), _("MZ"), _("Municipality")]


def supporters_csv(supporters: list[Support], function_label) -> str:
    """The supporters' list as CSV (UTF-8 with BOM, so spreadsheets read the diacritics)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(_headers())
    for support in supporters:
        writer.writerow([csv_safe(cell) for cell in _supporter_row(support, function_label)])
    return out.getvalue()


def _styles(doc: OpenDocumentText) -> dict[str, Style]:
    heading = Style(name="Heading", family="paragraph")
    heading.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    heading.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
    label = Style(name="Label", family="paragraph")
    label.addElement(TextProperties(fontweight="bold"))
    label.addElement(ParagraphProperties(margintop="0.3cm"))
    column = Style(name="Column", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="3.4cm"))
    for item in (heading, label, column):
        doc.automaticstyles.addElement(item)
    return {"heading": heading, "label": label, "column": column}


def _paragraphs(doc: OpenDocumentText, value: str, style: Style | None = None) -> None:
    for line in xml_safe(value).splitlines() or [""]:
        kwargs = {"stylename": style} if style is not None else {}
        doc.text.addElement(text.P(text=line, **kwargs))


def letter_odt(
    initiative: Initiative, first: Post, supporters: list[Support], function_label
) -> bytes:
    """The letter to the institution: addressee, title, the problem and proposal (the
    opening post), the legal basis, and who supports it."""
    doc = OpenDocumentText()
    styles = _styles(doc)
    thread = initiative.thread
    _paragraphs(doc, _("To: %(addressee)s", addressee=initiative.addressee), styles["label"])
    _paragraphs(doc, str(LEVEL_LABELS[initiative.level]))
    _paragraphs(doc, _("Initiative: %(title)s", title=thread.title), styles["heading"])
    _paragraphs(doc, _("Problem and proposed change"), styles["label"])
    _paragraphs(doc, first.body_md)
    if initiative.legal_basis:
        _paragraphs(doc, _("Legal basis"), styles["label"])
        _paragraphs(doc, initiative.legal_basis)
    _paragraphs(doc, _("Supported by"), styles["label"])
    grid = table.Table(name="Supporters")
    grid.addElement(table.TableColumn(numbercolumnsrepeated=5, stylename=styles["column"]))
    for cells in [_headers()] + [_supporter_row(s, function_label) for s in supporters]:
        row = table.TableRow()
        for value in cells:
            cell = table.TableCell(valuetype="string")
            cell.addElement(text.P(text=xml_safe(value)))
            row.addElement(cell)
        grid.addElement(row)
    doc.text.addElement(grid)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
