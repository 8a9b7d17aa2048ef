"""Demo certificates (电子证照): the types 无锡市市场监督管理局 keeps on the
platform (defined nationally by 国家市场监督管理总局 / 国家药品监督管理局,
with the type codes the demo guides' materials already name, so 免证办 can
match them), each linked to its catalogue entry; certificates for the demo
cases that were granted and went through 制证 before the types existed; and
legacy 营业执照 / 食品经营许可证 imported for the demo entities, so a holder
has something in the wallet and 免证办 something to use.

Idempotent: types by code, links by entry, a case's certificate once, legacy
certificates by type and number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yiwang.core.actors import SYSTEM
from yiwang.demo.catalog_data.common import CERT
from yiwang.domains.accounts.models import Entity
from yiwang.domains.cases.models import Case, Decision
from yiwang.domains.catalog.models import CatalogEntry
from yiwang.domains.certificates import services
from yiwang.domains.certificates.models import Certificate, CertificateType, ItemCertificateType
from yiwang.domains.orgs.models import Staff

SAMR = "国家市场监督管理总局"
NMPA = "国家药品监督管理局"

# key of CERT, name, definer, holder kind, validity years, number prefix,
# the catalogue entries (basic codes) whose result it is, fields of the face
TYPES: list[tuple[str, str, str, str, int | None, str, list[str], dict[str, str]]] = [
    (
        "business_licence",
        "营业执照",
        SAMR,
        "entity",
        None,
        "",
        ["010130002000", "010130003001"],
        {"name": "名称", "legal_representative": "法定代表人", "address": "住所",
         "scope": "经营范围"},
    ),
    (
        "food_business_licence",
        "食品经营许可证",
        SAMR,
        "entity",
        5,
        "JY",
        ["010130001000"],
        {"operator": "经营者名称", "address": "经营场所", "business_type": "主体业态",
         "scope": "经营项目"},
    ),
    (
        "special_equipment_registration",
        "特种设备使用登记证",
        SAMR,
        "entity",
        None,
        "TS",
        ["010130004000"],
        {"equipment_code": "设备代码", "installation_address": "设备使用地点",
         "safety_manager": "安全管理员"},
    ),
    (
        "drug_business_licence",
        "药品经营许可证",
        NMPA,
        "entity",
        5,
        "SY",
        ["010130005000"],
        {"operator": "企业名称", "address": "注册地址", "scope": "经营范围"},
    ),
]  # fmt: skip


def _schema(entries: list[CatalogEntry], fields: dict[str, str]) -> dict[str, Any]:
    """The type's face: its own fields plus the fields of the linked items'
    application forms (so a granted case's form fills the certificate)."""
    props: dict[str, Any] = {k: {"type": "string", "title": t} for k, t in fields.items()}
    for entry in entries:
        for item in entry.items.select_related("current"):
            version = item.current
            if version is None:
                continue
            for variant in version.variants.all():
                for name, prop in ((variant.form_schema or {}).get("properties") or {}).items():
                    if name not in props and isinstance(prop, dict):
                        props[name] = {
                            k: v for k, v in prop.items() if k in ("type", "title", "format")
                        }
    return {"type": "object", "properties": props}


def _types(keeper: Any) -> dict[str, CertificateType]:
    out: dict[str, CertificateType] = {}
    for key, name, definer, kind, years, prefix, codes, fields in TYPES:
        code = CERT[key]
        entries = list(CatalogEntry.objects.filter(basic_code__in=codes))
        ctype = CertificateType.objects.filter(code=code).first()
        if ctype is None:
            ctype = services.certificate_type_create(
                actor=SYSTEM,
                defining_agency=keeper,
                code_suffix=code[-3:],
                name=name,
                holder_kind=kind,
                field_schema=_schema(entries, fields),
                validity_years=years,
                shared=True,
                number_prefix=prefix,
                definer_name=definer,
                definer_code=code[:18],
                description=f"由{definer}统一定义，{keeper.name}在本平台维护并签发。",
            )
        out[key] = ctype
        for entry in entries:
            if not ItemCertificateType.objects.filter(entry=entry).exists():
                services.item_certificate_type_link(actor=SYSTEM, entry=entry, ctype=ctype)
    return out


def _legacy(types: dict[str, CertificateType], issuer: Any, actor: Any) -> int:
    made = 0
    for n, entity in enumerate(Entity.objects.select_related("user").order_by("pk")[:6]):
        wanted: list[tuple[CertificateType, str, dict[str, str], dt.date | None]] = [
            (
                types["business_licence"],
                entity.credit_code,
                {
                    "name": entity.name,
                    "legal_representative": entity.legal_representative,
                    "address": "无锡市梁溪区中山路100号",
                    "scope": "依法须经批准的项目，经相关部门批准后方可开展经营活动",
                },
                None,
            )
        ]
        if n % 2 == 0:
            wanted.append(
                (
                    types["food_business_licence"],
                    f"JY13202{13 + n:02d}{entity.pk:07d}",
                    {
                        "operator": entity.name,
                        "address": "无锡市梁溪区中山路100号",
                        "business_type": "餐饮服务经营者（小型餐饮）",
                        "scope": "热食类食品制售",
                    },
                    dt.date(2024, 3, 1),
                )
            )
        for ctype, number, data, issued in wanted:
            if Certificate.objects.filter(type=ctype, number=number).exists():
                continue
            issued = issued or dt.date(2021, 5, 10) + dt.timedelta(days=37 * n)
            services.certificate_issue(
                actor=actor,
                issuer=issuer,
                type_id=ctype.pk,
                holder=entity.user,
                data=data,
                number=number,
                issued_on=issued,
                valid_from=issued,
                valid_to=(
                    issued.replace(year=issued.year + ctype.validity_years) - dt.timedelta(days=1)
                    if ctype.validity_years
                    else None
                ),
                source="import",
            )
            made += 1
    return made


def load_certificates() -> dict[str, int]:
    """Types, links, certificates of granted demo cases, legacy certificates."""
    clerk = Staff.objects.select_related("agency").filter(user__username="wx_scj_clerk").first()
    if clerk is None:
        return {"types": 0, "issued": 0, "legacy": 0}
    keeper = clerk.agency
    before = CertificateType.objects.count()
    types = _types(keeper)
    issued = 0
    for case in Case.objects.filter(
        idempotency_key__startswith="demo-",
        decision=Decision.GRANTED,
        steps__code="certify",
        steps__status="done",
    ).order_by("pk"):
        if Certificate.objects.filter(case=case).exists():
            continue
        if services.certificate_issue_for_case(actor=clerk, case_id=case.pk) is not None:
            issued += 1
    legacy = _legacy(types, keeper, clerk)
    return {
        "types": CertificateType.objects.count() - before,
        "issued": issued,
        "legacy": legacy,
    }
