"""What a file really is, from its bytes (R14.3 upload checks; DA/T 70 usability).

Pure module (no Django): ``sniff`` recognises the accepted material types by
their magic numbers and a cheap look at their structure, never by the name a
user gave the file:

- PDF: ``%PDF-n.n`` at offset 0 and ``%%EOF`` in the last 1 KiB;
- OFD (GB/T 33190): a ZIP archive that really opens and holds ``OFD.xml`` at its
  root whose root element is ``OFD``;
- JPEG: SOI ``FF D8`` followed by a marker segment, EOI ``FF D9`` at the end
  (trailing zero padding allowed; data appended after the image is refused);
- PNG: the 8-byte signature, an ``IHDR`` chunk with a correct CRC and sane
  fields, and an ``IEND`` chunk at the end.

``describe`` names what a refused file looks like ("Windows 可执行程序",
"ZIP 压缩包" …) so the message to the user can say what was detected.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Sniffed:
    kind: str  # pdf / ofd / jpeg / png
    mime: str
    ext: str  # the canonical extension, without the dot
    label: str  # Chinese name for messages

    @property
    def extensions(self) -> frozenset[str]:
        return EXTENSIONS[self.kind]


PDF = Sniffed("pdf", "application/pdf", "pdf", "PDF 文档")
OFD = Sniffed("ofd", "application/ofd", "ofd", "OFD 版式文档")
JPEG = Sniffed("jpeg", "image/jpeg", "jpg", "JPEG 图片")
PNG = Sniffed("png", "image/png", "png", "PNG 图片")

KINDS: dict[str, Sniffed] = {s.kind: s for s in (PDF, OFD, JPEG, PNG)}
MATERIAL_KINDS: tuple[str, ...] = ("pdf", "ofd", "jpeg", "png")

# Extensions (lower case, no dot) a file of each kind may carry.
EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "ofd": frozenset({"ofd"}),
    "jpeg": frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    "png": frozenset({"png"}),
}

_TAIL = 1024
_OFD_XML_MAX = 1 << 20  # OFD.xml is an index of a few KiB; refuse a bomb


def _is_pdf(data: bytes) -> bool:
    if len(data) < 16 or not data.startswith(b"%PDF-"):
        return False
    version = data[5:8]
    if not (version[:1].isdigit() and version[1:2] == b"." and version[2:3].isdigit()):
        return False
    return b"%%EOF" in data[-_TAIL:]


def _is_png(data: bytes) -> bool:
    if len(data) < 8 + 25 + 12 or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    length, ctype = struct.unpack(">I4s", data[8:16])
    if length != 13 or ctype != b"IHDR":
        return False
    body = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    if zlib.crc32(ctype + body) != crc:
        return False
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", body
    )
    if not (width and height) or compression or filtering or interlace > 1:
        return False
    if (colour, depth) not in _PNG_MODES:
        return False
    # The last chunk: length 0, type IEND, its fixed CRC.
    return data.endswith(b"\x00\x00\x00\x00IEND\xaeB`\x82")


_PNG_MODES = {
    *((0, d) for d in (1, 2, 4, 8, 16)),
    (2, 8),
    (2, 16),
    *((3, d) for d in (1, 2, 4, 8)),
    (4, 8),
    (4, 16),
    (6, 8),
    (6, 16),
}


def _is_jpeg(data: bytes) -> bool:
    if len(data) < 8 or not data.startswith(b"\xff\xd8\xff"):
        return False
    marker = data[3]
    # APPn, DQT, DHT, SOFn, DRI, COM: what an encoder writes first.
    if not (0xE0 <= marker <= 0xEF or marker in (0xDB, 0xC4, 0xDD, 0xFE) or 0xC0 <= marker <= 0xCF):
        return False
    (seglen,) = struct.unpack(">H", data[4:6])
    if seglen < 2 or 4 + seglen > len(data):
        return False
    return data.rstrip(b"\x00").endswith(b"\xff\xd9")


def _zip_names(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None


def _is_ofd(data: bytes) -> bool:
    archive = _zip_names(data)
    if archive is None:
        return False
    with archive:
        try:
            info = archive.getinfo("OFD.xml")
        except KeyError:
            return False
        if info.file_size > _OFD_XML_MAX or info.is_dir():
            return False
        try:
            with archive.open(info) as fh:
                head = fh.read(_OFD_XML_MAX)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            return False
        except RuntimeError:  # encrypted entry
            return False
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"<"):
        return False
    # The root element is ofd:OFD (any prefix) after an optional declaration.
    return b":OFD" in text[:4096] or b"<OFD" in text[:4096]


def sniff(data: bytes) -> Sniffed | None:
    """The accepted material type these bytes really are, or None."""
    if _is_pdf(data):
        return PDF
    if _is_png(data):
        return PNG
    if _is_jpeg(data):
        return JPEG
    if _is_ofd(data):
        return OFD
    return None


# --- naming what a refused file is -----------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"#!", "脚本文件"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 文档（DOC/XLS/PPT）"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "GZIP 压缩包"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"BM", "BMP 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"{\\rtf", "RTF 文档"),
)


def describe(data: bytes) -> str:
    """A short Chinese name of what the bytes look like, for error messages."""
    found = sniff(data)
    if found is not None:
        return found.label
    if not data:
        return "空文件"
    if data.startswith(b"%PDF-"):
        return "不完整或已损坏的 PDF 文档"
    if data.startswith(b"\x89PNG"):
        return "不完整或已损坏的 PNG 图片"
    if data.startswith(b"\xff\xd8\xff"):
        return "不完整或附加了其他数据的 JPEG 图片"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WebP 图片"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1"):
        return "HEIC 图片"
    if data[4:8] == b"ftyp":
        return "视频文件"
    archive = _zip_names(data)
    if archive is not None:
        with archive:
            names = set(archive.namelist())
        if "word/document.xml" in names:
            return "Word 文档（DOCX）"
        if "xl/workbook.xml" in names:
            return "Excel 表格（XLSX）"
        if "ppt/presentation.xml" in names:
            return "PowerPoint 演示文稿（PPTX）"
        if "OFD.xml" in names:
            return "不完整或已损坏的 OFD 版式文档"
        return "ZIP 压缩包"
    if data.startswith(b"PK"):
        return "不完整或已损坏的压缩包"
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<script")):
        return "网页文件（HTML）"
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        return "XML/SVG 文件"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:4096], final=False)
    except UnicodeDecodeError:
        return "无法识别的文件"
    if any(b < 0x09 or 0x0D < b < 0x20 for b in data[:4096] if b != 0x1B):
        return "无法识别的文件"
    return "文本文件"
