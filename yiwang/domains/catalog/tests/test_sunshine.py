"""R4.7: the fiscal special-fund list per budget year (department, project,
budget; management rules, allocation, performance) and the poverty-relief
lists, published and kept current."""

# The fixtures pw and world are imported from test_powers_world: their use as
# test arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from decimal import Decimal

import pytest

from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, PermissionDenied, ValidationFailed
from yiwang.domains.catalog.models import FundList, ReliefList
from yiwang.domains.catalog.powers import (
    fund_list_create,
    fund_list_publish,
    fund_list_update,
    relief_list_create,
    relief_list_publish,
    relief_list_update,
)
from yiwang.domains.catalog.powers_selectors import (
    fund_list_for_editor,
    fund_list_public,
    fund_years,
    relief_list_public,
)
from yiwang.domains.catalog.tests.test_powers_world import pw, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _fund(pw, year=2026, project="食品安全抽检监测专项资金", budget="1920.00", **kw):
    return fund_list_create(
        actor=kw.pop("actor", pw.sunshine),
        year=year,
        agency=kw.pop("agency", pw.w.scj),
        project=project,
        budget=budget,
        management_rules=kw.pop("management_rules", "《无锡市市级财政专项资金管理办法》"),
        allocation=kw.pop("allocation", "按抽检计划拨付"),
        performance=kw.pop("performance", "抽检13000批次"),
    )


def test_fund_list_lifecycle(pw):
    """R4.7: a row carries department, project, budget, management rules,
    allocation and performance; it is public only once published and stays
    editable so the list is kept current; every write is audited."""
    row = _fund(pw)
    assert row.budget == Decimal("1920.00") and row.division == pw.w.city
    assert not row.published
    page, total = fund_list_public(year=2026)
    assert list(page) == [] and total == 0
    row = fund_list_publish(actor=pw.sunshine, row=row)
    assert row.published and row.published_at is not None
    with pytest.raises(Conflict):
        fund_list_publish(actor=pw.sunshine, row=row)
    page, total = fund_list_public(year=2026)
    assert [r.pk for r in page] == [row.pk] and total == Decimal("1920.00")
    row = fund_list_update(actor=pw.sunshine, row=row, allocation="已拨付第一批960万元")
    assert FundList.objects.get(pk=row.pk).allocation == "已拨付第一批960万元"
    assert fund_years() == [2026]
    fund_list_publish(actor=pw.sunshine, row=row, published=False)
    assert fund_years() == []
    assert audit_verify().ok


def test_fund_list_validation(pw):
    with pytest.raises(ValidationFailed) as exc:
        _fund(pw, year=1999, project="", budget="-5")
    assert set(exc.value.fields) == {"year", "project", "budget"}
    with pytest.raises(ValidationFailed) as exc:
        _fund(pw, budget="12.345")
    assert "两位小数" in exc.value.fields["budget"]
    with pytest.raises(ValidationFailed):
        _fund(pw, budget="很多")
    _fund(pw)
    with pytest.raises(ValidationFailed) as exc:
        _fund(pw)
    assert "同名" in exc.value.fields["project"]
    _fund(pw, year=2025)  # the same project in another year is fine
    row = _fund(pw, project="另一个项目")
    with pytest.raises(ValidationFailed):
        fund_list_update(actor=pw.sunshine, row=row, colour="red")


def test_who_keeps_the_sunshine_lists(pw):
    """The finance office keeps its division's rows; a district's finance
    office only its district's; other staff none."""
    with pytest.raises(PermissionDenied):
        _fund(pw, actor=pw.editor)
    with pytest.raises(PermissionDenied):
        _fund(pw, actor=pw.lx_sunshine)  # a city department
    lx_row = _fund(pw, actor=pw.lx_sunshine, agency=pw.w.lx_scj, project="区级专项")
    city_row = _fund(pw, project="市级专项")
    assert {r.pk for r in fund_list_for_editor(viewer=pw.sunshine)} == {lx_row.pk, city_row.pk}
    assert [r.pk for r in fund_list_for_editor(viewer=pw.lx_sunshine)] == [lx_row.pk]
    with pytest.raises(PermissionDenied):
        fund_list_publish(actor=pw.lx_sunshine, row=city_row)


def test_relief_list(pw):
    """R4.7: poverty-relief rows: project, area, beneficiaries, funds, year;
    the area lies within the responsible agency's division."""
    with pytest.raises(ValidationFailed) as exc:
        relief_list_create(
            actor=pw.lx_sunshine,
            year=2026,
            agency=pw.w.lx_scj,
            division=pw.w.town,  # 江阴市华士镇: not in 梁溪区
            project="帮扶项目",
            beneficiaries=-1,
            funds="10",
        )
    assert set(exc.value.fields) == {"division", "beneficiaries"}
    row = relief_list_create(
        actor=pw.sunshine,
        year=2026,
        agency=pw.w.scj,
        division=pw.w.town,
        project="华士镇村集体经济帮扶项目",
        content="建设标准厂房",
        beneficiaries=386,
        funds="650.00",
    )
    page, totals = relief_list_public(year=2026)
    assert list(page) == []
    relief_list_publish(actor=pw.sunshine, row=row)
    row = relief_list_update(actor=pw.sunshine, row=row, beneficiaries=400)
    page, totals = relief_list_public(year=2026, division_code="320281")
    assert [r.pk for r in page] == [row.pk]
    assert totals == {"funds": Decimal("650.00"), "beneficiaries": 400}
    assert list(relief_list_public(year=2026, division_code="320213")[0]) == []
    assert ReliefList.objects.get(pk=row.pk).beneficiaries == 400
    assert audit_verify().ok


def test_public_pages_and_api(pw, client):
    """R4.7: the published lists on the portal (by budget year) and in the API."""
    for year, project, budget in ((2025, "就业创业扶持", "6200"), (2026, "就业创业扶持", "6500")):
        fund_list_publish(
            actor=pw.sunshine, row=_fund(pw, year=year, project=project, budget=budget)
        )
    _fund(pw, year=2026, project="未公布的项目")
    html = client.get("/sunshine/funds/").content.decode()
    assert "2026年度" in html and "6500.00" in html and "未公布的项目" not in html
    assert "6200.00" not in html  # the newest year by default
    html = client.get("/sunshine/funds/", {"year": 2025}).content.decode()
    assert "6200.00" in html and "管理办法" in html and "绩效情况" in html
    html = client.get("/sunshine/funds/", {"year": 2030}).content.decode()
    assert "暂无公开的财政专项资金清单" in html
    body = client.get("/api/powers/sunshine/funds", {"year": 2026}).json()
    assert body["total_budget"] == "6500.00" or Decimal(body["total_budget"]) == 6500
    assert [i["project"] for i in body["items"]] == ["就业创业扶持"]
    assert body["items"][0]["performance"] == "抽检13000批次"
    row = relief_list_create(
        actor=pw.sunshine,
        year=2026,
        agency=pw.w.scj,
        division=pw.w.town,
        project="华士镇帮扶项目",
        beneficiaries=120,
        funds="80",
    )
    assert "暂无公开的扶贫项目资金清单" in client.get("/sunshine/relief/").content.decode()
    relief_list_publish(actor=pw.sunshine, row=row)
    html = client.get("/sunshine/relief/").content.decode()
    assert "华士镇帮扶项目" in html and "受益 <strong>120</strong> 人" in html
    body = client.get("/api/powers/sunshine/relief", {"division": "320281"}).json()
    assert body["total_beneficiaries"] == 120 and body["items"][0]["division_name"] == "华士镇"


def test_console_editing(pw, client):
    """R4.7: the finance office adds, edits and publishes rows in the console."""
    client.force_login(pw.sunshine.user)
    html = client.get("/console/powers/sunshine/funds/").content.decode()
    assert "暂无财政专项资金清单" in html
    response = client.post(
        "/console/powers/sunshine/funds/new/",
        {
            "year": "2026",
            "agency": str(pw.w.scj.pk),
            "project": "食品安全抽检监测专项资金",
            "budget": "1920.50",
            "management_rules": "管理办法",
            "allocation": "",
            "performance": "",
        },
    )
    assert response.status_code == 302
    row = FundList.objects.get()
    html = client.get("/console/powers/sunshine/funds/").content.decode()
    assert "未公布" in html and "1920.50" in html
    client.post(f"/console/powers/sunshine/funds/{row.pk}/publish/")
    assert FundList.objects.get().published
    response = client.post(
        f"/console/powers/sunshine/funds/{row.pk}/",
        {
            "year": "2026",
            "project": "食品安全抽检监测专项资金",
            "budget": "2000",
            "allocation": "已拨付",
        },
    )
    assert response.status_code == 302 and FundList.objects.get().budget == Decimal("2000")
    response = client.post(
        "/console/powers/sunshine/relief/new/",
        {
            "year": "2026",
            "agency": str(pw.w.scj.pk),
            "division": "999999",
            "project": "帮扶项目",
            "beneficiaries": "10",
            "funds": "5",
        },
    )
    assert "没有这个行政区划代码" in response.content.decode()
    response = client.post(
        "/console/powers/sunshine/relief/new/",
        {
            "year": "2026",
            "agency": str(pw.w.scj.pk),
            "division": "320281107000",
            "project": "帮扶项目",
            "beneficiaries": "10",
            "funds": "5",
        },
    )
    assert response.status_code == 302 and ReliefList.objects.get().division == pw.w.town
    client.force_login(pw.editor.user)
    assert client.get("/console/powers/sunshine/funds/").status_code == 403
    assert audit_verify().ok
