"""File types are told by content, never by name (R14.3: uploads are checked;
DA/T 70 usability: the format is what it claims)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core.filetypes import KINDS, describe, sniff
from yiwang.core.tests.filesamples import (
    docx_like_bytes,
    jpeg_bytes,
    ofd_bytes,
    pdf_bytes,
    pe_bytes,
    png_bytes,
)

SAMPLES = {
    "pdf": pdf_bytes(),
    "png": png_bytes(),
    "jpeg": jpeg_bytes(),
    "ofd": ofd_bytes(),
}

# What each kind must start with; a random blob that does not start so can
# never be taken for it.
MAGIC = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
    "ofd": b"PK\x03\x04",
}


def test_each_real_sample_is_recognised_with_mime_and_extension():
    """R14.3"""
    for kind, data in SAMPLES.items():
        found = sniff(data)
        assert found is not None, kind
        assert found.kind == kind
        assert found == KINDS[kind]
    assert KINDS["pdf"].mime == "application/pdf"
    assert KINDS["jpeg"].ext == "jpg"
    assert KINDS["ofd"].mime == "application/ofd"


@settings(max_examples=400)
@given(st.binary(max_size=4096))
def test_random_bytes_are_never_taken_for_an_accepted_type(data):
    """R14.3: random bytes are refused (or, if they happen to carry a kind's
    magic and structure, they are that kind — never another)."""
    found = sniff(data)
    if found is not None:
        assert data.startswith(MAGIC[found.kind])


@settings(max_examples=300)
@given(kind=st.sampled_from(sorted(MAGIC)), tail=st.binary(max_size=2048))
def test_a_magic_number_followed_by_junk_is_not_enough(kind, tail):
    """R14.3: the first bytes alone never make a file acceptable."""
    assert sniff(MAGIC[kind] + tail) is None


@settings(max_examples=200)
@given(kind=st.sampled_from(sorted(SAMPLES)), cut=st.integers(min_value=1, max_value=40))
def test_truncated_files_are_refused(kind, cut):
    """R14.3: a file cut short (upload broken off) is not accepted."""
    data = SAMPLES[kind]
    assert sniff(data[: len(data) - cut]) is None or (kind == "pdf" and cut <= 1)


@settings(max_examples=200)
@given(payload=st.binary(max_size=1024), kind=st.sampled_from(sorted(SAMPLES)))
def test_a_windows_executable_is_refused_even_with_a_valid_trailer(payload, kind):
    """R14.3: an MZ (Windows PE) file renamed .pdf is refused, also when a PDF,
    PNG or JPEG ending is glued on."""
    tail = SAMPLES[kind][-64:]
    data = pe_bytes() + payload + tail
    assert sniff(data) is None
    assert describe(data) == "Windows 可执行程序"


def test_data_appended_after_an_image_is_refused():
    """R14.3: nothing may ride behind the picture."""
    assert sniff(SAMPLES["jpeg"] + b"MZ" + b"\x00" * 50 + b"payload") is None
    assert sniff(SAMPLES["png"] + b"extra") is None
    assert sniff(SAMPLES["jpeg"] + b"\x00\x00\x00") is not None  # padding is harmless


def test_png_with_a_broken_header_crc_is_refused():
    data = bytearray(SAMPLES["png"])
    data[20] ^= 0x01  # inside IHDR: width changes, CRC no longer matches
    assert sniff(bytes(data)) is None


def test_a_zip_without_ofd_index_is_not_ofd():
    """OFD is a ZIP whose root holds OFD.xml; other ZIPs (DOCX) are named."""
    assert sniff(ofd_bytes(with_index=False)) is None
    assert describe(ofd_bytes(with_index=False)) == "ZIP 压缩包"
    assert sniff(docx_like_bytes()) is None
    assert describe(docx_like_bytes()) == "Word 文档（DOCX）"


def test_a_zip_header_that_does_not_open_is_refused():
    data = SAMPLES["ofd"]
    assert sniff(data[:200]) is None
    assert describe(data[:200]).startswith("不完整")


def test_describe_names_common_refused_types():
    assert describe(b"") == "空文件"
    assert describe(b"GIF89a" + b"\x00" * 20) == "GIF 图片"
    assert describe(b"\x7fELF" + b"\x00" * 20) == "Linux 可执行程序"
    assert describe(b"<!DOCTYPE html><html></html>") == "网页文件（HTML）"
    assert describe("申请书正文".encode()) == "文本文件"
    assert describe(SAMPLES["pdf"][:-10]) == "不完整或已损坏的 PDF 文档"
    assert describe(SAMPLES["png"]) == "PNG 图片"
