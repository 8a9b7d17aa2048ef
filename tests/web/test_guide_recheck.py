"""The anonymous guide page's key recheck interval (R3.4)."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.domains.catalog.tests.conftest import build_catalog_city, publish_item


@pytest.fixture
def published_item(db: Any) -> Any:
    return publish_item(city=build_catalog_city())


def test_anonymous_guide_key_is_rechecked_after_the_interval(published_item, settings, client):
    """R3.4: with a recheck interval, an anonymous guide page reuses its key
    inside the interval and sees a suspension once the interval has passed."""
    from yiwang.domains.catalog import services as catalog_services
    from yiwang.web.portal import catalog_views

    settings.YIWANG_GUIDE_RECHECK_SECONDS = 60
    now = [1000.0]
    catalog_views.forget_guide_keys()
    original = catalog_views._clock
    catalog_views._clock = lambda: now[0]
    try:
        url = f"/items/{published_item.implementation_code}/"
        assert "暂停" not in client.get(url).content.decode()
        from yiwang.domains.catalog.tests.conftest import _city

        catalog_services.service_item_suspend(
            actor=_city(None).lx_admin, item=published_item, reason="other", note="系统升级"
        )
        assert "系统升级" not in client.get(url).content.decode()  # inside the interval
        now[0] += 61
        assert "系统升级" in client.get(url).content.decode()
    finally:
        catalog_views._clock = original
        catalog_views.forget_guide_keys()
