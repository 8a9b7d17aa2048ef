"""Offline verification of a certificate file (R7.5, R5.5): PAdES, the
embedded metadata, the file's SM3 and the seal's SM2 signature."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from yiwang.domains.certificates import documents, selectors
from yiwang.domains.certificates.models import Certificate
from yiwang.domains.certificates.tests.conftest import granted_case


@pytest.fixture
def issued(cert_world, tmp_path):
    cert = Certificate.objects.get(case=granted_case(cert_world))
    pdf = documents.file_bytes(cert.file_path)
    sidecar = selectors.certificate_sidecar(cert)
    pdf_path = tmp_path / "cert.pdf"
    pdf_path.write_bytes(pdf)
    meta_path = tmp_path / f"{cert.identifier}.json"
    meta_path.write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return cert, pdf, sidecar, pdf_path, meta_path


def run(pdf_path, meta_path=None):
    args = [str(pdf_path), "--json"]
    if meta_path is not None:
        args += ["--metadata", str(meta_path)]
    import io

    out = io.StringIO()
    try:
        call_command("certificates_verify", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


def test_the_issued_file_verifies_with_and_without_the_signature_file(issued):
    """R7.5, R5.5: the PDF and its signature file verify offline."""
    cert, _pdf, _sidecar, pdf_path, meta_path = issued
    code, result = run(pdf_path, meta_path)
    assert code == 0 and result["valid"], result["problems"]
    assert result["identifier"] == cert.identifier and result["seal_known"]
    code, result = run(pdf_path)  # signature from the platform's records
    assert code == 0 and result["valid"], result["problems"]


def _flip(data: bytes, at: int) -> bytes:
    b = bytearray(data)
    b[at] ^= 0x01
    return bytes(b)


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_one_changed_byte_of_the_pdf_fails(issued, where):
    """R7.5: changing one byte anywhere in the PDF fails offline verification."""
    _cert, pdf, _sidecar, pdf_path, meta_path = issued
    at = {"start": 1, "middle": len(pdf) // 2, "end": len(pdf) - 3}[where]
    pdf_path.write_bytes(_flip(pdf, at))
    code, result = run(pdf_path, meta_path)
    assert code == 1 and not result["valid"]
    assert not result["digest_matches"]


def test_one_changed_character_of_the_metadata_fails(issued):
    """R7.5: changing the holder's name by one character in the signature
    file's metadata fails (SM2 signature, and it no longer matches the PDF)."""
    _cert, _pdf, sidecar, pdf_path, meta_path = issued
    forged = json.loads(json.dumps(sidecar))
    forged["metadata"]["holder"] = "张玮"
    meta_path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    code, result = run(pdf_path, meta_path)
    assert code == 1 and not result["valid"]
    assert not result["seal_signature_valid"] and not result["metadata_matches"]
    # a forger who also re-signs with their own key is caught by the seal registry
    from yiwang.domains.certificates import seals

    private, public = seals.sm2_generate()
    forged["seal"]["public_key"] = public
    forged["signature"] = seals.SoftwareSm2Signer(private, public).sign(
        documents.signed_message(forged["metadata"], forged["file_sm3"])
    )
    meta_path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    code, result = run(pdf_path, meta_path)
    assert code == 1 and not result["valid"]


def test_the_embedded_metadata_is_covered_by_the_pdf_signature(issued):
    """R7.5: the metadata inside the PDF is what was signed; rewriting it in
    the PDF breaks the PAdES signature and the digest."""
    cert, pdf, _sidecar, pdf_path, meta_path = issued
    assert documents.extract_metadata(pdf) == cert.metadata
    forged = documents.embed_metadata(pdf, {**cert.metadata, "holder": "李四"})
    pdf_path.write_bytes(forged)
    code, result = run(pdf_path, meta_path)
    assert code == 1 and not result["valid"]
