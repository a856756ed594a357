"""Hostile input the suite builds itself, so a clone without ../shared still tests Fred.

Strings: XSS in HTML, Markdown, attributes and URLs, polyglots, SQL and template
injection, odd Unicode (bidi overrides, zero-width and combining characters, both BCS
scripts, astral emoji, NUL and other controls). Files: corrupt and truncated PDFs, a
PDF/HTML polyglot, HTML named as a PDF, a DOCX with an XXE entity, a zip bomb named as a
DOCX, a tiny PNG, a valid DOCX. The shared corpus (``tests/security/corpus.py``) adds
thousands more when it is present; these are the ones every run sees.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from board.documents.pdfgen import make_pdf

XSS = (
    "<script>alert(1)</script>",
    "<ScRiPt>alert(document.cookie)</sCrIpT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">ent</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==></object>",
    "<details open ontoggle=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=//evil.example/>",
    "<form action=//evil.example><button>x</button></form>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<img src=--><img src=x onerror=alert(1)//-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
)

MARKDOWN_XSS = (
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    "[klik](  javascript:alert(1)  )",
    "[klik](javascript&#58;alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://example.ba "title" onmouseover="alert(1)")',
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)\n\n[link][a]",
    "```\n</code><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "> <img src=x onerror=alert(1)>",
    "* <svg onload=alert(1)>",
    "**<img src=x onerror=alert(1)>**",
    "[<img src=x onerror=alert(1)>](https://example.ba)",
)

POLYGLOTS = (
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//"
    "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    "'\"--></style></script><script>alert(1)</script>",
    '"><svg/onload=alert(1)>"@x.y',
    "{{7*7}}${7*7}<%= 7*7 %>#{7*7}",
    "{{constructor.constructor('alert(1)')()}}",
)

INJECTION = (
    "' OR '1'='1",
    "'; DROP TABLE posts; --",
    "1) UNION SELECT password_hash FROM users --",
    "%s%s%s%n",
    "{0.__class__.__mro__}",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    'NOT AND OR ( ) " * ~ ^ : -',
    '"unterminated quote',
    "title:(x OR",
    "a" * 3000,
    "4" * 64,  # digits only: names with no letter still need a short valid handle
)

ODD_UNICODE = (
    "\u202eevil\u202c txt.exe",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width characters only
    "Z\u0351\u0364\u036c\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307a\u0308lgo",
    "Izvještaj Čapljina đak žalba ćuprija",
    "Извјештај о раду савјета мјесне заједнице",
    "اللغة العربية",
    "日本語のテキスト",
    "👩‍👩‍👧‍👦🇧🇦 \U0001f4a9",
    "null\x00byte",
    "ctrl\x01\x02\x07\x1b[31mred",
    "line\r\nbreak\u2028sep\u2029para",
    "\ufdd0\ufffe noncharacters",
    "ﬁ ligature Ａ fullwidth ① ² ₀",
    "\u0130stanbul \u0131",
)

STRINGS = XSS + MARKDOWN_XSS + POLYGLOTS + INJECTION + ODD_UNICODE
"""Every hostile string, in a stable order."""


# Files ------------------------------------------------------------------------------------


def pdf() -> bytes:
    """A small valid PDF with BCS text."""
    return make_pdf([["Statut mjesne zajednice Čapljina", "Član 1."]])


def truncated_pdf() -> bytes:
    """A PDF cut off in the middle: no xref, no trailer."""
    data = make_pdf([["Zapisnik sa sjednice savjeta"] * 20])
    return data[: len(data) // 2]


def garbage_pdf() -> bytes:
    """A PDF header followed by random-looking bytes."""
    return b"%PDF-1.7\n" + bytes((i * 7919) % 256 for i in range(4096))


def pdf_html_polyglot() -> bytes:
    """A PDF whose bytes also carry an HTML page with a script."""
    return make_pdf([["Polyglot"]]) + b"<html><script>alert(document.domain)</script></html>"


def html_page() -> bytes:
    """An HTML page with a script, to be uploaded under a document's name."""
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def svg_with_script() -> bytes:
    """An SVG image with a script inside."""
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx(text: str = "Zapisnik sa sjednice savjeta MZ Čapljina") -> bytes:
    """A valid DOCX (python-docx) with one paragraph."""
    from docx import Document as DocxDocument

    document = DocxDocument()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xxe_docx() -> bytes:
    """A DOCX whose document.xml declares an external entity reading /etc/passwd."""
    body = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": body})


def zip_bomb_docx(megabytes: int = 300) -> bytes:
    """A DOCX-shaped zip whose document.xml inflates to ``megabytes`` MB of zeros
    (about 0.1% of that on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def corrupt_docx() -> bytes:
    """A zip header followed by junk: neither a zip nor anything else."""
    return b"PK\x03\x04" + b"\xff" * 2048


def png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


HOSTILE_FILES = {
    "truncated.pdf": truncated_pdf,
    "garbage.pdf": garbage_pdf,
    "polyglot.pdf": pdf_html_polyglot,
    "page.pdf": html_page,
    "page.html": html_page,
    "image.svg": svg_with_script,
    "xxe.docx": xxe_docx,
    "bomb.docx": zip_bomb_docx,
    "corrupt.docx": corrupt_docx,
    "\u202etxt.exe.pdf": garbage_pdf,
    "<img src=x onerror=alert(1)>.pdf": pdf,
    "../../etc/passwd.pdf": pdf,
}
"""File name -> builder of every hostile upload."""
