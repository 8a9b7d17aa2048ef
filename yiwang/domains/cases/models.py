"""Cases (办件) and everything done with them (R5, R6).

A case is pinned to the item version it was submitted under (R3.5); its due
dates are derived from the acceptance day, the guide's time limits and the
case's pause ledger (``ClockPause``) on the working-day calendar, and cached
on the row only so queues can filter on them. Every row is audited; the
applicant-visible story is ``CaseEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.core.audit import audited
from yiwang.core.pii import EncryptedTextField
from yiwang.domains.cases.lifecycle import STATUS_NAMES, Status

STATUS_CHOICES = [(s.value, STATUS_NAMES[s]) for s in Status]


class Channel(models.TextChoices):
    ONLINE = "online", "网上申请"
    WINDOW = "window", "窗口代录"
    AGENT = "agent", "帮办代办"
    API = "api", "部门系统"


class CaseKind(models.TextChoices):
    SINGLE = "single", "单事项办件"
    BUNDLE = "bundle", "一件事"
    BUNDLE_PART = "bundle_part", "一件事子件"
    JOINT = "joint", "联合办理"
    JOINT_PART = "joint_part", "联合办理子件"


class Decision(models.TextChoices):
    GRANTED = "granted", "准予许可"
    DENIED = "denied", "不予许可"


class CaseNumberSequence(models.Model):
    """The last serial given for one division and day: case numbers come from
    here under a row lock, never from ``count()+1``."""

    division_code = models.CharField(max_length=12)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["division_code", "day"], name="case_number_seq_key")
        ]

    def __str__(self) -> str:
        return f"{self.division_code} {self.day} #{self.last}"


@audited
class Case(models.Model):
    number = models.CharField("办件编号", max_length=40, unique=True, null=True, blank=True)
    kind = models.CharField("办件类型", max_length=12, choices=CaseKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="所属主件",
    )
    status = models.CharField("状态", max_length=16, choices=STATUS_CHOICES, db_index=True)
    channel = models.CharField("申请渠道", max_length=8, choices=Channel.choices)
    # what is applied for: pinned to the version it was submitted under (R3.5)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="事项",
    )
    version = models.ForeignKey(
        "catalog.ItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="办事指南版本",
    )
    bundle = models.ForeignKey(
        "catalog.Bundle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="一件事",
    )
    variant_code = models.CharField("办理项", max_length=48, blank=True, default="")
    title = models.CharField("办件名称", max_length=200)
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name="办理机构"
    )
    division = models.ForeignKey(
        "orgs.Division", on_delete=models.PROTECT, related_name="cases", verbose_name="办理区划"
    )
    # who applies, and who submitted it for them
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="申请人账户",
    )
    applicant_kind = models.CharField("申请人类型", max_length=8)  # person / entity
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_code = EncryptedTextField("申请人证件号码")
    contact_phone = EncryptedTextField("联系电话", blank=True, default="")
    submitted_by_kind = models.CharField("提交人类型", max_length=8, blank=True, default="")
    submitted_by_id = models.CharField("提交人标识", max_length=40, blank=True, default="")
    submitted_by_label = models.CharField("提交人", max_length=128, blank=True, default="")
    authorisation = models.ForeignKey(
        "cases.AgentAuthorisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="代办授权",
    )
    window = models.ForeignKey(
        "orgs.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="受理窗口",
    )
    idempotency_key = models.CharField("幂等键", max_length=64, blank=True, default="")
    form_data = models.JSONField("申请表", default=dict)
    needs_presence = models.BooleanField("须到现场核验", default=False)
    # the clock (R6.4; 行政许可法 Art. 42, 45, 82)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_on = models.DateField("受理日", null=True, blank=True)
    promised_limit = models.PositiveIntegerField("承诺时限", null=True, blank=True)
    promised_natural = models.BooleanField("承诺时限按自然日", default=False)
    statutory_limit = models.PositiveIntegerField("法定时限", null=True, blank=True)
    statutory_natural = models.BooleanField("法定时限按自然日", default=False)
    extension_days = models.PositiveIntegerField("批准延长天数", default=0)
    # Not indexed alone: an index on the date lured the planner into walking every
    # case by date for an agency's queue (LIMIT 20); case_queue and the partial
    # case_open_* indexes serve every read.
    promised_due = models.DateField("承诺截止日", null=True, blank=True)
    statutory_due = models.DateField("法定截止日", null=True, blank=True)
    clock_paused = models.BooleanField("暂停计时中", default=False)
    # outcome
    decision = models.CharField(
        "决定", max_length=8, choices=Decision.choices, blank=True, default=""
    )
    decision_reason = models.TextField("决定理由", blank=True, default="")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    delivery_way = models.CharField("送达方式", max_length=12, blank=True, default="")
    mail_address = EncryptedTextField("邮寄地址", blank=True, default="")
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    ended_reason = models.TextField("不予受理/退件/撤回理由", blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="case_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "status", "promised_due"], name="case_queue"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant"),
            models.Index(fields=["division", "status"], name="case_division_status"),
            # case_search, newest first, of one agency (issue 6 benchmarks); without
            # drafts, which no staff read shows, so its count is an index-only scan.
            models.Index(
                fields=["agency", "submitted_at", "id"],
                name="case_agency_submitted_nd",
                condition=~models.Q(status="draft"),
            ),
            # The work queues (selectors.case_queue), each in its own order: a page
            # walks the index and stops at 20 rows, a count reads only the index.
            # Conditions are ORed equalities, as selectors._status_is writes them: the
            # form in which SQLite's planner sees that the query implies them.
            models.Index(
                fields=["agency", "submitted_at", "id"],
                name="case_queue_intake",
                condition=models.Q(status="submitted") | models.Q(status="prereviewed"),
            ),
            models.Index(
                fields=["agency", "updated_at", "id"],
                name="case_queue_correcting",
                condition=models.Q(status="correcting") | models.Q(status="supplementing"),
            ),
            models.Index(
                fields=["agency", "promised_due", "id"],
                name="case_queue_running",
                condition=models.Q(status="handling") | models.Q(status="decided"),
            ),
            # The supervision scan (cases_near_deadline): only cases whose clock runs.
            # clock_paused is in the condition so that the agency queues, which do
            # not filter on it, keep using case_queue instead of these.
            models.Index(
                fields=["promised_due"],
                name="case_open_promised_due",
                condition=models.Q(status__in=["handling", "decided"], clock_paused=False),
            ),
            models.Index(
                fields=["statutory_due"],
                name="case_open_statutory_due",
                condition=models.Q(status__in=["handling", "decided"], clock_paused=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 {self.pk}"

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(Status(self.status), self.status)


@audited
class AgentAuthorisation(models.Model):
    """An applicant's recorded authorisation for an agent (帮办代办, R6.7):
    who may apply for whom, for which item (blank: any), until when."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authorisations_given",
        verbose_name="委托人",
    )
    agent = models.ForeignKey(
        "orgs.Staff",
        on_delete=models.PROTECT,
        related_name="authorisations",
        verbose_name="代办员",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="委托事项",
    )
    valid_until = models.DateField("有效期至")
    document_path = models.CharField("委托书文件", max_length=200, blank=True, default="")
    document_sm3 = models.CharField("委托书SM3", max_length=64, blank=True, default="")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "代办授权"
        verbose_name_plural = "代办授权"

    def __str__(self) -> str:
        return f"代办授权 {self.pk}"


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", "已提交"
    DEFERRED = "deferred", "容缺后补"
    SUPPLIED = "supplied", "已补交"
    REJECTED = "rejected", "需补正"


class TrustLevel(models.TextChoices):
    """How far a material can be trusted (国办函〔2016〕108号): A issued by
    the agency or taken from the certificate library, B checked against the
    original at a window, C uploaded by the applicant, D made by the
    applicant under a pledge (告知承诺)."""

    A = "A", "A级（证照库/部门签发）"
    B = "B", "B级（窗口核验原件）"
    C = "C", "C级（申请人上传）"
    D = "D", "D级（申请人承诺）"


class SignatureCheck(models.TextChoices):
    """The result of checking an uploaded PDF's electronic signature (R7.4)."""

    NONE = "", "无电子签名"
    PLATFORM = "platform", "签名有效（平台机构）"
    EXTERNAL = "external", "签名有效（外部）"
    INVALID = "invalid", "签名无效"


@audited
class CaseMaterial(models.Model):
    """One file given for a material of the guide (or an extra one). The file
    lives in storage under its SM3 digest; a material asked by several parts
    of a bundle is uploaded once and each part's row points at that file."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    spec = models.ForeignKey(
        "catalog.MaterialSpec",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="材料要求",
    )
    code = models.CharField("材料编码", max_length=48)
    name = models.CharField("材料名称", max_length=200)
    status = models.CharField(
        "状态", max_length=10, choices=MaterialStatus.choices, default=MaterialStatus.PROVIDED
    )
    path = models.CharField("存储路径", max_length=200, blank=True, default="")
    sm3 = models.CharField("SM3摘要", max_length=64, blank=True, default="")
    size = models.PositiveIntegerField("字节数", default=0)
    mime = models.CharField("文件类型", max_length=64, blank=True, default="")
    original_name = models.CharField("原文件名", max_length=200, blank=True, default="")
    uploaded_by_label = models.CharField("上传人", max_length=128, blank=True, default="")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    replaced = models.BooleanField("已被替换", default=False)
    # trust (R5.8, R7.4): where the material comes from and what was checked
    trust_level = models.CharField(
        "可信等级", max_length=1, choices=TrustLevel.choices, default=TrustLevel.C
    )
    certificate_identifier = models.CharField(
        "电子证照标识", max_length=128, blank=True, default="", db_index=True
    )
    signature = models.CharField(
        "电子签名核验", max_length=10, choices=SignatureCheck.choices, blank=True, default=""
    )
    signature_detail = models.CharField("签名核验说明", max_length=300, blank=True, default="")
    checked_by_label = models.CharField("原件核验人", max_length=128, blank=True, default="")
    checked_at = models.DateTimeField("原件核验时间", null=True, blank=True)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        indexes = [models.Index(fields=["case", "code"], name="case_material_code")]

    def __str__(self) -> str:
        return self.name


class PauseKind(models.TextChoices):
    CORRECTION = "correction", "补正"
    SPECIAL = "special", "特别程序"


@audited
class ClockPause(models.Model):
    """A stretch of days the time limit does not run (Art. 45): a correction
    during handling, or a special procedure. Open while ``ended_on`` is null."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField("类型", max_length=12, choices=PauseKind.choices)
    reason = models.CharField("事由", max_length=200)
    started_on = models.DateField("开始日")
    ended_on = models.DateField("结束日", null=True, blank=True)

    class Meta:
        verbose_name = "暂停计时"
        verbose_name_plural = "暂停计时"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.reason} {self.started_on}–{self.ended_on or ''}"


@audited
class Extension(models.Model):
    """An extension of the statutory limit approved by the agency head
    (Art. 42: 20 days + 10)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长天数")
    reason = models.CharField("延长理由", max_length=300)
    approved_by_label = models.CharField("批准人", max_length=128)
    approved_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"

    def __str__(self) -> str:
        return f"延长 {self.days} 日"


class StepStatus(models.TextChoices):
    WAITING = "waiting", "未开始"
    ACTIVE = "active", "办理中"
    DONE = "done", "已完成"
    SKIPPED = "skipped", "未经过"


@audited
class CaseStep(models.Model):
    """One handling step of the pinned guide's process (R2.2, R6.9): who holds
    it, what they said, when it is due."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    spec = models.ForeignKey(
        "catalog.StepSpec", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.CharField("环节编码", max_length=32)
    name = models.CharField("环节名称", max_length=64)
    role_code = models.CharField("办理角色", max_length=32)
    order = models.PositiveSmallIntegerField("顺序")
    status = models.CharField(
        "状态", max_length=8, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    time_limit = models.PositiveIntegerField("环节时限", default=0)
    natural_days = models.BooleanField("按自然日", default=False)
    started_on = models.DateField("开始日", null=True, blank=True)
    due_on = models.DateField("环节截止日", null=True, blank=True)
    assignee = models.ForeignKey(
        "orgs.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_steps",
        verbose_name="经办人",
    )
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    outcome = models.CharField("结论", max_length=12, blank=True, default="")
    opinion = models.TextField("办理意见", blank=True, default="")

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["case", "order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "order"], name="case_step_order"),
        ]
        indexes = [
            models.Index(fields=["status", "role_code"], name="case_step_queue"),
            # The 审查中 queue probes each candidate case's active step for its role
            # and holder: one small index, read without the table.
            models.Index(
                fields=["case", "role_code", "assignee"],
                name="step_active_by_case",
                condition=models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpecialKind(models.TextChoices):
    SITE_INSPECTION = "site_inspection", "现场踏勘"
    VERIFICATION = "verification", "现场核查"
    EXPERT_REVIEW = "expert_review", "专家评审"
    HEARING = "hearing", "听证"
    PUBLIC_NOTICE = "public_notice", "公示"
    TESTING = "testing", "检验检测"
    APPRAISAL = "appraisal", "鉴定评定"
    OTHER = "other", "其他特别程序"


@audited
class SpecialProcedure(models.Model):
    """An offline special step recorded with its process and result (R6.1);
    the clock stops from its start to its end (Art. 45)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="special_procedures")
    step = models.ForeignKey(
        CaseStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("类型", max_length=16, choices=SpecialKind.choices)
    reason = models.CharField("事由", max_length=300)
    pause = models.OneToOneField(ClockPause, on_delete=models.PROTECT, related_name="procedure")
    started_on = models.DateField("开始日")
    ended_on = models.DateField("结束日", null=True, blank=True)
    result = models.TextField("结果", blank=True, default="")
    started_by_label = models.CharField("发起人", max_length=128)
    finished_by_label = models.CharField("记录人", max_length=128, blank=True, default="")

    class Meta:
        verbose_name = "特别程序"
        verbose_name_plural = "特别程序"

    def __str__(self) -> str:
        return self.get_kind_display()


@audited
class CaseAttachment(models.Model):
    """A file staff attach to a case: a special procedure's record (site
    inspection report, expert opinions, hearing minutes — R6.1). Stored once
    under its SM3 digest like applicants' materials."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    procedure = models.ForeignKey(
        SpecialProcedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    name = models.CharField("文件名", max_length=200)
    path = models.CharField("存储路径", max_length=200)
    sm3 = models.CharField("SM3摘要", max_length=64)
    size = models.PositiveIntegerField("字节数")
    mime = models.CharField("文件类型", max_length=64)
    uploaded_by_label = models.CharField("上传人", max_length=128)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "办件附件"
        verbose_name_plural = "办件附件"

    def __str__(self) -> str:
        return self.name


@audited
class CorrectionNotice(models.Model):
    """One notice listing everything missing or defective at once (R5.4):
    lines picked from the pinned guide's materials, plus free text."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections")
    lines = models.JSONField("补正内容", default=list)  # [{code, name, problem}]
    note = models.TextField("其他说明", blank=True, default="")
    during_handling = models.BooleanField("受理后补正", default=False)
    issued_by_label = models.CharField("告知人", max_length=128)
    issued_at = models.DateTimeField("告知时间", auto_now_add=True)
    resolved_at = models.DateTimeField("补正时间", null=True, blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"

    def __str__(self) -> str:
        return f"补正告知 {self.pk}"


class AssistStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
    CANCELLED = "cancelled", "已撤回"


@audited
class AssistRequest(models.Model):
    """The lead agency asks another for an opinion by a deadline (R6.3)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assist_requests")
    from_agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="assists_asked"
    )
    to_agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="assists_received"
    )
    question = models.TextField("协办事项")
    due_on = models.DateField("答复期限")
    status = models.CharField(
        "状态", max_length=10, choices=AssistStatus.choices, default=AssistStatus.OPEN
    )
    asked_by_label = models.CharField("发起人", max_length=128)
    asked_at = models.DateTimeField("发起时间", auto_now_add=True)
    answer = models.TextField("协办意见", blank=True, default="")
    answered_by_label = models.CharField("答复人", max_length=128, blank=True, default="")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "协办请求"
        verbose_name_plural = "协办请求"
        indexes = [models.Index(fields=["to_agency", "status", "due_on"], name="assist_queue")]

    def __str__(self) -> str:
        return f"协办请求 {self.pk}"


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", "申请材料接收凭证"
    ACCEPTANCE = "acceptance", "受理通知书"
    REFUSAL = "refusal", "不予受理决定书"
    CORRECTION = "correction", "补齐补正材料通知书"
    RETURN = "return", "退件通知书"
    SPECIAL = "special", "特别程序告知书"
    EXTENSION = "extension", "延长期限告知书"
    GRANT = "grant", "准予许可决定书"
    DENIAL = "denial", "不予许可决定书"
    DELIVERY = "delivery", "送达回证"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "生成中"
    READY = "ready", "已生成"


@audited
class CaseDocument(models.Model):
    """A notice or decision issued on a case: a PDF in storage, its SM3
    digest, a verification code for the QR code.

    The row (number, verification code, issue time) is written by the
    service that issues it; the PDF is rendered and signed by a task worker
    right after (``status`` 生成中 until then), from ``facts``: the case's
    dates and reasons as they stood at issue, so a later extension cannot
    change what an earlier notice says (docs/adr/0008-documents-by-task.md)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书类型", max_length=12, choices=DocumentKind.choices)
    number = models.CharField("文书编号", max_length=60, unique=True)
    verify_code = models.CharField("核验码", max_length=32, unique=True)
    status = models.CharField(
        "生成状态", max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.READY
    )
    facts = models.JSONField("出具时的办件信息", default=dict, blank=True)
    sign = models.BooleanField("须签章", default=False)
    path = models.CharField("存储路径", max_length=200, blank=True, default="")
    sm3 = models.CharField("SM3摘要", max_length=64, blank=True, default="")
    size = models.PositiveIntegerField("字节数", default=0)
    signed = models.BooleanField("已签章", default=False)
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("生成尝试次数", default=0)
    error = models.TextField("最近一次生成错误", blank=True, default="")

    class Meta:
        verbose_name = "办件文书"
        verbose_name_plural = "办件文书"
        ordering = ["case", "issued_at", "pk"]
        indexes = [
            # The sweep looks for documents a worker has not finished.
            models.Index(
                fields=["issued_at"],
                name="cases_doc_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def ready(self) -> bool:
        return self.status == DocumentStatus.READY


class DeliveryWay(models.TextChoices):
    WINDOW = "window", "窗口领取"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"


@audited
class Delivery(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliveries")
    way = models.CharField("送达方式", max_length=12, choices=DeliveryWay.choices)
    tracking_number = models.CharField("快递单号", max_length=40, blank=True, default="")
    recipient = models.CharField("签收人", max_length=64, blank=True, default="")
    delivered_at = models.DateTimeField("送达时间", auto_now_add=True)
    delivered_by_label = models.CharField("送达人", max_length=128)

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = "送达"

    def __str__(self) -> str:
        return self.get_way_display()


class CaseEvent(models.Model):
    """The case's timeline: every transition and action with time, actor and
    acting unit (R5.7, R6.9). Appended by services beside the audit entry;
    ``public`` rows are shown to the applicant."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    kind = models.CharField("类型", max_length=32)
    title = models.CharField("事项", max_length=200)
    detail = models.TextField("说明", blank=True, default="")
    actor_label = models.CharField("办理人", max_length=128)
    unit_name = models.CharField("办理单位", max_length=200, blank=True, default="")
    public = models.BooleanField("申请人可见", default=True)
    document = models.ForeignKey(
        CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """An in-app message to a user; SMS and e-mail copies go through the
    notifier adapters (``cases.notify``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, default="")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
