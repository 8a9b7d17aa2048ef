"""The case world plus certificates: 食品经营许可 of 梁溪区市场监督管理局
with a 制证 step, whose catalogue entry results in the type 食品经营许可证
(defined by 无锡市市场监督管理局, code = its credit code + "001").

Staff: ``types_admin`` (单位管理员 at the city bureau: types and seals),
the case world's clerk (制证, certificates.issue) and head (unit_head:
certificates.revoke) at 梁溪区市场监督管理局.

    from yiwang.domains.certificates.tests.conftest import cert_world, granted_case
"""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.domains.cases import services as case_services
from yiwang.domains.cases.models import Case
from yiwang.domains.cases.tests.conftest import FORM, case_world, pdf, png  # noqa: F401
from yiwang.domains.catalog.tests.conftest import full_guide, make_staff, publish_item
from yiwang.domains.certificates import services
from yiwang.domains.orgs.models import Staff

STEPS = [
    {"code": "accept", "name": "受理", "role_code": "clerk", "time_limit": 1},
    {"code": "review", "name": "审查", "role_code": "reviewer", "time_limit": 2},
    {"code": "decide", "name": "决定", "role_code": "approver", "time_limit": 1},
    {"code": "certify", "name": "制证", "role_code": "clerk", "time_limit": 1},
    {"code": "deliver", "name": "送达", "role_code": "clerk", "time_limit": 1},
]

FOOD_SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "title": "经营者名称"},
        "address": {"type": "string", "title": "经营场所"},
        "area": {"type": "number", "title": "经营面积（平方米）"},
    },
    "required": ["applicant_name", "address"],
}


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


@pytest.fixture
def cert_world(case_world: Any) -> Any:  # noqa: F811
    return add_certificates(case_world)


def add_certificates(w: Any) -> Any:
    """The certificate part of the world, added to a built case world."""
    w["types_admin"] = make_staff(w.city_scj, "cert_types_admin", ["unit_admin"], "韩立新")
    w["lx_admin"] = make_staff(w.lx_scj, "cert_lx_admin", ["unit_admin"], "顾晓梅")
    w["cert_item"] = publish_item(
        city=w, guide=full_guide(steps=STEPS), name="食品经营许可（制证）"
    )
    w["food_type"] = services.certificate_type_create(
        actor=fresh(w.types_admin),
        defining_agency=w.city_scj,
        code_suffix="001",
        name="食品经营许可证",
        holder_kind="person",
        field_schema=FOOD_SCHEMA,
        validity_years=5,
        shared=True,
        number_prefix="JY",
    )
    services.item_certificate_type_link(
        actor=fresh(w.types_admin), entry=w.cert_item.entry, ctype=w.food_type
    )
    return w


def decided_case(w: Any, applicant: Any = None) -> Case:
    """A case of the 制证 item, granted, its 制证 step active."""
    me = applicant or w.applicant
    case = case_services.case_draft_save(
        actor=me, item_id=w.cert_item.pk, variant_code="first", form_data=FORM
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="application", data=pdf("申请书"), filename="申请书.pdf"
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="licence", data=png(), filename="营业执照.png"
    )
    case_services.case_material_upload(
        actor=me, case_id=case.pk, code="layout", data=pdf("平面图"), filename="平面图.pdf"
    )
    case = case_services.case_submit(actor=me, case_id=case.pk)
    case_services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    case_services.case_step_complete(
        actor=fresh(w.reviewer), step_id=case.steps.get(code="review").pk, opinion="通过"
    )
    case_services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合法定条件"
    )
    return Case.objects.get(pk=case.pk)


def granted_case(w: Any, applicant: Any = None) -> Case:
    """As decided_case, with 制证 completed by the clerk (issues the certificate)."""
    case = decided_case(w, applicant)
    case_services.case_step_complete(
        actor=fresh(w.clerk), step_id=case.steps.get(code="certify").pk, opinion="已制证"
    )
    return Case.objects.get(pk=case.pk)
