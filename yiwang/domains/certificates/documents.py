"""The certificate file (R7.3, R7.5): a PDF rendered from
``certificates/certificate.html`` (extends ``documents/base.html``) with the
issuing agency's seal image and a QR code to the public verification page.

Where the metadata lives: the GB/T 36903 metadata list, as canonical JSON
(UTF-8, keys sorted, no spaces), is embedded in the PDF as the attached file
``metadata.json`` (a PDF embedded file, /Names /EmbeddedFiles) *before* the
agency's PAdES signature, so that signature covers it too.

Two signatures protect a certificate:

1. PAdES (``core.signing.sign_pdf``) by the agency's document-signing
   certificate over the whole PDF, metadata attachment included;
2. the seal's SM2 signature over ``canonical metadata JSON + "\\n" + SM3 hex
   of the final (PAdES-signed) PDF``. It cannot live inside the file it
   covers, so it is kept on the certificate row and handed out beside the
   PDF as the detached signature file ``<identifier>.json`` (``sidecar``):
   ``{"metadata", "file_sm3", "signature", "algorithm", "seal": {code,
   name, public_key}, "signed_at"}``.

``verify_file`` checks a PDF (and optionally a sidecar) without network:
PAdES signature, embedded metadata = sidecar metadata, SM3 of the file =
the signed digest, SM2 signature with the seal's public key (from the
platform's seal registry when the seal is known there). Changing one byte
of the PDF or of the metadata fails.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from yiwang.core.audit import canonical_json
from yiwang.core.crypto import sm3_hex
from yiwang.domains.certificates import seals

METADATA_NAME = "metadata.json"

# GB/T 36903 metadata elements and their Chinese names (shown on the PDF and
# the verification page; the JSON keys are these English names).
METADATA_LABELS: dict[str, str] = {
    "name": "证照名称",
    "type_name": "证照类型名称",
    "type_code": "证照类型代码",
    "number": "证照编号",
    "identifier": "证照标识",
    "issuer": "证照颁发机构",
    "issuer_code": "证照颁发机构代码",
    "issue_date": "证照颁发日期",
    "holder": "持证主体",
    "holder_code": "持证主体代码",
    "holder_code_type": "持证主体代码类型",
    "valid_from": "证照有效期起始日期",
    "valid_to": "证照有效期截止日期",
    "division_code": "证照颁发机构行政区划代码",
    "signer": "签章单位",
    "signing_time": "签章时间",
    "seal_name": "印章名称",
    "seal_code": "印章编码",
    "signature_algorithm": "签名算法",
    "version": "证照版本",
    "previous": "上一版本证照标识",
    "annotation": "加注件信息",
    "data": "照面扩展信息",
}


def verify_url(identifier: str) -> str:
    base = getattr(settings, "YIWANG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/certificates/verify/{identifier}/"


def canonical(metadata: dict[str, Any]) -> bytes:
    return canonical_json(metadata).encode("utf-8")


def signed_message(metadata: dict[str, Any], file_sm3: str) -> bytes:
    """What the seal signs: the canonical metadata, a newline, the file's SM3."""
    return canonical(metadata) + b"\n" + file_sm3.encode("ascii")


# --- rendering --------------------------------------------------------------------------


def render_certificate_pdf(
    *, metadata: dict[str, Any], seal_svg: str, fields: list[tuple[str, Any]]
) -> bytes:
    """The certificate's face as PDF, with metadata.json embedded."""
    from yiwang.core.documents import qr_svg, render_pdf

    url = verify_url(metadata["identifier"])
    pdf = render_pdf(
        "certificates/certificate.html",
        {
            "title": metadata["name"],
            "number": f"编号：{metadata['number']}",
            "agency_name": metadata["issuer"],
            "issued_on": metadata["issue_date"],
            "m": metadata,
            "fields": fields,
            "seal_svg": seal_svg,
            "verify_url": url,
            "qr": qr_svg(url),
            "signed_display": str(metadata["signing_time"])[:16].replace("T", " "),
        },
    )
    return embed_metadata(pdf, metadata)


def embed_metadata(pdf: bytes, metadata: dict[str, Any]) -> bytes:
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    data = canonical(metadata)
    ef = embed.EmbeddedFileObject.from_file_data(
        writer, data=data, mime_type="application/json", params=embed.EmbeddedFileParams()
    )
    spec = embed.FileSpec(
        file_spec_string=METADATA_NAME,
        file_name=METADATA_NAME,
        embedded_data=ef,
        description="电子证照元数据（GB/T 36903）",
    )
    embed.embed_file(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def extract_metadata(pdf: bytes) -> dict[str, Any] | None:
    """The embedded metadata.json of a certificate PDF, or None."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for i in range(0, len(names), 2):
            if str(names[i]) == METADATA_NAME:
                spec = names[i + 1].get_object()
                raw = spec["/EF"]["/F"].get_object().data
                data = json.loads(raw.decode("utf-8"))
                return data if isinstance(data, dict) else None
    except Exception:
        return None
    return None


def store_file(identifier: str, pdf: bytes) -> str:
    return default_storage.save(f"certificates/{identifier}.pdf", ContentFile(pdf))


def file_bytes(path: str) -> bytes:
    with default_storage.open(path, "rb") as fh:
        data: bytes = fh.read()
    return data


# --- offline verification -------------------------------------------------------------


@dataclass
class FileCheck:
    valid: bool = False
    identifier: str = ""
    pades_valid: bool = False
    pades_signer: str = ""
    metadata_found: bool = False
    metadata_matches: bool = False
    digest_matches: bool = False
    seal_signature_valid: bool = False
    seal_code: str = ""
    seal_known: bool = False
    problems: list[str] = field(default_factory=list)


def sidecar_from(
    metadata: dict[str, Any],
    file_sm3: str,
    signature: str,
    algorithm: str,
    seal_code: str,
    seal_name: str,
    public_key: str,
) -> dict[str, Any]:
    return {
        "metadata": metadata,
        "file_sm3": file_sm3,
        "signature": signature,
        "algorithm": algorithm,
        "seal": {"code": seal_code, "name": seal_name, "public_key": public_key},
    }


def verify_file(
    pdf: bytes,
    sidecar: dict[str, Any] | None = None,
    *,
    registry: Any = None,
) -> FileCheck:
    """Check a certificate PDF (and its detached signature file).

    ``registry(identifier) -> sidecar dict | None`` supplies the signature
    when no sidecar is given, and ``registry.public_key(seal_code)`` — when
    present — the trusted public key of a seal (the sidecar's own key is only
    used when the seal is unknown to this platform, and then reported).
    """
    from yiwang.core.signing import verify_pdf

    check = FileCheck()
    pades = verify_pdf(pdf)
    check.pades_valid = pades.valid
    check.pades_signer = pades.signer
    if not pades.valid:
        check.problems.append(f"PDF签名无效：{pades.problem}")
    embedded = extract_metadata(pdf)
    check.metadata_found = embedded is not None
    if embedded is None:
        check.problems.append("文件中没有证照元数据（metadata.json）")
    check.identifier = str((embedded or {}).get("identifier", ""))
    if sidecar is None and registry is not None and check.identifier:
        sidecar = registry(check.identifier)
    if sidecar is None:
        check.problems.append("没有证照签名数据，无法核验印章签名")
        return check
    metadata = sidecar.get("metadata")
    if not isinstance(metadata, dict):
        check.problems.append("签名数据中没有元数据")
        return check
    check.identifier = check.identifier or str(metadata.get("identifier", ""))
    check.metadata_matches = embedded is not None and canonical(embedded) == canonical(metadata)
    if embedded is not None and not check.metadata_matches:
        check.problems.append("文件内嵌的元数据与签名数据中的元数据不一致")
    file_sm3 = str(sidecar.get("file_sm3", ""))
    check.digest_matches = sm3_hex(pdf) == file_sm3
    if not check.digest_matches:
        check.problems.append("文件的SM3摘要与签名时不一致（文件已被改动）")
    seal_info = sidecar.get("seal") or {}
    check.seal_code = str(seal_info.get("code", ""))
    public_key = str(seal_info.get("public_key", ""))
    trusted_key = None
    if registry is not None and hasattr(registry, "public_key"):
        trusted_key = registry.public_key(check.seal_code)
    if trusted_key is not None:
        check.seal_known = True
        if public_key and public_key != trusted_key:
            check.problems.append("签名数据中的印章公钥与平台登记的不一致")
        public_key = trusted_key
    else:
        check.problems.append("印章不在本平台登记，仅用签名数据自带的公钥核验")
    check.seal_signature_valid = seals.verify(
        str(sidecar.get("algorithm", "")),
        public_key,
        signed_message(metadata, file_sm3),
        str(sidecar.get("signature", "")),
    )
    if not check.seal_signature_valid:
        check.problems.append("电子印章签名无效（元数据或文件摘要被改动）")
    check.valid = (
        check.pades_valid
        and check.metadata_matches
        and check.digest_matches
        and check.seal_signature_valid
        and check.seal_known
    )
    return check
