"""Stored files: uploads checked by content, kept once per content, SM3 recorded
(R14.3; ARCHITECTURE.md "Data": every stored file has its SM3 digest).

``store_upload`` refuses an empty file, one over the size limit, one whose
real type (``yiwang.core.filetypes.sniff``) is not allowed, and one whose name
claims another type; nothing is written before every check has passed. The
file goes through Django's default storage under a content-addressed name
``files/ab/cd/<sm3>.<ext>``, so the same bytes are stored once however often
they are uploaded, and a stored name says what its content must hash to.

The caller (e.g. the cases domain) keeps ``path`` and ``sm3`` in its own row;
``verify_stored`` re-checks the content against that digest later. A stored
file whose row was rolled back stays as an unreferenced blob (harmless, the
same bytes reuse it); a sweep can remove blobs no row points at.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage

from yiwang.core.errors import ValidationFailed
from yiwang.core.filetypes import EXTENSIONS, KINDS, MATERIAL_KINDS, describe, sniff

CHUNK = 1 << 16
PREFIX = "files"
_PATH_RE = re.compile(r"^files/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})\.([a-z0-9]{1,8})$")


@dataclass(frozen=True)
class StoredFileInfo:
    path: str  # name in the default storage
    sm3: str  # 64 hex digits
    size: int  # bytes
    kind: str  # pdf / ofd / jpeg / png
    mime: str
    original_name: str  # the name the user gave, cleaned


def _sm3() -> hashlib._Hash:
    # The same algorithm as yiwang.core.crypto.sm3_hex, fed chunk by chunk.
    return hashlib.new("sm3")


def default_max_bytes() -> int:
    return int(getattr(settings, "YIWANG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def size_text(limit: int) -> str:
    """20971520 → "20 MB", 1572864 → "1.5 MB", 512000 → "500 KB"."""
    mb = limit / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(1, round(limit / 1024))} KB"


def clean_filename(name: str) -> str:
    """The last path part of a client-supplied name, without control characters,
    at most 200 characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 200 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:200]
    return name or "未命名文件"


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _read_limited(source: IO[bytes], limit: int) -> bytes:
    """Read at most limit + 1 bytes (enough to know the file is too big)."""
    if hasattr(source, "seek"):
        with contextlib.suppress(OSError, ValueError):
            source.seek(0)
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        part = source.read(min(CHUNK, limit + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def stored_path(sm3: str, ext: str) -> str:
    return f"{PREFIX}/{sm3[:2]}/{sm3[2:4]}/{sm3}.{ext}"


def _fail(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"file": message})


def check_upload(
    data: bytes,
    *,
    filename: str,
    max_bytes: int | None = None,
    allowed_kinds: Iterable[str] = MATERIAL_KINDS,
) -> tuple[str, str]:
    """Validate without storing: returns (kind, cleaned name) or raises
    ValidationFailed with a Chinese message that names the file."""
    limit = default_max_bytes() if max_bytes is None else max_bytes
    allowed = tuple(allowed_kinds)
    unknown = [k for k in allowed if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown file kinds: {unknown}")
    name = clean_filename(filename)
    if not data:
        raise _fail("file_empty", f"文件“{name}”为空，请重新选择文件")
    if len(data) > limit:
        raise _fail(
            "file_too_large", f"文件“{name}”超过 {size_text(limit)}，请压缩或拆分后重新上传"
        )
    allowed_labels = "、".join(KINDS[k].label for k in allowed)
    found = sniff(data)
    if found is None or found.kind not in allowed:
        detected = describe(data)
        raise _fail(
            "file_type_not_allowed",
            f"文件“{name}”的实际内容是{detected}，只接受{allowed_labels}",
        )
    ext = _extension(name)
    if ext and ext not in EXTENSIONS[found.kind]:
        raise _fail(
            "file_name_mismatch",
            f"文件“{name}”的扩展名是 .{ext}，但实际内容是{found.label}；"
            f"请上传真实的文件，或将扩展名改为 .{found.ext}",
        )
    return found.kind, name


def store_upload(
    *,
    data: bytes | None = None,
    file: IO[bytes] | None = None,
    filename: str,
    max_bytes: int | None = None,
    allowed_kinds: Iterable[str] = MATERIAL_KINDS,
    storage: Storage | None = None,
) -> StoredFileInfo:
    """Check an upload and keep it; give either ``data`` or ``file`` (any
    binary file-like object, e.g. Django's UploadedFile).

    ``max_bytes`` defaults to settings.YIWANG_UPLOAD_MAX_BYTES (20 MB);
    ``allowed_kinds`` to all material types (pdf, ofd, jpeg, png).
    Raises ValidationFailed (codes file_empty, file_too_large,
    file_type_not_allowed, file_name_mismatch); writes nothing then.
    """
    if (data is None) == (file is None):
        raise TypeError("store_upload needs exactly one of data= or file=")
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if data is None:
        assert file is not None
        data = _read_limited(file, limit)
    kind, name = check_upload(data, filename=filename, max_bytes=limit, allowed_kinds=allowed_kinds)
    digest = _sm3()
    for start in range(0, len(data), CHUNK):
        digest.update(data[start : start + CHUNK])
    sm3 = digest.hexdigest()
    found = KINDS[kind]
    path = stored_path(sm3, found.ext)
    store = storage or default_storage
    if not store.exists(path):
        saved = store.save(path, ContentFile(data))
        if saved != path:
            # Another request stored the same bytes a moment earlier; the
            # storage picked a new name for ours: keep theirs.
            store.delete(saved)
    return StoredFileInfo(
        path=path, sm3=sm3, size=len(data), kind=kind, mime=found.mime, original_name=name
    )


def open_stored(path: str, *, storage: Storage | None = None) -> File:
    """Open a stored file for reading (binary). The caller closes it."""
    if not _PATH_RE.match(path):
        raise ValueError(f"not a stored file path: {path!r}")
    return (storage or default_storage).open(path, "rb")


def sm3_of_stored(path: str, *, storage: Storage | None = None) -> str:
    digest = _sm3()
    with open_stored(path, storage=storage) as fh:
        for part in iter(lambda: fh.read(CHUNK), b""):
            digest.update(part)
    return digest.hexdigest()


def verify_stored(path: str, sm3: str, *, storage: Storage | None = None) -> bool:
    """True when the stored content still hashes to ``sm3`` (False when it was
    altered or is missing)."""
    try:
        actual = sm3_of_stored(path, storage=storage)
    except (FileNotFoundError, OSError):
        return False
    return hmac.compare_digest(actual, sm3.lower())
