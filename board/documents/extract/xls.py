"""XLS (Excel 97–2003, BIFF) text with xlrd: each sheet is a page of its name and its
cells' text, row by row. xlrd 2 reads only .xls, which is all it is used for here."""

from __future__ import annotations

import io
import struct

import xlrd
from xlrd.biffh import XLRDError
from xlrd.compdoc import CompDocError

from board.documents.extract import ExtractionError

MAX_ROWS = 200_000


def extract(path: str) -> list[str]:
    """One page per worksheet."""
    try:
        workbook = xlrd.open_workbook(path, on_demand=True, logfile=io.StringIO())
    except XLRDError as error:
        code = "encrypted" if "encrypted" in str(error).lower() else "damaged"
        raise ExtractionError(code, repr(error)) from error
    except (CompDocError, AssertionError, IndexError, KeyError, ValueError, struct.error) as error:
        raise ExtractionError("damaged", repr(error)) from error
    try:
        return [_sheet(workbook.sheet_by_index(i)) for i in range(workbook.nsheets)]
    finally:
        workbook.release_resources()


def _sheet(sheet) -> str:
    lines = [sheet.name]
    for number in range(min(sheet.nrows, MAX_ROWS)):
        cells = [_text(value) for value in sheet.row_values(number)]
        cells = [c for c in cells if c.strip()]
        if cells:
            lines.append("\t".join(cells))
    return "\n".join(lines)


def _text(value: object) -> str:
    """Numbers without a trailing ``.0`` when they are whole (1200.0 reads as 1200)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
