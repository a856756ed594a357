"""BCS documents made here with python-docx, odfpy and openpyxl, plus legacy-encoded text:
the words a member would search for come out, in both scripts, with every letter."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import Table, TableCell, TableRow
from odf.text import H, P
from openpyxl import Workbook

from tests.documents.conftest import documents

LATIN = (
    "Izvještaj o radu savjeta mjesne zajednice Čapljina: učešće građana, đački dom, žalba, ćuprija"
)
CYRILLIC = "Извјештај о раду савјета мјесне заједнице: учешће грађана, ђачки дом, жалба, ћуприја"


def make_docx() -> bytes:
    doc = DocxDocument()
    doc.sections[0].header.paragraphs[0].text = "Zaglavlje: Općina Čapljina"
    doc.sections[0].footer.paragraphs[0].text = "Podnožje: strana 1"
    doc.add_heading("Statut mjesne zajednice", level=1)
    doc.add_paragraph(LATIN)
    doc.add_paragraph(CYRILLIC)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Budžet"
    table.cell(0, 1).text = "Proračun za 2024."
    table.cell(1, 0).text = "Vijeće"
    table.cell(1, 1).text = "Savjet MZ Đakovo"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_odt() -> bytes:
    doc = OpenDocumentText()
    doc.text.addElement(H(outlinelevel=1, text="Poslovnik o radu"))
    doc.text.addElement(P(text=LATIN))
    doc.text.addElement(P(text=CYRILLIC))
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def make_ods() -> bytes:
    doc = OpenDocumentSpreadsheet()
    for name, rows in (
        ("Prihodi", [("Stavka", "Iznos"), ("Članarina građana", "1200")]),
        ("Расходи", [("Ђачки дом", "300")]),
    ):
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def make_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan rada"
    sheet.append(["Aktivnost", "Rok", "Nosilac"])
    sheet.append(["Zbor građana o učešću", 2024, "Savjet MZ Žepče"])
    second = book.create_sheet("План")
    second.append(["Јавна расправа о буџету", 3])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "expected", "pages"),
    [
        (
            "statut.docx",
            make_docx,
            [LATIN, CYRILLIC, "Zaglavlje: Općina Čapljina", "Podnožje", "Savjet MZ Đakovo"],
            1,
        ),
        ("poslovnik.odt", make_odt, ["Poslovnik o radu", LATIN, CYRILLIC], 1),
        (
            "budzet.ods",
            make_ods,
            ["Prihodi", "Članarina građana 1200", "Расходи", "Ђачки дом 300"],
            2,
        ),
        (
            "plan.xlsx",
            make_xlsx,
            ["Plan rada", "Zbor građana o učešću 2024 Savjet MZ Žepče", "Јавна расправа о буџету"],
            2,
        ),
    ],
)
def test_generated_bcs_document_text_is_extracted(
    name, make, expected, pages, member, login, start_thread
):
    login(member)
    assert start_thread([(name, make())]).status_code == 302
    (document,) = documents()
    assert document.extraction_status == "done", document.extraction_error
    for phrase in expected:
        assert phrase in document.text
    assert document.page_count == pages


@pytest.mark.parametrize("encoding", ["utf-8", "cp1250", "iso8859_2"])
def test_text_files_in_legacy_encodings_keep_bcs_letters(encoding, member, login, start_thread):
    login(member)
    text = "Zapisnik sa sjednice savjeta\nŠkola, žalba, čišćenje, đubre, ŽIVKO ŠARIĆ\n"
    assert start_thread([("zapisnik.txt", text.encode(encoding))]).status_code == 302
    (document,) = documents()
    assert document.text == text.strip()


def test_cyrillic_csv_in_windows_1251_is_read(member, login, start_thread):
    login(member)
    text = "Назив;Износ\nЧланарина грађана;1200\nПројекат расвјете;5000\n"
    assert start_thread([("budzet.csv", text.encode("cp1251"))]).status_code == 302
    (document,) = documents()
    assert document.kind == "csv"
    assert "Чланарина грађана;1200" in document.text


def test_control_characters_and_ligatures_are_normalised(member, login, start_thread):
    login(member)
    raw = "Izvje\x01štaj\x07 o \ufb01nansiranju (cid:42) projekta\u200b".encode()
    assert start_thread([("a.txt", raw)]).status_code == 302
    (document,) = documents()
    assert document.text == "Izvje štaj o finansiranju projekta"
