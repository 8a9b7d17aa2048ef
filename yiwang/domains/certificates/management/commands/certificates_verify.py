"""Verify a certificate file offline (R7.5):

    yiwang certificates_verify <file.pdf> [--metadata <identifier>.json] [--json]

Checks, without any network access: the agency's PAdES signature (chain to
the platform root), the metadata embedded in the PDF (metadata.json) against
the detached signature file, the file's SM3 against the signed digest, and
the seal's SM2 signature over metadata + digest with the seal's public key
from this platform's seal registry. Without ``--metadata`` the signature is
taken from this platform's certificate records. Exit status 0 when valid,
1 when not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.domains.certificates.documents import verify_file
from yiwang.domains.certificates.selectors import Registry


class Command(BaseCommand):
    help = "离线核验电子证照文件（PDF签名、元数据、SM3摘要、电子印章SM2签名）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="电子证照 PDF 文件")
        parser.add_argument("--metadata", help="证照签名数据文件（<证照标识>.json）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出核验结果")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        sidecar = None
        if options.get("metadata"):
            meta_path = Path(options["metadata"])
            try:
                sidecar = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"签名数据文件无法读取：{exc}") from exc
            if not isinstance(sidecar, dict):
                raise CommandError("签名数据文件格式不正确")
        check = verify_file(path.read_bytes(), sidecar, registry=Registry())
        if options.get("json"):
            self.stdout.write(json.dumps(check.__dict__, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"证照标识：{check.identifier or '（未知）'}")
            self.stdout.write(
                f"PDF签名：{'有效' if check.pades_valid else '无效'} {check.pades_signer}"
            )
            self.stdout.write(f"元数据一致：{'是' if check.metadata_matches else '否'}")
            self.stdout.write(f"文件摘要一致：{'是' if check.digest_matches else '否'}")
            seal = "有效" if check.seal_signature_valid else "无效"
            self.stdout.write(f"电子印章签名：{seal} {check.seal_code}")
            for problem in check.problems:
                self.stdout.write(f"问题：{problem}")
            self.stdout.write(
                "结论：" + ("核验通过，证照文件真实完整" if check.valid else "核验未通过")
            )
        if not check.valid:
            raise SystemExit(1)
