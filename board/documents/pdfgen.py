"""Write small, valid PDFs with BCS text, so tests and benches need no binary fixtures.

It lives in the package (not in tests/) because both the test suite and ``bench/`` use
it, and neither may import the other.

Helvetica (one of the standard 14 fonts, nothing embedded) with WinAnsi encoding plus a
``Differences`` array for č ć đ Č Ć Đ, which WinAnsi lacks; pdfminer maps the glyph
names back to Unicode, just as it does for real files from office suites.
"""

from __future__ import annotations

import os

EXTRA = {"č": "ccaron", "ć": "cacute", "đ": "dcroat", "Č": "Ccaron", "Ć": "Cacute", "Đ": "Dcroat"}
CODES = {ch: 128 + i for i, ch in enumerate(EXTRA)}
DIFFERENCES = "[128 " + " ".join("/" + name for name in EXTRA.values()) + "]"


def _encode(line: str) -> bytes:
    out = bytearray()
    for ch in line:
        if ch in CODES:
            out.append(CODES[ch])
        else:
            byte = ch.encode("cp1252", "replace")
            out += b"\\" + byte if byte in (b"(", b")", b"\\") else byte
    return bytes(out)


def make_pdf(pages: list[list[str]], padding: int = 0) -> bytes:
    """A PDF with one page per list of lines; ``padding`` bytes of unreferenced data
    make it as large as a scanned annex would be without slowing extraction."""
    objects: list[bytes] = []
    count = len(pages)
    page_ids = [4 + 2 * i for i in range(count)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(
        (
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding "
            f"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences {DIFFERENCES} >> >>"
        ).encode()
    )
    for number, lines in enumerate(pages):
        content = (
            b"BT /F1 12 Tf 72 760 Td 16 TL\n"
            + b"".join(b"(" + _encode(line) + b") '\n" for line in lines)
            + b"ET"
        )
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[number] + 1} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    if padding:
        blob = os.urandom(padding)
        objects.append(b"<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
