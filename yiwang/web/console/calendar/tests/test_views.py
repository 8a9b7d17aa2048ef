"""Console pages of the working-day calendar and the audit log (issue 2 items 5
and 6; R14.3, R14.5; staff only, by permission: R2.2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.urls import reverse

from yiwang.core.actors import SYSTEM
from yiwang.core.audit import audit_append
from yiwang.core.models import AuditEntry, CalendarDay, CalendarYear

YEARS = reverse("console:calendar:years")
DEFINE = reverse("console:calendar:define")
LOAD = reverse("console:calendar:load")
AUDIT = reverse("console:audit")

DAYS_2027 = "2027-01-01 元旦\n2027-02-06..2027-02-12 春节\n2027-02-14 春节调休上班\n"


def _text(response) -> str:
    return response.content.decode()


# --- calendar -----------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(YEARS)
    assert response.status_code == 302
    assert reverse("console:login") in response["Location"]


def test_years_page_empty_state(admin_client):
    response = admin_client.get(YEARS)
    assert response.status_code == 200
    assert "尚未载入任何年度" in _text(response)
    assert "2004—2026" in _text(response)


def test_load_from_package_then_see_the_year(admin_client):
    """A centre administrator loads 2026; the year page lists holidays and
    make-up days by month."""
    response = admin_client.post(LOAD, {"year": "2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("console:calendar:year", kwargs={"year": 2026})
    entry = AuditEntry.objects.filter(action="core.calendar_year_define").latest("id")
    assert entry.actor_label == "王管理"
    page = _text(admin_client.get(response["Location"]))
    assert "2026年工作日历" in page
    assert "10月" in page and "国庆节" in page
    assert "2026-10-10</time>（星期六）" in page and "国庆节调休上班" in page
    listing = _text(admin_client.get(YEARS))
    assert "2026年" in listing and "软件包" in listing


def test_load_beyond_the_package_shows_the_reason(admin_client):
    response = admin_client.post(LOAD, {"year": "2027"}, follow=True)
    assert "2027年请依据国务院办公厅的通知手工录入" in _text(response)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_define_a_year_by_hand(admin_client):
    response = admin_client.post(
        DEFINE, {"year": "2027", "days": DAYS_2027, "note": "国办发明电〔2026〕X号"}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).note == "国办发明电〔2026〕X号"
    assert CalendarDay.objects.filter(date__year=2027).count() == 9
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 14)).is_working_day
    page = _text(admin_client.get(response["Location"]))
    assert "2027年工作日历已保存" in page
    assert "1月" in page and "2月" in page and "春节调休上班" in page
    # Editing starts from what is stored, written back as ranges.
    form = _text(admin_client.get(f"{DEFINE}?year=2027"))
    assert "修改2027年工作日历" in form
    assert "2027-02-06..2027-02-12 春节" in form


def test_define_shows_line_errors_and_stores_nothing(admin_client):
    response = admin_client.post(
        DEFINE, {"year": "2027", "days": "2027-01-01 元旦\n2027-13-01 春节\n2027-02-14"}
    )
    assert response.status_code == 422
    page = _text(response)
    assert "第2行：“2027-13-01”不是有效日期" in page
    assert "第3行：请写明名称" in page
    assert not CalendarYear.objects.exists()


def test_define_shows_the_services_refusal(admin_client):
    """A make-up day on a weekday is refused by the service; the page shows why."""
    response = admin_client.post(DEFINE, {"year": "2027", "days": "2027-01-04 调休上班"})
    assert response.status_code == 422
    assert "2027-01-04 是周一至周五，本来就是工作日，不能设为调休上班" in _text(response)
    wrong_year = admin_client.post(DEFINE, {"year": "2028", "days": DAYS_2027})
    assert "2027-01-01 不属于2028年" in _text(wrong_year)
    bad_year = admin_client.post(DEFINE, {"year": "1990", "days": ""})
    assert "年份应在2000年至2100年之间" in _text(bad_year)
    assert not CalendarYear.objects.exists()


def test_staff_without_calendar_edit_is_refused(clerk_client):
    """R2.2: a clerk cannot see or change the calendar."""
    assert clerk_client.get(YEARS).status_code == 403
    assert clerk_client.get(DEFINE).status_code == 403
    assert (
        clerk_client.get(reverse("console:calendar:year", kwargs={"year": 2026})).status_code == 403
    )
    response = clerk_client.post(DEFINE, {"year": "2027", "days": DAYS_2027})
    assert response.status_code == 403
    load = clerk_client.post(LOAD, {"year": "2026"})
    assert load.status_code == 403
    assert "只有政务服务中心管理员可以维护工作日历" in _text(load)
    assert not CalendarYear.objects.exists()


def test_unloaded_year_page(admin_client):
    response = admin_client.get(reverse("console:calendar:year", kwargs={"year": 2031}))
    assert response.status_code == 404
    assert "2031年的工作日历尚未载入" in _text(response)


# --- audit log ------------------------------------------------------------------------


def _entries(n: int, **kw) -> list[AuditEntry]:
    with transaction.atomic():
        return [
            audit_append(
                actor=SYSTEM,
                action=kw.get("action", "test.thing_touch"),
                object_type=kw.get("object_type", "test.thing"),
                object_id=str(i),
                change={"i": [None, i]},
            )
            for i in range(n)
        ]


def test_audit_log_newest_first_in_beijing_time(admin_client):
    """R14.5: the log shows who did what to which record, time in Asia/Shanghai."""
    entry = _entries(1)[0]
    response = admin_client.get(AUDIT)
    assert response.status_code == 200
    page = _text(response)
    local = entry.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert local in page
    assert f"#{entry.id}" in page
    assert "test.thing:0" in page and "系统" in page
    assert page.index(f"#{entry.id}<") < page.index(f"#{entry.id - 1}<")


def test_audit_log_pages_by_fifty(admin_client):
    _entries(60)
    first = _text(admin_client.get(AUDIT, {"object_type": "test.thing"}))
    assert first.count("test.thing:") == 50
    assert "第 1 / 2 页" in first and "共 60 条" in first
    second = _text(admin_client.get(AUDIT, {"object_type": "test.thing", "page": 2}))
    assert second.count("test.thing:") == 10


def test_audit_log_filters(admin_client):
    _entries(2, action="test.a_do", object_type="test.a")
    _entries(3, action="test.b_do", object_type="test.b")
    by_action = _text(admin_client.get(AUDIT, {"action": "test.b_do"}))
    assert by_action.count("test.b:") == 3 and "test.a:" not in by_action
    by_type = _text(admin_client.get(AUDIT, {"object_type": "test.a"}))
    assert by_type.count("test.a:") == 2 and "test.b:" not in by_type
    by_actor = _text(admin_client.get(AUDIT, {"actor": "王管", "object_type": "orgs.staff"}))
    assert "王管理" in by_actor
    nobody = _text(admin_client.get(AUDIT, {"actor": "不存在的人"}))
    assert "没有符合筛选条件的审计日志" in nobody


def test_verify_now(admin_client):
    """R14.3: the button runs the whole check; a tampered row is named by entry."""
    admin_client.post(LOAD, {"year": "2026"})
    ok = _text(admin_client.post(AUDIT, {"verify": "1"}))
    assert "校验通过" in ok
    newest = (
        AuditEntry.objects.filter(object_type="core.calendarday", object_id="2026-10-10")
        .order_by("-id")
        .first()
    )
    assert newest is not None
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE core_calendarday SET is_working_day = %s WHERE date = %s",
            [False, dt.date(2026, 10, 10)],
        )
    bad = _text(admin_client.post(AUDIT, {"verify": "1"}))
    assert "校验发现 1 个问题" in bad
    assert f"审计日志 #{newest.id}：core.calendarday:2026-10-10" in bad


def test_audit_log_needs_audit_view(clerk_client):
    assert clerk_client.get(AUDIT).status_code == 403
    assert clerk_client.post(AUDIT, {"verify": "1"}).status_code == 403
