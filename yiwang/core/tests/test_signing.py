"""Signed documents verify offline against the platform root, and any change
after signing is caught (ARCHITECTURE.md "Trust": documents are signed and
verify offline; R14.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from yiwang.core import signing
from yiwang.core.documents import render_pdf
from yiwang.core.tests.filesamples import pdf_bytes

AGENCY = "无锡市梁溪区行政审批局"
CREDIT = "11320213MB1234567X"


@pytest.fixture
def agency_identity(settings):
    key = signing.new_private_key()
    cert = signing.issue_agency_certificate(
        agency_name=AGENCY, credit_code=CREDIT, public_key=key.public_key()
    )
    return key, cert


def _flip_in_first_stream(pdf: bytes) -> bytes:
    """Change one byte inside the first content stream (covered by the
    signature's byte range; the file still parses)."""
    start = pdf.index(b"stream\n") + len(b"stream\n")
    data = bytearray(pdf)
    data[start + 10] ^= 0x01
    return bytes(data)


def test_a_rendered_notice_signed_by_an_agency_verifies(agency_identity):
    """R14.3: a notice signed with the agency's key is valid, names the agency,
    its credit code and the signing time."""
    key, cert = agency_identity
    pdf = render_pdf("documents/base.html", {"agency_name": AGENCY, "title": "不予受理决定书"})
    before = dt.datetime.now(dt.UTC)
    signed = signing.sign_pdf(pdf, key, cert, "不予受理决定书", "无锡市梁溪区")
    assert signed.startswith(pdf)  # an incremental update: the original bytes stay
    result = signing.verify_pdf(signed)
    assert result.valid, result.problem
    assert (result.intact, result.trusted, result.covers_whole_file) == (True, True, True)
    assert (result.signer, result.credit_code) == (AGENCY, CREDIT)
    assert result.serial == f"{cert.serial_number:x}"
    assert (result.reason, result.location) == ("不予受理决定书", "无锡市梁溪区")
    assert result.signed_at is not None
    assert before - dt.timedelta(seconds=5) <= result.signed_at <= dt.datetime.now(dt.UTC)
    assert result.signatures == 1 and result.problem == ""


def test_one_flipped_byte_in_the_signed_range_makes_it_invalid(agency_identity):
    """R14.3: tampering after signing is detected."""
    key, cert = agency_identity
    signed = signing.sign_pdf(pdf_bytes("decision"), key, cert, "决定书", "无锡")
    assert signing.verify_pdf(signed).valid
    result = signing.verify_pdf(_flip_in_first_stream(signed))
    assert not result.valid
    assert not result.intact
    assert result.problem == "签名后文件内容已被改动"


def test_a_key_not_issued_by_our_root_is_not_trusted():
    """A signature by a certificate from another CA (here: a self-made one
    with the agency's very name) is intact but not trusted."""
    other_root = signing.make_root()
    key = signing.new_private_key()
    cert = signing.issue_agency_certificate(
        agency_name=AGENCY, credit_code=CREDIT, public_key=key.public_key(), root=other_root
    )
    signed = signing.sign_pdf(pdf_bytes(), key, cert, "伪造", "无锡", chain=[other_root[1]])
    result = signing.verify_pdf(signed)
    assert result.intact
    assert not result.trusted
    assert not result.valid
    assert result.problem == "签名证书不是由受信任的根证书签发"
    # a self-signed certificate (no CA at all) is not trusted either
    root_key, root_cert = signing.make_root()
    assert not signing.verify_pdf(signing.sign_pdf(pdf_bytes(), root_key, root_cert)).trusted


def test_another_deployments_root_can_be_trusted_explicitly(settings):
    """Province and city deployments verify each other's documents once the
    other root is placed in YIWANG_KEY_DIR/trusted/."""
    other_root = signing.make_root()
    key = signing.new_private_key()
    cert = signing.issue_agency_certificate(
        agency_name="江阴市行政审批局",
        credit_code=CREDIT,
        public_key=key.public_key(),
        root=other_root,
    )
    signed = signing.sign_pdf(pdf_bytes(), key, cert, chain=[other_root[1]])
    assert not signing.verify_pdf(signed).valid
    trusted = signing.key_dir() / signing.TRUSTED_DIR
    trusted.mkdir(parents=True)
    (trusted / "jiangyin.pem").write_text(signing.cert_pem(other_root[1]))
    assert signing.verify_pdf(signed).valid


def test_bytes_appended_after_the_signature_make_it_invalid(agency_identity):
    key, cert = agency_identity
    signed = signing.sign_pdf(pdf_bytes(), key, cert)
    result = signing.verify_pdf(signed + b"\n% appended\n")
    assert not result.valid and result.intact
    assert result.problem == "签名后文件末尾被追加了数据"


def test_a_countersigned_document_keeps_both_signatures_valid(agency_identity):
    key, cert = agency_identity
    key2 = signing.new_private_key()
    cert2 = signing.issue_agency_certificate(
        agency_name="无锡市市场监督管理局",
        credit_code="11320200MB7654321Y",
        public_key=key2.public_key(),
    )
    twice = signing.sign_pdf(signing.sign_pdf(pdf_bytes(), key, cert), key2, cert2, "联合办理")
    result = signing.verify_pdf(twice)
    assert result.valid, result.problem
    assert result.signatures == 2
    assert result.signer == "无锡市市场监督管理局"


def test_unsigned_and_broken_files_are_reported_not_raised():
    assert signing.verify_pdf(pdf_bytes()).problem == "文件没有电子签名"
    broken = signing.verify_pdf(b"not a pdf at all")
    assert not broken.valid and broken.problem.startswith("文件不是有效的 PDF")


def test_the_platform_root_is_created_once_with_its_private_key_sealed(settings):
    """ARCHITECTURE.md "Trust": private keys are encrypted at rest (SM4)."""
    first = signing.platform_root_cert()
    assert signing.platform_root_cert() == first
    folder = signing.key_dir()
    sealed = (folder / signing.ROOT_KEY_FILE).read_text()
    assert sealed.startswith("k1:") and "PRIVATE KEY" not in sealed
    assert (folder / signing.ROOT_KEY_FILE).stat().st_mode & 0o077 == 0
    cert, created = signing.init_root()
    assert not created and cert == first
    basic = first.extensions.get_extension_for_class(signing.x509.BasicConstraints).value
    assert basic.ca


def test_without_autocreate_a_missing_root_is_a_clear_error(settings, tmp_path):
    settings.YIWANG_KEY_DIR = tmp_path / "empty"
    settings.YIWANG_KEY_AUTOCREATE = False
    with pytest.raises(signing.SigningSetupError, match="yiwang signing init"):
        signing.platform_root()


def test_a_sealed_key_opens_only_with_the_configured_key(settings):
    key = signing.new_private_key()
    sealed = signing.seal_private_key(key)
    assert signing.open_private_key(sealed).private_numbers() == key.private_numbers()
    settings.YIWANG_KEY_ENCRYPTION_KEYS = {"current": "k1", "keys": {"k1": "00" * 16}}
    with pytest.raises(signing.SigningSetupError):
        signing.open_private_key(sealed)
    settings.YIWANG_KEY_ENCRYPTION_KEYS = {}
    with pytest.raises(signing.SigningSetupError, match="YIWANG_KEY_ENCRYPTION_KEYS"):
        signing.seal_private_key(key)


def test_agency_certificate_subject_carries_name_and_credit_code(agency_identity):
    _, cert = agency_identity
    assert signing.common_name_of(cert) == AGENCY
    assert signing.credit_code_of(cert) == CREDIT
    assert cert.issuer == signing.platform_root_cert().subject
    usage = cert.extensions.get_extension_for_class(signing.x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
