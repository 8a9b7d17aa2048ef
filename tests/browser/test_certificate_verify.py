"""Browser acceptance of certificate verification (issue 5), in Debian's
Chromium: a granted case's certificate opens from its QR link as authentic
and valid; after the unit head revokes it the page shows 吊销 with the date
and the reason; typing the identifier into the form leads to the same page.
Screenshots land in test-artifacts/."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from yiwang.domains.cases.tests.conftest import build_case_world
from yiwang.domains.certificates import services
from yiwang.domains.certificates.models import Certificate
from yiwang.domains.certificates.tests.conftest import add_certificates, fresh, granted_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _in_thread(fn: Any) -> Any:
    """Run ``fn`` off this thread: pyHanko signs through asyncio.run, which
    cannot start inside Playwright's running event loop."""
    from django.db import connection

    def run() -> Any:
        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def test_verify_by_qr_link_then_revoked_then_typed(live_server, page, settings):
    """R7.4, R7.5: valid → revoke → revoked with the date; the typed form works."""
    w = _in_thread(lambda: add_certificates(build_case_world()))
    cert = _in_thread(lambda: Certificate.objects.get(case=granted_case(w)))
    settings.YIWANG_PUBLIC_URL = live_server.url
    page.goto(f"{live_server.url}/certificates/verify/{cert.identifier}/")
    result = page.locator("#verify-result")
    assert "真实有效" in result.inner_text()
    assert page.locator("#verify-type").inner_text() == "食品经营许可证"
    assert page.locator("#verify-issuer").inner_text() == "无锡市梁溪区市场监督管理局"
    assert page.locator("#verify-holder").inner_text().startswith("张*")
    _shoot(page, "certificate-verify-valid")

    services.certificate_status_change(
        actor=fresh(w.head), certificate_id=cert.pk, status="revoked", reason="违法经营被吊销"
    )
    page.reload()
    today = timezone.localdate()
    assert "吊销" in page.locator("#verify-result").inner_text()
    assert page.locator("#verify-status-date").inner_text() == (
        f"{today.year}年{today.month}月{today.day}日"
    )
    assert page.locator("#verify-status-reason").inner_text() == "违法经营被吊销"
    _shoot(page, "certificate-verify-revoked")

    page.goto(f"{live_server.url}/certificates/verify/")
    page.get_by_label("证照标识").fill(cert.identifier.lower())
    page.get_by_role("button", name="核验").click()
    page.wait_for_url(f"**/certificates/verify/{cert.identifier}/")
    assert "吊销" in page.locator("#verify-status").inner_text()
    wrong = cert.identifier[:-1] + ("A" if cert.identifier[-1] != "A" else "B")
    page.get_by_label("证照标识").fill(wrong)
    page.get_by_role("button", name="核验").click()
    assert "校验位不正确" in page.locator("#verify-result").inner_text()
