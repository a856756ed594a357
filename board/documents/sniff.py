"""Decide a file's type from its bytes, never from its name or the browser's MIME type.

Magic numbers identify PDF, PNG and JPEG; ZIP containers are opened and their parts
inspected to tell DOCX, XLSX, ODT and ODS apart; anything else must decode as text. The
name's extension then has to agree, so a DOCX renamed ``.pdf`` or a program renamed
``.txt`` is refused with a message that says what the file really is. Written by hand
rather than with a magic library: the handful of formats we accept need container
inspection (which those libraries do not do for ODF/OOXML) and zip-bomb checks anyway.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes
from flask_babel import lazy_gettext as _l

HEAD = 64 * 1024
MAX_ZIP_ENTRIES = 5_000
MAX_UNPACKED = 500 * 1024 * 1024  # what a document's parts may expand to in total
MAX_RATIO = 200  # beyond this compression ratio a large part is treated as a bomb
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Kind:
    """A file type we accept: code, served MIME type, allowed extensions, and a label
    with its article, as it reads inside a sentence."""

    code: str
    mime: str
    extensions: tuple[str, ...]
    label: object
    text: bool = True  # whether its text is extracted and indexed


KINDS = {
    k.code: k
    for k in (
        Kind("pdf", "application/pdf", (".pdf",), _l("a PDF document")),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            _l("a Word document (DOCX)"),
        ),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            _l("an Excel spreadsheet (XLSX)"),
        ),
        Kind(
            "odt",
            "application/vnd.oasis.opendocument.text",
            (".odt",),
            _l("an OpenDocument text (ODT)"),
        ),
        Kind(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
            _l("an OpenDocument spreadsheet (ODS)"),
        ),
        Kind(
            "doc",
            "application/msword",
            (".doc",),
            _l("a Word 97–2003 document (DOC)"),
        ),
        Kind(
            "xls",
            "application/vnd.ms-excel",
            (".xls",),
            _l("an Excel 97–2003 spreadsheet (XLS)"),
        ),
        Kind("txt", "text/plain", (".txt", ".text", ".md"), _l("a text file")),
        Kind("csv", "text/csv", (".csv",), _l("a CSV table")),
        Kind("png", "image/png", (".png",), _l("a PNG image"), text=False),
        Kind("jpeg", "image/jpeg", (".jpg", ".jpeg", ".jpe"), _l("a JPEG image"), text=False),
    )
}
EXTENSION_KIND = {ext: k for k in KINDS.values() for ext in k.extensions}


class RefusedFile(Exception):
    """The file is not accepted; ``str(error)`` says why, in the user's language."""


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are."""

    kind: Kind
    encrypted: bool = False


def sniff(stream: BinaryIO, filename: str) -> Sniffed:
    """Identify an uploaded file or raise ``RefusedFile`` with the reason."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if size == 0:
        raise RefusedFile(_l("“%(name)s” is empty.", name=filename))
    result = _identify(stream, head, filename)
    _check_extension(result.kind, filename)
    return result


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def image_mime(head: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` if these first bytes really are one, else None: a
    file is served as an image only on its bytes' word, never on its name or its row."""
    if head.startswith(PNG_MAGIC):
        return "image/png"
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    return None


def _identify(stream: BinaryIO, head: bytes, filename: str) -> Sniffed:
    if _is_program(head):
        raise RefusedFile(
            _l("“%(name)s” is a program; programs cannot be attached.", name=filename)
        )
    if b"%PDF-" in head[:1024]:
        return Sniffed(KINDS["pdf"])
    if head.startswith(PNG_MAGIC):
        return Sniffed(KINDS["png"])
    if head.startswith(JPEG_MAGIC):
        return Sniffed(KINDS["jpeg"])
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Sniffed(_zip_kind(stream, filename))
    if head.startswith(OLE_MAGIC):
        return _ole(stream, filename)
    if _looks_like_text(head):
        ext = os.path.splitext(filename)[1].lower()
        return Sniffed(KINDS["csv" if ext == ".csv" else "txt"])
    raise RefusedFile(
        _l(
            "“%(name)s” is not a type the board accepts. Attach PDF, DOCX, DOC, ODT, XLSX, "
            "XLS, ODS, TXT or CSV documents, or PNG and JPEG images.",
            name=filename,
        )
    )


def _is_program(head: bytes) -> bool:
    """Windows, Linux and macOS executables, and scripts with a shebang."""
    magics = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"#!")
    return head.startswith(magics) or head[:4] == b"\xca\xfe\xba\xbe"


def _looks_like_text(head: bytes) -> bool:
    """Text decodes (UTF-8, or a legacy code page charset-normalizer recognises)."""
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut by the head's end
            return True
    return from_bytes(head).best() is not None


def _zip_kind(stream: BinaryIO, filename: str) -> Kind:
    """Open the container and tell the office formats apart by their parts."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_bomb(infos, filename)
            names = {info.filename for info in infos}
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        # A damaged archive: read the names in its local headers, keep it if it is a
        # document (extraction will report the damage), refuse it otherwise.
        stream.seek(0)
        data = stream.read()
        names = _local_names(data)
        match = re.search(rb"mimetypeapplication/vnd\.oasis\.opendocument\.[a-z]+", data)
        mimetype = match.group(0)[len("mimetype") :] if match else b""
    finally:
        stream.seek(0)
    kind = _office_kind(names, mimetype)
    ext = os.path.splitext(filename)[1].lower()
    if kind is None and "[Content_Types].xml" in names and ext in (".docx", ".xlsx"):
        kind = EXTENSION_KIND[ext]  # a truncated OOXML file: kept, its damage reported later
    if kind is None:
        raise RefusedFile(
            _l(
                "“%(name)s” is a ZIP archive, not a document. Attach the documents themselves.",
                name=filename,
            )
        )
    return kind


def _local_names(data: bytes) -> set[str]:
    """Part names from the local file headers of a ZIP whose directory is unreadable."""
    names = set()
    for match in re.finditer(rb"PK\x03\x04", data):
        start = match.start()
        if start + 30 > len(data):
            break
        name_len, _extra = struct.unpack("<HH", data[start + 26 : start + 30])
        names.add(data[start + 30 : start + 30 + name_len].decode("utf-8", "replace"))
    return names


def _office_kind(names: set[str], mimetype: bytes) -> Kind | None:
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return KINDS["odt"]
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return KINDS["ods"]
    if any(n.startswith("word/") for n in names):
        return KINDS["docx"]
    if any(n.startswith("xl/") for n in names):
        return KINDS["xlsx"]
    return None


def _check_bomb(infos: list[zipfile.ZipInfo], filename: str) -> None:
    """Refuse archives that unpack to far more than any real document does."""
    total = sum(info.file_size for info in infos)
    suspicious = any(
        info.file_size > 10 * 1024 * 1024
        and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > MAX_ZIP_ENTRIES or total > MAX_UNPACKED or suspicious:
        raise RefusedFile(
            _l(
                "“%(name)s” unpacks to %(size)d MB from a much smaller file: it looks like "
                "a decompression bomb and is refused.",
                name=filename,
                size=total // (1024 * 1024),
            )
        )


def _ole(stream: BinaryIO, filename: str) -> Sniffed:
    """OLE2 compound files, told apart by the streams in their directory: ``WordDocument``
    is a .doc, ``Workbook`` (or BIFF5's ``Book``) an .xls, ``EncryptedPackage`` a
    password-protected DOCX/XLSX. A directory too damaged to read falls back to the name,
    so the file is kept and extraction reports the damage."""
    data = stream.read(4 * 1024 * 1024)
    stream.seek(0)
    ext = os.path.splitext(filename)[1].lower()
    try:
        names = ole_stream_names(stream)
    finally:
        stream.seek(0)
    if ("EncryptedPackage" in names or ENCRYPTED_PACKAGE in data) and ext in (".docx", ".xlsx"):
        return Sniffed(EXTENSION_KIND[ext], encrypted=True)
    if "WordDocument" in names:
        return Sniffed(KINDS["doc"])
    if "Workbook" in names or "Book" in names:
        return Sniffed(KINDS["xls"])
    if not names and ext in (".doc", ".xls"):
        return Sniffed(EXTENSION_KIND[ext])
    raise RefusedFile(
        _l(
            "“%(name)s” is in an old Microsoft Office format the board does not accept "
            "(only .doc and .xls are). Save it as PDF and attach it again.",
            name=filename,
        )
    )


def ole_stream_names(stream: BinaryIO, max_sectors: int = 512) -> set[str]:
    """The entry names in an OLE2 (CFB) directory, or an empty set if it is unreadable.

    Reads the header's sector size, the FAT sectors it lists (the first 109, enough for
    files up to ~7 MB of FAT-mapped sectors with 512-byte sectors and far more with 4 KB
    ones) and follows the directory's chain through them.
    """
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        return set()
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    size = 1 << shift

    def sector(number: int) -> bytes:
        stream.seek((number + 1) * size)
        return stream.read(size)

    fat: list[int] = []
    for number in struct.unpack_from("<109I", header, 0x4C):
        if number >= 0xFFFFFFFA:
            break
        block = sector(number)
        fat.extend(struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4]))
    names: set[str] = set()
    current, seen = struct.unpack_from("<I", header, 0x30)[0], set()
    while current < len(fat) and current not in seen and len(seen) < max_sectors:
        seen.add(current)
        block = sector(current)
        for offset in range(0, len(block) - 127, 128):
            names.update(_directory_name(block[offset : offset + 128]))
        current = fat[current]
    return names


def _directory_name(entry: bytes) -> list[str]:
    """The name of one 128-byte directory entry of a storage or stream, if it has one."""
    length = struct.unpack_from("<H", entry, 64)[0]
    if not (2 <= length <= 64 and length % 2 == 0) or entry[66] not in (1, 2, 5):
        return []
    return [entry[: length - 2].decode("utf-16-le", "replace")]


def _check_extension(kind: Kind, filename: str) -> None:
    """A name without an extension is fine; a name claiming another type is not."""
    ext = os.path.splitext(filename)[1].lower()
    if not ext or ext in kind.extensions:
        return
    claimed = EXTENSION_KIND.get(ext)
    if claimed is None:
        message = _l(
            "“%(name)s” has the extension %(ext)s, but its contents are %(actual)s. Rename "
            "it to end in %(right)s.",
            name=filename,
            ext=ext,
            actual=kind.label,
            right=kind.extensions[0],
        )
    else:
        message = _l(
            "“%(name)s” is named as %(claimed)s, but its contents are %(actual)s. "
            "The file was not attached.",
            name=filename,
            claimed=claimed.label,
            actual=kind.label,
        )
    raise RefusedFile(message)
