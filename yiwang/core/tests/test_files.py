"""Uploads are checked by content and stored once per content with their SM3
digest (R14.3; ARCHITECTURE.md "Data")."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core.crypto import sm3_hex
from yiwang.core.errors import ValidationFailed
from yiwang.core.files import (
    clean_filename,
    default_max_bytes,
    open_stored,
    size_text,
    store_upload,
    verify_stored,
)
from yiwang.core.tests.filesamples import jpeg_bytes, ofd_bytes, pdf_bytes, pe_bytes, png_bytes


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_pdf_is_stored_under_its_sm3_with_the_digest_recorded(settings):
    """R14.3: every stored file has its SM3 digest; the path is content-addressed."""
    data = pdf_bytes("material")
    info = store_upload(data=data, filename="营业执照.pdf")
    digest = sm3_hex(data)
    assert info.sm3 == digest
    assert info.path == f"files/{digest[:2]}/{digest[2:4]}/{digest}.pdf"
    assert (info.size, info.kind, info.mime) == (len(data), "pdf", "application/pdf")
    assert info.original_name == "营业执照.pdf"
    assert (Path(settings.MEDIA_ROOT) / info.path).read_bytes() == data
    with open_stored(info.path) as fh:
        assert fh.read() == data
    assert verify_stored(info.path, info.sm3)


def test_the_same_bytes_are_stored_once(settings):
    data = png_bytes(7, 7)
    first = store_upload(data=data, filename="a.png")
    second = store_upload(file=io.BytesIO(data), filename="照片.PNG")
    assert first.path == second.path
    assert second.original_name == "照片.PNG"
    assert len(_stored_files(settings)) == 1


def test_a_django_upload_object_is_accepted():
    upload = SimpleUploadedFile("身份证正面.jpg", jpeg_bytes(), content_type="image/jpeg")
    info = store_upload(file=upload, filename=upload.name or "")
    assert (info.kind, info.mime) == ("jpeg", "image/jpeg")
    assert info.path.endswith(".jpg")


def test_ofd_is_accepted():
    info = store_upload(data=ofd_bytes(), filename="决定书.ofd")
    assert (info.kind, info.mime) == ("ofd", "application/ofd")


def test_an_empty_file_is_refused_and_nothing_is_written(settings):
    """R14.3"""
    with pytest.raises(ValidationFailed) as err:
        store_upload(data=b"", filename="空.pdf")
    assert err.value.code == "file_empty"
    assert "文件“空.pdf”为空" in err.value.message
    assert _stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_naming_the_limit(settings):
    """R14.3: the message states the limit in MB."""
    settings.YIWANG_UPLOAD_MAX_BYTES = 1024 * 1024
    big = io.BytesIO(pdf_bytes() + b"%" + b"x" * (1024 * 1024))
    with pytest.raises(ValidationFailed) as err:
        store_upload(file=big, filename="大文件.pdf")
    assert err.value.code == "file_too_large"
    assert "超过 1 MB" in err.value.message
    assert big.tell() <= 1024 * 1024 + 1  # stopped reading past the limit
    assert _stored_files(settings) == []


def test_the_default_limit_is_20_mb(settings):
    """docs/configuration.md: YIWANG_UPLOAD_MAX_BYTES defaults to 20 MB."""
    del settings.YIWANG_UPLOAD_MAX_BYTES
    assert default_max_bytes() == 20 * 1024 * 1024


def test_an_executable_renamed_pdf_is_refused_naming_what_it_is(settings):
    """R14.3: a Windows program renamed .pdf is refused by content."""
    with pytest.raises(ValidationFailed) as err:
        store_upload(data=pe_bytes(), filename="申请表.pdf")
    assert err.value.code == "file_type_not_allowed"
    assert "申请表.pdf" in err.value.message
    assert "Windows 可执行程序" in err.value.message
    assert err.value.fields == {"file": err.value.message}
    assert _stored_files(settings) == []


def test_a_type_the_caller_does_not_allow_is_refused():
    with pytest.raises(ValidationFailed) as err:
        store_upload(data=png_bytes(), filename="x.png", allowed_kinds=["pdf", "ofd"])
    assert err.value.code == "file_type_not_allowed"
    assert "PNG 图片" in err.value.message
    assert "只接受PDF 文档、OFD 版式文档" in err.value.message


def test_a_name_that_disagrees_with_the_content_is_refused(settings):
    """R14.3: a JPEG called .pdf is not silently accepted."""
    with pytest.raises(ValidationFailed) as err:
        store_upload(data=jpeg_bytes(), filename="scan.pdf")
    assert err.value.code == "file_name_mismatch"
    assert ".pdf" in err.value.message and "JPEG 图片" in err.value.message
    assert _stored_files(settings) == []
    # .jpeg and no extension are fine for a JPEG
    assert store_upload(data=jpeg_bytes(), filename="scan.JPEG").kind == "jpeg"
    assert store_upload(data=jpeg_bytes(), filename="scan").kind == "jpeg"


def test_a_changed_stored_file_fails_verification(settings):
    """R14.3: integrity re-check against the recorded digest."""
    info = store_upload(data=pdf_bytes("x"), filename="a.pdf")
    target = Path(settings.MEDIA_ROOT) / info.path
    blob = bytearray(target.read_bytes())
    blob[20] ^= 0x20
    target.write_bytes(bytes(blob))
    assert not verify_stored(info.path, info.sm3)
    target.unlink()
    assert not verify_stored(info.path, info.sm3)


def test_open_stored_accepts_only_stored_file_names():
    with pytest.raises(ValueError):
        open_stored("../../etc/passwd")


def test_client_file_names_are_cleaned():
    assert clean_filename("C:\\Users\\张三\\Desktop\\申请书.pdf") == "申请书.pdf"
    assert clean_filename("../../a\x00b.pdf") == "ab.pdf"
    assert clean_filename("") == "未命名文件"
    long = "长" * 300 + ".pdf"
    assert len(clean_filename(long)) == 200 and clean_filename(long).endswith(".pdf")


def test_size_text():
    assert size_text(20 * 1024 * 1024) == "20 MB"
    assert size_text(1536 * 1024) == "1.5 MB"
    assert size_text(500 * 1024) == "500 KB"
