"""XLSX text with openpyxl in read-only mode: each sheet is a page of its name and its
cells' text, row by row. openpyxl parses with defusedxml when it is installed (it is)."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from board.documents.extract import ExtractionError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ROWS = 200_000


def extract(path: str) -> list[str]:
    """One page per worksheet."""
    with open(path, "rb") as handle:
        if handle.read(8) == OLE_MAGIC:
            raise ExtractionError("encrypted")
    with open(path, "rb") as handle:  # a file object: openpyxl would check a path's extension
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
            raise ExtractionError("damaged", repr(error)) from error
        try:
            return [_sheet(sheet) for sheet in workbook.worksheets]
        finally:
            workbook.close()


def _sheet(sheet) -> str:
    lines = [sheet.title]
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        if number >= MAX_ROWS:
            break
        cells = [str(value) for value in row if value is not None and str(value).strip()]
        if cells:
            lines.append("\t".join(cells))
    return "\n".join(lines)
