"""The demo power and sunshine lists (R4.1–R4.7): about twenty powers with
steps and duties across the city's departments, each taken through the
review path; one pending change request, comments, fund lists for 2025 and
2026 and a relief list; loading twice adds nothing; the audit chain is clean."""

from __future__ import annotations

import pytest

from yiwang.core.audit import audit_verify
from yiwang.core.models import AuditEntry
from yiwang.demo.powers import load_powers
from yiwang.domains.catalog.models import (
    Duty,
    FundList,
    Power,
    PowerChangeRequest,
    PowerChangeStatus,
    PowerComment,
    PowerStatus,
    PowerStep,
    ReliefList,
)
from yiwang.domains.catalog.powers_selectors import power_public_list, power_violations

pytestmark = pytest.mark.django_db

MODELS = (Power, PowerStep, Duty, PowerChangeRequest, PowerComment, FundList, ReliefList)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS} | {"audit": AuditEntry.objects.count()}


@pytest.fixture
def demo():
    return load_powers()


def test_demo_lists(demo):
    assert Power.objects.count() >= 20
    assert Power.objects.values("agency").distinct().count() >= 8
    assert not Power.objects.filter(steps__isnull=True).exists()
    assert Power.objects.filter(duties__isnull=True).count() == 1
    assert Power.objects.filter(secret=True).count() == 1
    assert Power.objects.get(status=PowerStatus.SUSPENDED).suspend_reason == "no_case_3_years"
    delegated = Power.objects.get(status=PowerStatus.DELEGATED)
    assert delegated.agency.division.code == "320213"
    assert PowerChangeRequest.objects.filter(status=PowerChangeStatus.PENDING).count() == 1
    assert PowerComment.objects.count() == 2
    assert set(FundList.objects.values_list("year", flat=True)) == {2025, 2026}
    assert ReliefList.objects.filter(published=True).count() >= 2
    public = power_public_list(per_page=100)
    assert public.paginator.count == Power.objects.count() - 2  # secret, unpublished
    report = power_violations()
    assert report.counts["not_published"] == 1 and report.counts["no_duties"] == 1
    assert {a["login"] for a in demo["accounts"]} >= {"wx_bb_reform", "wx_gov_approver"}


def test_loading_twice_adds_nothing(demo):
    first = counts()
    again = load_powers()
    assert again["created"] == {}
    assert counts() == first
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems]


def test_demo_pages_render(demo, client):
    """Every power-list and sunshine page renders with the demo data, for the
    public and for each demo role."""
    from yiwang.domains.orgs.models import Staff

    public = ["/powers/", "/sunshine/funds/", "/sunshine/relief/", "/api/powers"]
    public += [
        f"/powers/{p.code}/" for p in Power.objects.filter(secret=False).exclude(published_at=None)
    ]
    for url in public:
        assert client.get(url).status_code == 200, url
    pending = PowerChangeRequest.objects.get(status=PowerChangeStatus.PENDING)
    pages = {
        "wx_scj_power": ["/console/powers/", "/console/powers/comments/", "/console/powers/new/"],
        "wx_bb_reform": [
            "/console/powers/requests/?tab=review",
            f"/console/powers/requests/{pending.pk}/",
            "/console/powers/violations/",
        ],
        "wx_gov_approver": [
            "/console/powers/requests/?tab=decide",
            "/console/powers/requests/?tab=all",
        ],
        "wx_czj_sunshine": ["/console/powers/sunshine/funds/", "/console/powers/sunshine/relief/"],
    }
    for login, urls in pages.items():
        client.force_login(Staff.objects.get(user__username=login).user)
        for url in urls:
            assert client.get(url).status_code == 200, (login, url)
    client.force_login(Staff.objects.get(user__username="wx_scj_power").user)
    for p in Power.objects.filter(agency__short_name="市市场监管局"):
        html = client.get(f"/console/powers/{p.pk}/").content.decode()
        assert p.name in html
