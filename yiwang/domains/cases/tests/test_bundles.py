"""一件事 applications (R6.5) and joint handling (R6.2), through the services
and the portal, on the real database and real files."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core.actors import SYSTEM
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.domains.cases import selectors, services
from yiwang.domains.cases.bundles import material_code
from yiwang.domains.cases.lifecycle import Status
from yiwang.domains.cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseMaterial,
    CaseStep,
    Delivery,
    MaterialStatus,
    Notification,
    StepStatus,
)
from yiwang.domains.cases.tests.conftest import FORM, pdf, png
from yiwang.domains.catalog import selectors as catalog_selectors
from yiwang.domains.catalog import services as catalog_services
from yiwang.domains.catalog.errors import ItemNotAcceptingApplications
from yiwang.domains.catalog.tests.conftest import full_guide, make_staff, publish_item
from yiwang.domains.orgs.models import Staff

BUNDLE = "YJS-CY-001"
FIRE_FORM = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "title": "申请人名称"},
        "address": {"type": "string", "title": "经营场所"},
        "floors": {"type": "integer", "title": "层数"},
    },
    "required": ["applicant_name", "floors"],
}
APPLICATION = {**FORM, "floors": 2}


def fresh(staff: Staff) -> Staff:
    return Staff.objects.get(pk=staff.pk)


@pytest.fixture
def bundle_world(case_world: Any) -> Any:
    """开办餐饮店 of 梁溪区: 食品经营许可 (梁溪区市场监督管理局) and a fire
    check of 无锡市公安局, both needing the 营业执照 (same certificate type)."""
    w = case_world
    guide = full_guide()
    licence = dict(guide["materials"][1])  # 营业执照, same certificate type
    plan = {
        "code": "fire_plan",
        "name": "消防设施平面图",
        "kind": "other",
        "form": "electronic",
        "necessity": "required",
        "copies": 1,
        "source": "applicant",
    }
    w["fire"] = publish_item(
        city=w,
        agency=w.city_gaj,
        name="公众聚集场所投入使用前消防安全检查",
        guide=full_guide(
            variants=[{"code": "first", "name": "首次申请", "form_schema": FIRE_FORM}],
            materials=[licence, plan],
        ),
    )
    w["bundle"] = catalog_services.bundle_create(
        actor=w.lx_admin,
        code=BUNDLE,
        name="开办餐饮店",
        division=w.lx,
        lead_agency=w.lx_scj,
        audience="both",
        items=[w.item, w.fire],
        promised_limit=5,
    )
    w["gaj_clerk"] = make_staff(w.city_gaj, "gaj_clerk", ["clerk"], "何静")
    w["gaj_reviewer"] = make_staff(w.city_gaj, "gaj_reviewer", ["reviewer"], "马俊")
    w["gaj_approver"] = make_staff(w.city_gaj, "gaj_approver", ["approver"], "高峰")
    return w


def keys(w: Any) -> dict[str, str]:
    """Merged material name → key."""
    return {m["name"]: m["key"] for m in catalog_selectors.bundle_merged_materials(w.bundle)}


def drafted(w: Any) -> Case:
    """A draft 开办餐饮店 with every material but the fire plan uploaded."""
    me = w.applicant
    case = services.bundle_draft_save(actor=me, bundle_code=BUNDLE, form_data=APPLICATION)
    k = keys(w)
    for name, data, filename in (
        ("食品经营许可申请书", pdf("申请书"), "申请书.pdf"),
        ("营业执照", png(), "营业执照.png"),
        ("经营场所平面布局图", pdf("布局图"), "布局图.pdf"),
    ):
        services.bundle_material_upload(
            actor=me, case_id=case.pk, key=k[name], data=data, filename=filename
        )
    return case


def handle(case: Case, clerk: Staff, reviewer: Staff, approver: Staff) -> Case:
    """Accept → review → grant → deliver, by the part's own agency."""
    services.case_accept(actor=fresh(clerk), case_id=case.pk)
    review = CaseStep.objects.get(case=case, code="review")
    services.case_step_claim(actor=fresh(reviewer), step_id=review.pk)
    services.case_step_complete(actor=fresh(reviewer), step_id=review.pk, opinion="符合要求")
    services.case_decide(
        actor=fresh(approver), case_id=case.pk, decision="granted", reason="符合法定条件"
    )
    services.case_deliver(actor=fresh(clerk), case_id=case.pk, way="window")
    case.refresh_from_db()
    return case


def test_bundle_application_for_a_restaurant_end_to_end(bundle_world):
    """R6.5, R5.1, R5.6: A bundle application for 开办餐饮店 creates sub-cases
    at each agency, asks a shared material once, and concludes when all
    parts conclude — one stored 营业执照 shared by both parts, each part
    pinned to its item's version with its own number at its own agency, the
    parent concluding only after the last part, with one delivery and one
    final notification."""
    w = bundle_world
    me = w.applicant
    k = keys(w)
    # One merged list: 营业执照 is asked once for both items.
    assert set(k) == {"食品经营许可申请书", "营业执照", "经营场所平面布局图", "消防设施平面图"}
    parent = drafted(w)
    assert parent.kind == CaseKind.BUNDLE and parent.status == Status.DRAFT
    assert parent.agency_id == w.lx_scj.pk and parent.division_id == w.lx.pk

    # Incomplete: the fire plan is missing, and the merged form wants 层数.
    with pytest.raises(ValidationFailed, match="消防设施平面图"):
        services.bundle_submit(actor=me, case_id=parent.pk, idempotency_key="yjs-1")
    services.bundle_draft_save(actor=me, bundle_code=BUNDLE, form_data=FORM, case_id=parent.pk)
    services.bundle_material_upload(
        actor=me, case_id=parent.pk, key=k["消防设施平面图"], data=pdf("平面图"), filename="图.pdf"
    )
    with pytest.raises(ValidationFailed, match="层数"):
        services.bundle_submit(actor=me, case_id=parent.pk, idempotency_key="yjs-1")
    assert not Case.objects.filter(parent=parent).exists()
    services.bundle_draft_save(
        actor=me, bundle_code=BUNDLE, form_data=APPLICATION, case_id=parent.pk
    )
    parent = services.bundle_submit(actor=me, case_id=parent.pk, idempotency_key="yjs-1")
    again = services.bundle_submit(actor=me, case_id=parent.pk, idempotency_key="yjs-1")
    assert again.pk == parent.pk and parent.status == Status.HANDLING and parent.number
    parts = list(Case.objects.filter(parent=parent).order_by("pk"))
    assert len(parts) == 2  # the retry made nothing new
    food, fire = parts
    assert {p.agency_id for p in parts} == {w.lx_scj.pk, w.city_gaj.pk}
    assert [p.kind for p in parts] == [CaseKind.BUNDLE_PART] * 2
    assert all(p.status == Status.SUBMITTED for p in parts)
    assert len({parent.number, food.number, fire.number}) == 3
    assert fire.number.startswith("320200-") and food.number.startswith("320213-")
    assert food.version_id == w.item.current_id and fire.version_id == w.fire.current_id
    assert fire.form_data == {"applicant_name": "张伟", "address": FORM["address"], "floors": 2}
    assert food.form_data == FORM

    # The 营业执照 was uploaded once and is stored once: both parts point at it.
    licence = CaseMaterial.objects.get(case=parent, code=material_code(k["营业执照"]))
    shared = CaseMaterial.objects.filter(case__in=parts, code="licence")
    assert shared.count() == 2
    assert {(m.path, m.sm3) for m in shared} == {(licence.path, licence.sm3)}
    assert {m.case_id for m in shared} == {food.pk, fire.pk}
    assert set(CaseMaterial.objects.filter(case=fire).values_list("code", flat=True)) == {
        "licence",
        "fire_plan",
    }
    assert CaseMaterial.objects.filter(case=food, code="layout").get().status == (
        MaterialStatus.PROVIDED
    )

    # Each agency's clerk sees its own part in its intake queue.
    assert [c.pk for c in selectors.case_queue(fresh(w.gaj_clerk), "intake")] == [fire.pk]
    assert food.pk in [c.pk for c in selectors.case_queue(fresh(w.clerk), "intake")]

    food = handle(food, w.clerk, w.reviewer, w.approver)
    assert food.status == Status.CONCLUDED and food.delivery_way == "bundle"
    parent.refresh_from_db()
    assert parent.status == Status.HANDLING  # the fire check is still open
    assert not Notification.objects.filter(user=me.user, title__contains="办结").exists()

    fire = handle(fire, w.gaj_clerk, w.gaj_reviewer, w.gaj_approver)
    parent.refresh_from_db()
    assert fire.status == Status.CONCLUDED
    assert parent.status == Status.CONCLUDED and parent.concluded_at is not None
    finals = Notification.objects.filter(user=me.user, title__contains="办结")
    assert [n.case_id for n in finals] == [parent.pk]  # one reply
    assert "食品经营许可" in finals[0].body and "准予许可" in finals[0].body
    assert Delivery.objects.filter(case__in=[parent, food, fire]).count() == 1
    assert Delivery.objects.get().case_id == parent.pk
    titles = [
        e.title
        for e in selectors.public_events(selectors.case_for_applicant(me.user, parent.number))
    ]
    assert titles[0] == "提交“一件事”申请" and titles[-1] == "一件事全部办结"
    mine = selectors.cases_of_applicant(me.user)
    assert [c.pk for c in mine] == [parent.pk]  # parts are shown in their parent


def test_a_suspended_member_refuses_the_whole_bundle(bundle_world):
    """R6.5, R4.4: one suspended member item refuses the bundle with a clear
    message naming it; nothing is made and the draft stays."""
    w = bundle_world
    parent = drafted(w)
    services.bundle_material_upload(
        actor=w.applicant,
        case_id=parent.pk,
        key=keys(w)["消防设施平面图"],
        data=pdf("平面图"),
        filename="图.pdf",
    )
    catalog_services.service_item_suspend(
        actor=SYSTEM, item=w.fire, reason="other", note="系统升级"
    )
    with pytest.raises(ItemNotAcceptingApplications, match=r"开办餐饮店.*暂停办理"):
        services.bundle_submit(actor=w.applicant, case_id=parent.pk, idempotency_key="k")
    parent.refresh_from_db()
    assert parent.status == Status.DRAFT and parent.number is None
    assert not Case.objects.filter(parent=parent).exists()
    # Someone else cannot submit or fill the applicant's draft.
    with pytest.raises(Exception, match="申请人"):
        services.bundle_submit(actor=w.applicant2, case_id=parent.pk)


def test_a_part_refused_and_the_other_granted_ends_the_bundle(bundle_world):
    """R6.5: the parent follows its parts — a refusal at one agency does not
    end it; it concludes when the last part concludes."""
    w = bundle_world
    parent = drafted(w)
    services.bundle_material_upload(
        actor=w.applicant,
        case_id=parent.pk,
        key=keys(w)["消防设施平面图"],
        data=pdf("平面图"),
        filename="图.pdf",
    )
    parent = services.bundle_submit(actor=w.applicant, case_id=parent.pk)
    food, fire = Case.objects.filter(parent=parent).order_by("pk")
    with pytest.raises(Conflict, match="子件"):
        services.case_request_correction(
            actor=fresh(w.clerk), case_id=parent.pk, lines=[{"code": "form", "problem": "补"}]
        )
    services.case_refuse(actor=fresh(w.gaj_clerk), case_id=fire.pk, reason="不属于本机关职权范围")
    parent.refresh_from_db()
    assert parent.status == Status.HANDLING
    handle(food, w.clerk, w.reviewer, w.approver)
    parent.refresh_from_db()
    assert parent.status == Status.CONCLUDED
    final = Notification.objects.get(case=parent, title__contains="全部办结")
    assert "不予受理" in final.body and "准予许可" in final.body


def test_withdrawing_a_bundle_withdraws_its_open_parts(bundle_world):
    """R6.5, R6.4: the applicant withdraws the bundle before any decision:
    every part is withdrawn with it."""
    w = bundle_world
    parent = drafted(w)
    services.bundle_material_upload(
        actor=w.applicant,
        case_id=parent.pk,
        key=keys(w)["消防设施平面图"],
        data=pdf("平面图"),
        filename="图.pdf",
    )
    parent = services.bundle_submit(actor=w.applicant, case_id=parent.pk)
    food = Case.objects.filter(parent=parent).order_by("pk").first()
    services.case_accept(actor=fresh(w.clerk), case_id=food.pk)
    services.case_withdraw(actor=w.applicant, case_id=parent.pk, reason="不开店了")
    statuses = set(Case.objects.filter(parent=parent).values_list("status", flat=True))
    assert statuses == {Status.WITHDRAWN}
    assert not CaseStep.objects.filter(case=food, status=StepStatus.ACTIVE).exists()


def test_joint_handling_waits_for_the_co_handling_agency(case_world):
    """R6.2, Art. 42: the lead forwards an accepted case to a second agency
    (45 working days, extensions up to 15); the lead's decision is refused
    while the part is open and allowed once the co-agency has given its
    opinion; the applicant sees one case and one reply."""
    w = case_world
    me = w.applicant
    case = services.case_draft_save(
        actor=me, item_id=w.item.pk, variant_code="first", form_data=FORM
    )
    for code, data, name in (
        ("application", pdf(), "申请书.pdf"),
        ("licence", png(), "照.png"),
        ("layout", pdf("布局"), "布局.pdf"),
    ):
        services.case_material_upload(
            actor=me, case_id=case.pk, code=code, data=data, filename=name
        )
    case = services.case_submit(actor=me, case_id=case.pk)
    with pytest.raises(Conflict, match="受理后"):
        services.case_forward(
            actor=fresh(w.reviewer), case_id=case.pk, agency_ids=[w.bh_scj.pk], note="请会办"
        )
    case = services.case_accept(actor=fresh(w.clerk), case_id=case.pk)
    due_before = case.statutory_due
    with pytest.raises(ValidationFailed):
        services.case_forward(
            actor=fresh(w.reviewer), case_id=case.pk, agency_ids=[w.lx_scj.pk], note="请会办"
        )
    (part,) = services.case_forward(
        actor=fresh(w.reviewer), case_id=case.pk, agency_ids=[w.bh_scj.pk], note="请核查分店"
    )
    case.refresh_from_db()
    assert case.kind == CaseKind.JOINT and case.statutory_limit == 45
    assert case.statutory_due > due_before
    assert part.kind == CaseKind.JOINT_PART and part.parent_id == case.pk
    assert part.agency_id == w.bh_scj.pk and part.version_id == case.version_id
    assert part.status == Status.HANDLING and part.number
    steps = list(CaseStep.objects.filter(case=part).order_by("order"))
    assert [(s.name, s.role_code, s.status) for s in steps] == [
        ("会办审查", "reviewer", StepStatus.ACTIVE),
        ("送达", "clerk", StepStatus.SKIPPED),
    ]
    assert CaseMaterial.objects.filter(case=part).count() == 3
    # The co-agency's reviewer finds it in the handling queue.
    assert [c.pk for c in selectors.case_queue(fresh(w.assistant), "handling")] == [part.pk]

    review = CaseStep.objects.get(case=case, code="review")
    services.case_step_complete(actor=fresh(w.reviewer), step_id=review.pk, opinion="材料齐全")
    with pytest.raises(Conflict, match="协办/会办单位尚未办结：无锡市滨湖区市场监督管理局"):
        services.case_decide(
            actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合条件"
        )
    # The lead's own staff cannot give the co-agency's opinion.
    with pytest.raises(Exception, match="会办审查"):
        services.case_step_complete(actor=fresh(w.reviewer), step_id=steps[0].pk, opinion="同意")
    services.case_step_complete(actor=fresh(w.assistant), step_id=steps[0].pk, opinion="同意")
    part.refresh_from_db()
    assert part.status == Status.CONCLUDED and part.decision == "granted"
    assert CaseEvent.objects.filter(case=case, kind="joint_opinion", public=False).exists()

    ext = services.case_extend(actor=fresh(w.head), case_id=case.pk, days=15, reason="联合办理")
    assert ext.days == 15
    services.case_decide(
        actor=fresh(w.approver), case_id=case.pk, decision="granted", reason="符合条件"
    )
    services.case_deliver(actor=fresh(w.clerk), case_id=case.pk, way="electronic")
    case.refresh_from_db()
    assert case.status == Status.CONCLUDED
    # One case and one reply for the applicant; the part's story is internal.
    assert not CaseEvent.objects.filter(case=part, public=True).exists()
    assert not Notification.objects.filter(case=part).exists()
    assert [c.pk for c in selectors.cases_of_applicant(me.user)] == [case.pk]
    assert Notification.objects.filter(case=case, title__contains="办结").count() == 1


def test_portal_apply_for_a_bundle(bundle_world, client):
    """R6.5, R5.1: the portal's apply page asks the merged form and each
    merged material once; a submission creates the parent and its parts,
    shown with their agencies and status; a missing file keeps the draft."""
    w = bundle_world
    client.force_login(w.applicant.user)
    url = f"/bundles/{BUNDLE}/apply/"
    guide = client.get(f"/bundles/{BUNDLE}/").content.decode()
    assert f'href="{url}"' in guide  # the bundle's page links to applying
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("营业执照") == 1  # one upload for both items
    assert "层数" in html and "消防设施平面图" in html
    token = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    k = keys(w)
    fields = {f"m_{i}": k[n] for i, n in enumerate(k)}
    index = {n: i for i, n in enumerate(k)}
    data: dict[str, Any] = {
        "f_applicant_name": "张伟",
        "f_address": FORM["address"],
        "f_area": "60",
        "f_floors": "2",
        "idempotency_key": token,
        "action": "submit",
        f"file_{index['食品经营许可申请书']}": SimpleUploadedFile("申请书.pdf", pdf()),
        f"file_{index['营业执照']}": SimpleUploadedFile("执照.png", png()),
    }
    del fields
    answer = client.post(url, data)
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "还缺少申请材料" in text and "消防设施平面图" in text
    draft = Case.objects.get(applicant=w.applicant.user, kind=CaseKind.BUNDLE)
    assert draft.status == Status.DRAFT
    assert CaseMaterial.objects.filter(case=draft).count() == 2  # kept
    assert "执照.png" in text  # the draft shows what it has

    answer = client.post(
        url,
        {
            "f_applicant_name": "张伟",
            "f_address": FORM["address"],
            "f_floors": "2",
            "idempotency_key": token,
            "action": "submit",
            "draft": str(draft.pk),
            f"file_{index['消防设施平面图']}": SimpleUploadedFile("图.pdf", pdf("图")),
            f"file_{index['经营场所平面布局图']}": SimpleUploadedFile("布局.pdf", pdf("布")),
        },
    )
    draft.refresh_from_db()
    assert draft.status == Status.HANDLING
    assert answer.status_code == 302 and answer["Location"].endswith(f"/my/bundles/{draft.number}/")
    result = client.get(answer["Location"]).content.decode()
    for part in Case.objects.filter(parent=draft).select_related("agency"):
        assert part.number in result and part.agency.name in result
    assert result.count("待受理") == 2
    # Another applicant cannot see it.
    client.force_login(w.applicant2.user)
    assert client.get(answer["Location"]).status_code == 404
