"""``yiwang signing …``: the platform root CA and agencies' signing keys
(docs/documents.md).

    yiwang signing init                   create the platform root (once)
    yiwang signing show                   where the keys are, fingerprints, expiries
    yiwang signing rotate CREDIT_CODE     issue a new key for an agency (old kept)
    yiwang signing verify FILE.pdf        check a signed PDF offline
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yiwang.core import signing
from yiwang.core.actors import SYSTEM
from yiwang.core.errors import DomainError


class Command(BaseCommand):
    help = "平台文书签名根证书与机构签名密钥：init / show / rotate / verify"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="生成平台根证书（已存在则只显示）")
        sub.add_parser("show", help="显示密钥目录、根证书指纹和各机构证书有效期")
        rotate = sub.add_parser("rotate", help="为机构签发新的签名证书（旧证书保留用于核验）")
        rotate.add_argument("credit_code", help="机构的统一社会信用代码")
        rotate.add_argument("--reason", default="运维轮换")
        verify = sub.add_parser("verify", help="核验已签名的 PDF 文件")
        verify.add_argument("file")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "init":
            cert, created = signing.init_root()
            self.stdout.write(("已生成" if created else "已存在") + f"：{signing.key_dir()}")
            self._root(cert)
        elif action == "show":
            self._show()
        elif action == "rotate":
            self._rotate(opts["credit_code"], opts["reason"])
        elif action == "verify":
            self._verify(Path(opts["file"]))

    def _root(self, cert: Any) -> None:
        self.stdout.write(f"根证书：{cert.subject.rfc4514_string()}")
        self.stdout.write(f"指纹（SHA-256）：{signing.fingerprint(cert)}")
        self.stdout.write(f"有效期至：{cert.not_valid_after_utc:%Y-%m-%d}")

    def _show(self) -> None:
        from yiwang.domains.orgs.models import AgencyKey

        folder = signing.key_dir()
        self.stdout.write(f"密钥目录：{folder}")
        if not (folder / signing.ROOT_CERT_FILE).exists():
            self.stdout.write("尚未生成平台根证书（yiwang signing init）")
            return
        self._root(signing.platform_root_cert())
        extra = len(signing.trust_roots()) - 1
        self.stdout.write(f"另行信任的根证书：{extra} 个（{folder / signing.TRUSTED_DIR}）")
        soon = timezone.now() + dt.timedelta(days=60)
        rows = AgencyKey.objects.filter(active=True).select_related("agency").order_by("valid_to")
        self.stdout.write(f"在用的机构签名证书：{rows.count()} 个")
        for row in rows.filter(valid_to__lt=soon):
            self.stdout.write(f"  即将到期 {row.valid_to:%Y-%m-%d} {row.agency.name} {row.serial}")

    def _rotate(self, credit_code: str, reason: str) -> None:
        from yiwang.domains.orgs.models import Agency
        from yiwang.domains.orgs.services import agency_key_issue

        agency = Agency.objects.filter(credit_code=credit_code.strip().upper()).first()
        if agency is None:
            raise CommandError(f"没有统一社会信用代码为 {credit_code} 的机构")
        try:
            row = agency_key_issue(actor=SYSTEM, agency=agency, reason=reason)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已为「{agency.name}」签发新证书 {row.serial}，有效期至 {row.valid_to:%Y-%m-%d}"
        )

    def _verify(self, path: Path) -> None:
        result = signing.verify_pdf(path.read_bytes())
        if result.valid:
            self.stdout.write(
                f"有效：{result.signer}（{result.credit_code}）"
                f"签署于 {result.signed_at}，证书 {result.serial}"
            )
            return
        raise CommandError(f"无效：{result.problem}")
