"""R4.5: the violations that can be detected from the data — list not
published, not updated in time, flowchart missing, no duty items, handling
steps not following the internal flowchart, resume overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_verify
from yiwang.domains.catalog.models import Power
from yiwang.domains.catalog.powers import (
    power_basis_changed,
    power_change_decide,
    power_change_request,
    power_change_review,
    power_confirm,
    power_publish,
)
from yiwang.domains.catalog.powers_selectors import power_violations
from yiwang.domains.catalog.tests.conftest import (
    full_guide,
    make_agency,
    make_staff,
    publish_entry,
    publish_item,
)
from yiwang.domains.catalog.tests.test_powers_world import power_doc

pytestmark = pytest.mark.django_db

GUIDE_STEPS = [
    {"name": "受理", "actor_role": "窗口"},
    {"name": "审查"},
    {"name": "现场核查"},
    {"name": "决定"},
    {"name": "送达"},
]


@pytest.fixture
def vw(catalog_city):
    """The catalogue tests' city with a reform office and an approver."""
    bb = make_agency(catalog_city.city, "中共无锡市委机构编制委员会办公室")
    gov = make_agency(catalog_city.city, "无锡市人民政府办公室")
    catalog_city["reform"] = make_staff(bb, "v_reform", ["reform_office"], "严志刚")
    catalog_city["approver"] = make_staff(gov, "v_approver", ["gov_approver"], "冯建国")
    catalog_city["power_editor"] = make_staff(
        catalog_city.city_scj, "v_power", ["power_editor"], "邵佳慧"
    )
    return catalog_city


def _add(c, code, *, publish=True, **over):
    req = power_change_request(
        actor=SYSTEM,
        kind="add",
        agency=c.city_scj,
        reason="law_changed",
        data=power_doc(code, **over),
    )
    req = power_change_review(actor=c.reform, request=req, approve=True)
    req = power_change_decide(actor=c.approver, request=req, approve=True)
    power = Power.objects.get(pk=req.power_id)
    if publish and not power.secret:
        power = power_publish(actor=SYSTEM, power=power)
    return power


def _kinds(report, code):
    return sorted(v.kind for v in report.violations if v.power_code == code)


def test_each_kind_is_detected(vw, settings, django_assert_num_queries):
    """R4.5: each detectable violation shows for the power it concerns, and
    only there; secret powers are not expected to be published; cancelled
    powers are not checked. The report costs four queries at any size."""
    food = publish_entry(vw, name="食品经营许可")
    publish_item(city=vw, entry=food, agency=vw.city_scj)  # 受理 审查 现场核查 决定 送达
    shop = publish_entry(vw, name="个体工商户设立登记")
    # A district's implementation answers to the district's own list.
    publish_item(city=vw, entry=shop, guide=full_guide(steps=[full_guide()["steps"][0]]))
    publish_item(
        city=vw,
        entry=shop,
        agency=vw.city_scj,
        guide=full_guide(
            steps=[
                {"code": "accept", "name": "受理", "role_code": "clerk", "time_limit": 0},
                {"code": "decide", "name": "决定", "role_code": "approver", "time_limit": 0},
            ]
        ),
    )
    ok = _add(vw, "P-OK", entry=food.basic_code, steps=GUIDE_STEPS)
    mismatch = _add(vw, "P-MISMATCH", entry=shop.basic_code, steps=GUIDE_STEPS[:2])
    unpublished = _add(vw, "P-UNPUB", publish=False)
    secret = _add(vw, "P-SECRET", secret=True)
    no_steps = _add(vw, "P-NOSTEPS", steps=[])
    no_duties = _add(vw, "P-NODUTIES", duties=[])
    cancelled = _add(vw, "P-GONE", publish=False, steps=[], duties=[])
    req = power_change_request(actor=SYSTEM, kind="cancel", power=cancelled, reason="law_changed")
    power_change_decide(
        actor=vw.approver,
        request=power_change_review(actor=vw.reform, request=req, approve=True),
        approve=True,
    )

    with django_assert_num_queries(4):
        report = power_violations()
    assert report.checked == 6
    assert _kinds(report, ok.code) == []
    assert _kinds(report, mismatch.code) == ["steps_mismatch"]
    detail = next(v.detail for v in report.violations if v.kind == "steps_mismatch")
    assert "受理 → 决定" in detail and "受理 → 审查" in detail
    assert report.counts["steps_mismatch"] == 1
    assert _kinds(report, unpublished.code) == ["not_published"]
    assert _kinds(report, secret.code) == []
    assert _kinds(report, no_steps.code) == ["no_flowchart"]
    assert _kinds(report, no_duties.code) == ["no_duties"]
    assert _kinds(report, cancelled.code) == []
    assert report.counts["not_published"] == 1 and report.counts["stale"] == 0
    assert [v.power_code for v in power_violations(kind="no_duties").violations] == [no_duties.code]

    # Not updated in time: the setting (default 365 days) …
    assert report.settings.stale_days == 365
    later = timezone.now() + dt.timedelta(days=366)
    stale = {v.power_code for v in power_violations(now=later).violations if v.kind == "stale"}
    assert stale == {p.code for p in (ok, mismatch, unpublished, secret, no_steps, no_duties)}
    settings.YIWANG_POWER_STALE_DAYS = 30
    soon = timezone.now() + dt.timedelta(days=31)
    assert power_violations(now=soon).counts["stale"] == 6
    ok = power_confirm(actor=vw.power_editor, power=ok)
    # exactly 30 days after the confirmation: only the others are late
    edge = ok.reviewed_at + dt.timedelta(days=30)
    stale = {v.power_code for v in power_violations(now=edge).violations if v.kind == "stale"}
    assert ok.code not in stale and len(stale) == 5
    settings.YIWANG_POWER_STALE_DAYS = 365
    # … and a basis that changed after the last review (grace 30 days).
    power_basis_changed(actor=vw.reform, power=ok, note="《食品安全法》修正")
    report = power_violations(now=timezone.now() + dt.timedelta(days=31))
    stale = [v for v in report.violations if v.kind == "stale"]
    assert [v.power_code for v in stale] == [ok.code] and "依据" in stale[0].detail
    assert not power_violations(now=timezone.now() + dt.timedelta(days=29)).counts["stale"]
    power_confirm(actor=vw.power_editor, power=ok, note="已按修正后的法律核对")
    assert not power_violations(now=timezone.now() + dt.timedelta(days=31)).counts["stale"]
    assert audit_verify().ok


def test_report_is_scoped_to_the_viewer(vw):
    """A district's staff see their district's powers only."""
    _add(vw, "P-CITY", duties=[])
    lx_bb = make_agency(vw.lx, "梁溪区委编办")
    lx_reform = make_staff(lx_bb, "v_lx_reform", ["reform_office"], "吴敏")
    assert power_violations(viewer=lx_reform).violations == []
    assert [v.power_code for v in power_violations(viewer=vw.reform).violations] == ["P-CITY"]


def test_violations_page(vw, client):
    """R4.5: the console page lists each violation with its kind."""
    _add(vw, "P-NODUTIES", duties=[])
    _add(vw, "P-UNPUB", publish=False)
    client.force_login(vw.reform.user)
    html = client.get("/console/powers/violations/").content.decode()
    assert "缺少责任事项" in html and "P-NODUTIES" in html
    assert "清单未公布" in html and "P-UNPUB" in html
    html = client.get("/console/powers/violations/", {"kind": "no_duties"}).content.decode()
    assert "P-NODUTIES" in html and "P-UNPUB" not in html
    client.force_login(vw.city_editor.user)  # no powers.view
    assert client.get("/console/powers/violations/").status_code == 403
