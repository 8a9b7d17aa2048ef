"""PDF signatures under the platform's own root CA (ARCHITECTURE.md "Trust" and
"Documents"; docs/documents.md; docs/adr/0005-documents-pdf.md).

- The platform root CA (ECDSA P-256, self-signed, 30 years) lives in
  ``settings.YIWANG_KEY_DIR`` (default ``VAR_DIR/keys``): ``platform-root.pem``
  (the certificate, public) and ``platform-root.key`` (the private key, PKCS#8
  sealed with SM4-GCM under ``YIWANG_KEY_ENCRYPTION_KEYS``). It is created on
  first use when ``YIWANG_KEY_AUTOCREATE`` is on (development), or once with
  ``yiwang signing init`` (production, where several machines share the folder).
- Each agency gets an ECDSA P-256 signing certificate issued by that root
  (``issue_agency_certificate``; the orgs domain keeps it in ``AgencyKey``).
- ``sign_pdf`` adds a PAdES (ETSI.CAdES.detached, SHA-256) invisible signature
  with pyHanko; ``verify_pdf`` checks integrity and the chain to the platform
  root (plus any extra roots in ``YIWANG_KEY_DIR/trusted/*.pem``), offline.

No time-stamp authority is used yet: the signing time is the one the signer
states, and the certificate chain is validated at that moment, so documents
stay verifiable after an agency certificate expires or is rotated. The SM2
seal signature over the certificate metadata is a later issue (GB/T 36904).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import io
import logging
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from yiwang.core.crypto import DecryptionError, open_text, seal_text

logger = logging.getLogger(__name__)

ALGORITHM = "ecdsa-p256-sha256"
ROOT_CERT_FILE = "platform-root.pem"
ROOT_KEY_FILE = "platform-root.key"
TRUSTED_DIR = "trusted"
ROOT_YEARS = 30

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class SigningSetupError(ImproperlyConfigured):
    """The key folder or the key-encryption keys are missing or unusable."""


# --- configuration ---------------------------------------------------------------


def key_dir() -> Path:
    return Path(getattr(settings, "YIWANG_KEY_DIR", Path(settings.BASE_DIR) / "var" / "keys"))


def _kek() -> tuple[str, dict[str, bytes]]:
    conf = getattr(settings, "YIWANG_KEY_ENCRYPTION_KEYS", None) or {}
    try:
        current = conf["current"]
        keys = {kid: bytes.fromhex(hexkey) for kid, hexkey in conf["keys"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SigningSetupError(
            "未配置私钥加密密钥 YIWANG_KEY_ENCRYPTION_KEYS（见 docs/configuration.md）"
        ) from exc
    if current not in keys or len(keys[current]) != 16:
        raise SigningSetupError("YIWANG_KEY_ENCRYPTION_KEYS 的当前密钥必须是 32 位十六进制（SM4）")
    return current, keys


def seal_private_key(key: PrivateKey) -> str:
    """PKCS#8 PEM sealed with SM4-GCM: ``<kek id>:<base64>``."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    current, keys = _kek()
    return seal_text(current, keys[current], pem)


def open_private_key(sealed: str) -> PrivateKey:
    _, keys = _kek()
    try:
        pem = open_text(keys, sealed)
    except (DecryptionError, ValueError) as exc:
        raise SigningSetupError(f"签名私钥无法解密：{exc}") from exc
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise SigningSetupError("不支持的签名私钥类型")
    return key


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_cert_pem(pem: str | bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii") if isinstance(pem, str) else pem)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, hex (what operators compare)."""
    return cert.fingerprint(hashes.SHA256()).hex()


def new_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


# --- the platform root -------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _root_name() -> x509.Name:
    platform = getattr(settings, "YIWANG_PLATFORM_NAME", "一网政务服务平台")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, platform),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{platform} 文书签名根证书"),
        ]
    )


def make_root(
    name: x509.Name | None = None, *, years: int = ROOT_YEARS
) -> tuple[PrivateKey, x509.Certificate]:
    """A new self-signed CA (key, certificate); not stored."""
    key = new_private_key()
    name = name or _root_name()
    now = _now()
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def init_root(*, folder: Path | None = None) -> tuple[x509.Certificate, bool]:
    """Create the platform root in ``folder`` unless it exists: (cert, created)."""
    folder = folder or key_dir()
    with _locked(folder):
        cert_file, key_file = folder / ROOT_CERT_FILE, folder / ROOT_KEY_FILE
        if cert_file.exists():
            return load_cert_pem(cert_file.read_bytes()), False
        key, cert = make_root()
        _write_private(key_file, seal_private_key(key))
        _write_private(cert_file, cert_pem(cert))  # last: its presence means complete
        os.chmod(cert_file, 0o644)
    logger.warning("已生成平台文书签名根证书 %s（指纹 %s）", cert_file, fingerprint(cert))
    _root_cached.cache_clear()
    return cert, True


@functools.lru_cache(maxsize=4)
def _root_cached(folder: str, mtime_ns: int) -> tuple[PrivateKey, x509.Certificate]:
    path = Path(folder)
    cert = load_cert_pem((path / ROOT_CERT_FILE).read_bytes())
    key = open_private_key((path / ROOT_KEY_FILE).read_text(encoding="ascii"))
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise SigningSetupError(f"{path} 中的根证书与私钥不匹配")
    return key, cert


def platform_root() -> tuple[PrivateKey, x509.Certificate]:
    """The root CA's (key, certificate), created on first use when allowed."""
    folder = key_dir()
    cert_file = folder / ROOT_CERT_FILE
    if not cert_file.exists():
        if not getattr(settings, "YIWANG_KEY_AUTOCREATE", True):
            raise SigningSetupError(
                f"平台文书签名根证书不存在（{cert_file}）："
                "请在一台机器上运行 `yiwang signing init`，并让各机器共享 YIWANG_KEY_DIR"
            )
        init_root(folder=folder)
    return _root_cached(str(folder), cert_file.stat().st_mtime_ns)


def platform_root_cert() -> x509.Certificate:
    return platform_root()[1]


def trust_roots() -> list[x509.Certificate]:
    """The platform root plus extra trusted roots (other deployments, a retired
    root) from ``YIWANG_KEY_DIR/trusted/*.pem``."""
    roots = [platform_root_cert()]
    extra = key_dir() / TRUSTED_DIR
    if extra.is_dir():
        for pem in sorted(extra.glob("*.pem")):
            try:
                roots.append(load_cert_pem(pem.read_bytes()))
            except ValueError:
                logger.warning("跳过无法读取的受信根证书 %s", pem)
    return roots


# --- agency certificates ------------------------------------------------------------


def agency_name_attributes(agency_name: str, credit_code: str) -> x509.Name:
    """Subject of an agency's signing certificate: C=CN, O and CN the agency's
    name, organizationIdentifier ``NTRCN-<unified social credit code>`` (the
    ETSI EN 319 412-1 form: national registry, China)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRCN-{credit_code}"),
            x509.NameAttribute(NameOID.COMMON_NAME, agency_name[:64]),
        ]
    )


def issue_agency_certificate(
    *,
    agency_name: str,
    credit_code: str,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    days: int | None = None,
    root: tuple[PrivateKey, x509.Certificate] | None = None,
) -> x509.Certificate:
    """A signing certificate for an agency, issued by the platform root."""
    root_key, root_cert = root or platform_root()
    days = days or int(getattr(settings, "YIWANG_AGENCY_CERT_DAYS", 730))
    now = _now()
    not_after = min(now + dt.timedelta(days=days), root_cert.not_valid_after_utc)
    return (
        x509.CertificateBuilder()
        .subject_name(agency_name_attributes(agency_name, credit_code))
        .issuer_name(root_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                root_cert.public_key()  # type: ignore[arg-type]
            ),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )


def credit_code_of(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    if not values:
        return ""
    value = str(values[0].value)
    return value.split("-", 1)[1] if value.startswith("NTR") and "-" in value else value


def common_name_of(cert: x509.Certificate) -> str:
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        values = cert.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return cert.subject.rfc4514_string()


# --- signing and verifying PDFs ---------------------------------------------------------


def _asn1_cert(cert: x509.Certificate):  # -> asn1crypto.x509.Certificate
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign_pdf(
    pdf_bytes: bytes,
    key: PrivateKey,
    cert: x509.Certificate,
    reason: str = "",
    location: str = "",
    *,
    chain: Sequence[x509.Certificate] | None = None,
    contact: str = "",
) -> bytes:
    """Add an invisible PAdES signature (B-B level, SHA-256) by ``cert``'s
    holder. ``chain`` (default: the platform root, when it issued ``cert``) is
    embedded so an offline verifier sees the whole path."""
    from asn1crypto import keys as asn1_keys
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if chain is None:
        root = platform_root_cert()
        chain = [root] if cert.issuer == root.subject else []
    signing_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=f"Signature-{secrets.token_hex(4)}",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        contact_info=contact or None,
        name=common_name_of(cert),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True)
class VerifyResult:
    valid: bool  # intact, trusted, nothing changed after signing
    signer: str  # the agency's name from the certificate ("" when unsigned)
    signed_at: dt.datetime | None  # as stated by the signer
    intact: bool  # the signed bytes are unchanged
    trusted: bool = False  # chains to the platform root (or a configured root)
    credit_code: str = ""
    serial: str = ""  # certificate serial, hex
    reason: str = ""
    location: str = ""
    covers_whole_file: bool = False  # no bytes were appended after the signature
    signatures: int = 0
    problem: str = ""  # why not valid, in Chinese ("" when valid)


def _invalid(problem: str, **kw: object) -> VerifyResult:
    base: dict[str, object] = {"valid": False, "signer": "", "signed_at": None, "intact": False}
    base.update(kw)
    return VerifyResult(problem=problem, **base)  # type: ignore[arg-type]


def verify_pdf(
    pdf_bytes: bytes, *, roots: Sequence[x509.Certificate] | None = None
) -> VerifyResult:
    """Check every signature in the PDF against the platform root (or ``roots``)
    without any network access; the result describes the last signature and
    is valid only when all are."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        return _invalid(f"文件不是有效的 PDF 文档：{exc}")
    if not embedded:
        return _invalid("文件没有电子签名")
    anchors = [_asn1_cert(c) for c in (roots if roots is not None else trust_roots())]
    results: list[VerifyResult] = []
    for sig in embedded:
        results.append(
            _verify_one(
                sig,
                anchors,
                validate_pdf_signature,
                ValidationContext,
                (SignatureValidationError, PdfError, ValueError, KeyError),
            )
        )
    last = results[-1]
    bad = next((r for r in results if not r.valid), None)
    if bad is not None and bad is not last:
        return VerifyResult(
            **{**last.__dict__, "valid": False, "problem": bad.problem, "signatures": len(results)}
        )
    return VerifyResult(**{**last.__dict__, "signatures": len(results)})


def _verify_one(sig, anchors, validate, context_class, errors) -> VerifyResult:  # type: ignore[no-untyped-def]
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signed_at = sig.self_reported_timestamp
    sig_object = sig.sig_object
    reason = str(sig_object.get("/Reason", "") or "")
    location = str(sig_object.get("/Location", "") or "")
    try:
        cert = x509.load_der_x509_certificate(sig.signer_cert.dump())
        signer, credit, serial = (
            common_name_of(cert),
            credit_code_of(cert),
            f"{cert.serial_number:x}",
        )
    except (ValueError, AttributeError):
        signer, credit, serial = "", "", ""
    context = context_class(
        trust_roots=anchors,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=signed_at,
        best_signature_time=signed_at,
    )
    try:
        status = validate(sig, signer_validation_context=context)
    except errors as exc:
        return _invalid(
            f"签名无法校验：{exc}",
            signer=signer,
            signed_at=signed_at,
            credit_code=credit,
            serial=serial,
            reason=reason,
            location=location,
        )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact)
    trusted = bool(status.trusted)
    valid = bool(status.bottom_line) and intact and trusted and bool(status.valid)
    appended = False
    if valid and not whole:
        if sig.signed_revision >= sig.reader.xrefs.total_revisions - 1:
            appended = True  # bytes after the last signed revision that are no revision
            valid = False
        else:
            # Later revisions may add signatures (or DSS data), nothing else.
            level = status.modification_level
            valid = level is not None and level <= ModificationLevel.FORM_FILLING
    problem = ""
    if not intact:
        problem = "签名后文件内容已被改动"
    elif not status.valid:
        problem = "签名值无效"
    elif not trusted:
        problem = "签名证书不是由受信任的根证书签发"
    elif appended:
        problem = "签名后文件末尾被追加了数据"
    elif not valid:
        problem = "签名后文件被追加了修改"
    return VerifyResult(
        valid=valid,
        signer=signer,
        signed_at=signed_at,
        intact=intact,
        trusted=trusted,
        credit_code=credit,
        serial=serial,
        reason=reason,
        location=location,
        covers_whole_file=whole,
        problem=problem,
    )
