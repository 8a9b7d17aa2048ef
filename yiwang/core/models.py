"""Shared-kernel tables: the audit chain and the working-day calendar."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """One link of the audit chain (R14.3, R14.5).

    ``hash`` = SM3 over the previous entry's hash and this entry's fields, so
    changing or removing any entry breaks every link after it. ``state_digest``
    is the SM3 of the audited row as stored right after the write, so a row
    changed behind the services' back no longer matches its last entry.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor_kind = models.CharField("操作者类型", max_length=16)
    actor_id = models.CharField("操作者标识", max_length=64)
    actor_label = models.CharField("操作者", max_length=128)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象标识", max_length=64)
    change = models.TextField("变更内容", default="{}")
    context = models.TextField("来源", default="{}")
    state_digest = models.CharField("对象摘要", max_length=64, blank=True, default="")
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The single row that serialises appends: it holds the newest link.

    Locking it (SELECT … FOR UPDATE) orders concurrent writers; comparing it
    with the last entry also detects entries cut off the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_id} ({self.count})"


class CalendarYear(models.Model):
    """A year whose holidays and make-up working days have been loaded."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("来源", max_length=32)  # package / manual
    note = models.CharField("说明", max_length=200, blank=True, default="")
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日历年度"
        verbose_name_plural = "工作日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A day that departs from Monday–Friday: a holiday on a weekday, a
    make-up working day on a weekend, or a named weekend holiday."""

    date = models.DateField("日期", primary_key=True)
    is_working_day = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "工作日历例外日"
        verbose_name_plural = "工作日历例外日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '休息'} {self.name}"
