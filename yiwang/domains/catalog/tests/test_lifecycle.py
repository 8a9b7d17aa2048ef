"""Suspend, resume and cancel; only listed, active items receive applications
(R4.3, R4.4)."""

from __future__ import annotations

import pytest

from yiwang.core.audit import audit_verify
from yiwang.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from yiwang.domains.catalog import public as portal
from yiwang.domains.catalog import selectors, services
from yiwang.domains.catalog.errors import ItemNotAcceptingApplications
from yiwang.domains.catalog.models import Lifecycle, SuspendReason
from yiwang.domains.catalog.tests.conftest import full_guide, publish_entry, publish_item

pytestmark = pytest.mark.django_db


def test_suspended_item_is_refused_for_applications_but_stays_public(published_item, catalog_city):
    """Acceptance (R4.3, R4.4): a suspended item shows its reason on the portal
    and the case-acceptance selector refuses it, in Chinese."""
    city = catalog_city
    item = published_item
    version = selectors.item_for_application(item_id=item.pk, variant_code="first")
    assert version.pk == item.current_id
    services.service_item_suspend(
        actor=city.lx_admin,
        item=item,
        reason=SuspendReason.NO_CASE_3_YEARS,
        note="2023年以来无办件，经审查暂停",
    )
    with pytest.raises(ItemNotAcceptingApplications) as err:
        selectors.item_for_application(item_id=item.pk)
    assert err.value.code == "item_not_accepting"
    assert "已暂停办理" in err.value.message and "三年及以上无办件" in err.value.message
    shown = portal.guide_detail(item.implementation_code).item
    assert shown.lifecycle == Lifecycle.SUSPENDED
    assert shown.get_suspend_reason_display() == "三年及以上无办件"
    assert shown.suspend_note == "2023年以来无办件，经审查暂停"
    assert item.implementation_code in [
        r.implementation_code for r in portal.item_search("食品").object_list
    ]

    services.service_item_resume(actor=city.lx_admin, item=item, note="恢复办理")
    assert selectors.item_for_application(item_id=item.pk).pk == item.current_id
    item.refresh_from_db()
    assert item.suspend_reason == "" and item.lifecycle == Lifecycle.ACTIVE
    report = audit_verify()
    assert report.ok, [str(p) for p in report.problems[:5]]


def test_cancelled_item_is_gone_but_its_versions_stay_readable(published_item, catalog_city):
    """R4.4, R3.5: a cancelled item is gone from applications and portal lists;
    a case pinned to one of its versions still reads it."""
    city = catalog_city
    item = published_item
    version_id = item.current_id
    services.service_item_cancel(actor=city.city_admin, item=item, note="职能划转")
    with pytest.raises(ItemNotAcceptingApplications) as err:
        selectors.item_for_application(item_id=item.pk)
    assert "已取消" in err.value.message
    assert list(portal.item_search("食品").object_list) == []
    with pytest.raises(NotFound):
        portal.guide_detail(item.implementation_code)
    old = selectors.item_version_public(version_id=version_id)
    assert old.result_name == "食品经营许可证"
    with pytest.raises(Conflict):
        services.service_item_cancel(actor=city.city_admin, item=item, note="再次取消")
    with pytest.raises(Conflict):
        services.item_version_revise(actor=city.lx_editor, item=item, reason="修订")
    with pytest.raises(Conflict):
        services.service_item_resume(actor=city.city_admin, item=item)


def test_lifecycle_transitions_and_permissions(published_item, catalog_city):
    """R4.3: a reason from the list and a note are required; only the centre of
    the item's division or above may change the state; wrong states conflict."""
    city = catalog_city
    item = published_item
    with pytest.raises(PermissionDenied):
        services.service_item_suspend(
            actor=city.bh_admin, item=item, reason="other", note="不属于本区"
        )
    with pytest.raises(PermissionDenied):
        services.service_item_suspend(
            actor=city.lx_editor, item=item, reason="other", note="编制人员不能暂停"
        )
    with pytest.raises(ValidationFailed) as err:
        services.service_item_suspend(actor=city.lx_admin, item=item, reason="bored", note="")
    assert "暂停原因" in err.value.fields["reason"] and "暂停说明" in err.value.fields["note"]
    with pytest.raises(Conflict) as err:
        services.service_item_resume(actor=city.lx_admin, item=item)
    assert "不是暂停状态" in err.value.message
    services.service_item_suspend(
        actor=city.city_admin, item=item, reason="off_cycle", note="年度申报期外"
    )
    with pytest.raises(Conflict):
        services.service_item_suspend(
            actor=city.city_admin, item=item, reason="off_cycle", note="再次暂停"
        )
    with pytest.raises(ValidationFailed):
        services.service_item_cancel(actor=city.city_admin, item=item, note=" ")


def test_application_selector_refusals(catalog_city):
    """R4.4: an unlisted item, an unpublished one and a wrong variant are refused."""
    city = catalog_city
    with pytest.raises(ItemNotAcceptingApplications) as err:
        selectors.item_for_application(item_id=999999)
    assert "不在实施清单中" in err.value.message
    entry = publish_entry(city)
    draft = services.service_item_create(
        actor=city.lx_editor, entry=entry, agency=city.lx_scj, division=city.lx, guide=full_guide()
    )
    with pytest.raises(ItemNotAcceptingApplications) as err:
        selectors.item_for_application(item_id=draft.item_id)
    assert "尚未发布" in err.value.message
    item = publish_item(city=city, agency=city.bh_scj)
    with pytest.raises(ItemNotAcceptingApplications) as err:
        selectors.item_for_application(item_id=item.pk, variant_code="renew")
    assert "没有办理项 renew" in err.value.message and "first" in err.value.message


def test_application_selector_reads_everything_in_fixed_queries(
    published_item, django_assert_max_num_queries
):
    """R4.4: the selector loads the version and its rows for the case domain."""
    with django_assert_max_num_queries(9):
        v = selectors.item_for_application(item_id=published_item.pk, variant_code="first")
        doc = selectors.guide_doc_of(v)
        assert v.entry_version.item_type.name == "行政许可"
        assert v.item.agency.name
    assert len(doc["materials"]) == 3 and len(doc["steps"]) == 5
