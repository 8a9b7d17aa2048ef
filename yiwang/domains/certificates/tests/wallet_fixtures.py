"""A world for 免证办 and the wallet, built through the services (usable
from fixtures and from browser tests, which build their world by hand):
the case world, the type 食品经营许可证 (defined by 无锡市市场监督管理局),
张伟's certificate of it issued by 梁溪区市场监督管理局, and a published
item 食品经营许可延续 whose material ``food_licence`` is that type."""

from __future__ import annotations

from typing import Any

from yiwang.domains.catalog.tests.conftest import full_guide, make_staff, publish_item
from yiwang.domains.certificates import services
from yiwang.domains.orgs.models import Staff

FOOD_SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "title": "经营者名称"},
        "address": {"type": "string", "title": "经营场所"},
        "area": {"type": "number", "title": "经营面积（平方米）"},
    },
    "required": ["applicant_name", "address"],
}
FOOD_DATA = {"applicant_name": "张伟", "address": "无锡市梁溪区中山路1号", "area": 60}


def renewal_guide(type_code: str) -> Any:
    """食品经营许可延续: the holder's 食品经营许可证 is one of its materials."""
    return full_guide(
        materials=[
            {
                "code": "application",
                "name": "食品经营许可延续申请书",
                "kind": "form",
                "form": "electronic",
                "necessity": "required",
                "copies": 1,
                "source": "applicant",
            },
            {
                "code": "food_licence",
                "name": "食品经营许可证",
                "kind": "certificate",
                "form": "electronic",
                "necessity": "required",
                "copies": 1,
                "source": "government",
                "source_note": "市场监督管理部门核发",
                "certificate_type_code": type_code,
            },
        ]
    )


def add_wallet(w: Any) -> Any:
    """Add to a built case world (``build_case_world``): ``food_type``,
    ``licence`` (张伟's certificate) and ``renew_item``."""
    fresh = Staff.objects.get
    if "food_type" not in w:
        admin = make_staff(w.city_scj, "wallet_types_admin", ["unit_admin"], "韩立新")
        w["food_type"] = services.certificate_type_create(
            actor=fresh(pk=admin.pk),
            defining_agency=w.city_scj,
            code_suffix="001",
            name="食品经营许可证",
            holder_kind="person",
            field_schema=FOOD_SCHEMA,
            validity_years=5,
            shared=True,
            number_prefix="JY",
        )
    w["licence"] = services.certificate_issue(
        actor=fresh(pk=w.clerk.pk),
        issuer=w.lx_scj,
        type_id=w.food_type.pk,
        holder=w.applicant.user,
        data=FOOD_DATA,
    )
    w["renew_item"] = publish_item(
        city=w, guide=renewal_guide(w.food_type.code), name="食品经营许可延续"
    )
    return w
