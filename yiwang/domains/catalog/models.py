"""The service-item catalogue (事项库): basic catalogue, implementation lists,
versioned guides with their materials and steps, special-service tags and
bundles (R3.1–R3.9, R6.5).

Identity and versions are separate tables. ``CatalogEntry`` and
``ServiceItem`` carry only what never changes (codes, owner) and the
lifecycle; every element an applicant reads lives in a version row. A
published version is immutable: a change makes a new draft, so a case pinned
to a version always reads what the applicant was shown.
"""

from __future__ import annotations

from django.db import models

from yiwang.core.audit import audited
from yiwang.core.pii import EncryptedTextField, mask_name
from yiwang.domains.catalog.powerdoc import mask_contact


@audited
class ItemType(models.Model):
    """事项类型: a table, since provinces number the types differently (STANDARDS.md)."""

    code = models.CharField("类型代码", max_length=8, unique=True)
    name = models.CharField("类型名称", max_length=32, unique=True)
    is_power = models.BooleanField("属于行政权力事项", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "事项类型"
        verbose_name_plural = "事项类型"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待中心审核"
    LEGAL_REVIEW = "legal_review", "待合法性审查"
    APPROVED = "approved", "审核通过待发布"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被新版本替代"
    REJECTED = "rejected", "已退回"


class Lifecycle(models.TextChoices):
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停"
    CANCELLED = "cancelled", "已取消"


class SuspendReason(models.TextChoices):
    """R4.3: the listed reasons for suspending a power."""

    NEVER_EXERCISED = "never_exercised", "长期未行使"
    NO_CASE_3_YEARS = "no_case_3_years", "三年及以上无办件"
    OFF_CYCLE = "off_cycle", "周期性事项不在办理期"
    OTHER = "other", "其他"


class Audience(models.TextChoices):
    PERSON = "person", "自然人"
    ENTITY = "entity", "法人"
    BOTH = "both", "自然人、法人"


@audited
class CatalogEntry(models.Model):
    """基本目录: the standard item, the same everywhere (R3.2, R3.3). Its
    current name, type and legal basis are those of its published version."""

    basic_code = models.CharField("基本编码", max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="主项",
    )
    owner = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="catalog_entries",
        verbose_name="编制部门",
    )
    lifecycle = models.CharField(
        "状态", max_length=12, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    current = models.ForeignKey(
        "CatalogEntryVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="现行版本",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "基本目录事项"
        verbose_name_plural = "基本目录事项"
        ordering = ["basic_code"]

    def __str__(self) -> str:
        return self.current.name if self.current_id else self.basic_code  # type: ignore[union-attr]


@audited
class CatalogEntryVersion(models.Model):
    """One version of a basic-catalogue entry. Changes need the centre's review
    and a legal review before publishing (R3.5)."""

    entry = models.ForeignKey(CatalogEntry, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=14, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField("事项名称", max_length=200)
    item_type = models.ForeignKey(ItemType, on_delete=models.PROTECT, verbose_name="事项类型")
    # [{"title": "中华人民共和国食品安全法", "article": "第三十五条", "text": "…"}]
    legal_basis = models.JSONField("设定依据", default=list)
    # ["province", "city", "county"]
    exercise_levels = models.JSONField("行使层级", default=list)
    change_reason = models.CharField("变更理由", max_length=500, blank=True, default="")
    valid_from = models.DateTimeField("生效时间", null=True, blank=True)
    valid_to = models.DateTimeField("失效时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "基本目录版本"
        verbose_name_plural = "基本目录版本"
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="entry_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


@audited
class Tag(models.Model):
    """特色服务清单 tags (R3.7): 马上办, 就近办, 网上办, 掌上办, 免证办 …"""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32, unique=True)
    description = models.CharField("说明", max_length=200, blank=True, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "特色服务清单"
        verbose_name_plural = "特色服务清单"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


@audited
class Topic(models.Model):
    """A browsing axis of the portal: a life event (人生事件: 出生、上学、就业 …)
    for persons, or a theme (主题: 开办企业、工程建设 …) for legal persons."""

    class Kind(models.TextChoices):
        LIFE_EVENT = "life_event", "人生事件"
        THEME = "theme", "主题"

    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=32)
    audience = models.CharField("服务对象", max_length=8, choices=Audience.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name


@audited
class ServiceItem(models.Model):
    """实施清单: one agency's implementation of a catalogue entry in one division
    (R3.2). Applications are pinned to one of its published versions."""

    implementation_code = models.CharField("实施编码", max_length=40, unique=True)
    entry = models.ForeignKey(
        CatalogEntry, on_delete=models.PROTECT, related_name="items", verbose_name="基本目录事项"
    )
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="items", verbose_name="实施机构"
    )
    division = models.ForeignKey(
        "orgs.Division", on_delete=models.PROTECT, related_name="items", verbose_name="实施区划"
    )
    is_convenience = models.BooleanField("便民服务事项", default=False)
    lifecycle = models.CharField(
        "状态", max_length=12, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    suspend_reason = models.CharField(
        "暂停原因", max_length=20, choices=SuspendReason.choices, blank=True, default=""
    )
    suspend_note = models.CharField("暂停说明", max_length=500, blank=True, default="")
    current = models.ForeignKey(
        "ItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="现行版本",
    )
    # Denormalised from the current version for the portal's search and lists;
    # rewritten by the publish service only.
    search_name = models.CharField("检索名称", max_length=200, blank=True, default="")
    search_initials = models.CharField("拼音首字母", max_length=100, blank=True, default="")
    search_pinyin = models.CharField("全拼", max_length=600, blank=True, default="")
    audience = models.CharField(
        "服务对象", max_length=8, choices=Audience.choices, default=Audience.BOTH
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name="特色清单")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="items", verbose_name="主题分类"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "实施清单事项"
        verbose_name_plural = "实施清单事项"
        ordering = ["implementation_code"]
        indexes = [
            models.Index(fields=["division", "lifecycle"], name="item_division_state"),
            models.Index(fields=["agency", "lifecycle"], name="item_agency_state"),
            models.Index(fields=["search_initials"], name="item_initials"),
        ]

    def __str__(self) -> str:
        return self.search_name or self.implementation_code


class SearchKey(models.Model):
    """One distinct item name with its pinyin keys (R3.4 portal search).

    Many items share a name (every county implements 食品经营许可), so the
    search matches its words against these few thousand names and reaches the
    items through :class:`ItemSearchRow`. Derived data: rebuilt by
    ``catalog_reindex``, not audited."""

    name = models.CharField("检索名称", max_length=200, unique=True)
    initials = models.CharField("拼音首字母", max_length=100, blank=True, default="")
    pinyin = models.CharField("全拼", max_length=600, blank=True, default="")

    class Meta:
        verbose_name = "检索名称"
        verbose_name_plural = "检索名称"

    def __str__(self) -> str:
        return self.name


class ItemSearchRow(models.Model):
    """The portal's search table (R3.4, R3.7): one narrow row per PUBLIC item
    (published, active or suspended, of an active catalogue entry), holding
    what the search filters and orders on. Written only by
    ``services.search_row_refresh`` in the transaction of the change that
    affects it, so it never disagrees with the items. Derived data: not
    audited; ``catalog_reindex`` rebuilds it."""

    item = models.OneToOneField(
        ServiceItem, on_delete=models.CASCADE, primary_key=True, related_name="search_row"
    )
    key = models.ForeignKey(
        SearchKey, on_delete=models.PROTECT, related_name="rows", db_index=False
    )
    implementation_code = models.CharField("实施编码", max_length=40, unique=True)
    version = models.ForeignKey(
        "ItemVersion", on_delete=models.PROTECT, related_name="+", verbose_name="现行版本"
    )
    pinyin = models.CharField("全拼", max_length=600, blank=True, default="")
    audience = models.CharField("服务对象", max_length=8, choices=Audience.choices)
    is_convenience = models.BooleanField("便民服务事项", default=False)
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="实施机构",
        db_index=False,
    )
    division_code = models.CharField("实施区划代码", max_length=12, db_index=True)
    lifecycle = models.CharField("状态", max_length=12, choices=Lifecycle.choices)
    # A fresh random token at every refresh: with the version id it names the
    # cached guide page of the item (public.guide_cache_key).
    stamp = models.CharField("刷新标记", max_length=32)

    class Meta:
        verbose_name = "事项检索行"
        verbose_name_plural = "事项检索行"
        indexes = [
            # Each ends with the item so that a page's ids are read from the
            # index alone (on SQLite the primary key is not the rowid).
            models.Index(
                fields=["key", "pinyin", "implementation_code", "item"],
                name="searchrow_key_order",
            ),
            models.Index(fields=["pinyin", "implementation_code", "item"], name="searchrow_order"),
            models.Index(
                fields=["agency", "pinyin", "implementation_code", "item"],
                name="searchrow_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.implementation_code


class CatalogGeneration(models.Model):
    """One row (id 1): random tokens that change whenever the public catalogue
    changes (``items``: an item enters, leaves or changes in the search
    table) or reference data the portal shows changes (``reference``:
    agencies, divisions, halls, windows, roles, item types, tags, topics).
    Cached portal pages and counts carry them in their keys, so any cache
    backend, shared or per process, never serves a stale page (R3.4)."""

    items = models.CharField("事项标记", max_length=32, default="0")
    reference = models.CharField("参考数据标记", max_length=32, default="0")

    class Meta:
        verbose_name = "目录缓存标记"
        verbose_name_plural = "目录缓存标记"

    def __str__(self) -> str:
        return f"{self.items}/{self.reference}"


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "工作日"
    NATURAL_DAYS = "natural_days", "自然日"


class HandlingKind(models.TextChoices):
    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"


@audited
class ItemVersion(models.Model):
    """One version of a service item's guide (办事指南, R3.4). Every element an
    applicant reads is here or in the child rows (variants, materials, steps,
    fees, FAQs); name, code, type and legal basis come from ``entry_version``
    so they cannot diverge from the catalogue (R3.3)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=14, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    entry_version = models.ForeignKey(
        CatalogEntryVersion, on_delete=models.PROTECT, related_name="+", verbose_name="依据目录版本"
    )
    change_reason = models.CharField("变更理由", max_length=500, blank=True, default="")
    local_only = models.BooleanField(
        "仅变更个性化要素", default=False, help_text="只改本地个性化要素时走本级中心的简化审核"
    )
    valid_from = models.DateTimeField("生效时间", null=True, blank=True)
    valid_to = models.DateTimeField("失效时间", null=True, blank=True)

    # 基本信息
    audience = models.CharField("服务对象", max_length=8, choices=Audience.choices)
    handling_kind = models.CharField("办件类型", max_length=10, choices=HandlingKind.choices)
    power_source = models.CharField("权力来源", max_length=64, blank=True, default="")
    exercise_level = models.CharField("行使层级", max_length=16, blank=True, default="")
    entrusted_body = models.CharField("受委托部门", max_length=128, blank=True, default="")
    co_agencies = models.CharField("联办机构", max_length=300, blank=True, default="")
    general_area = models.CharField("通办范围", max_length=64, blank=True, default="")
    quantity_limit = models.CharField("数量限制", max_length=200, blank=True, default="")
    # 受理条件、办理流程
    acceptance_conditions = models.TextField("受理条件", blank=True, default="")
    process_description = models.TextField("办理流程说明", blank=True, default="")
    # 办理时限
    statutory_limit = models.PositiveIntegerField("法定办结时限", null=True, blank=True)
    statutory_unit = models.CharField(
        "法定时限单位", max_length=14, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    statutory_note = models.CharField("法定时限说明", max_length=300, blank=True, default="")
    promised_limit = models.PositiveIntegerField("承诺办结时限", null=True, blank=True)
    promised_unit = models.CharField(
        "承诺时限单位", max_length=14, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    promised_note = models.CharField("承诺时限说明", max_length=300, blank=True, default="")
    # 收费
    charges_fee = models.BooleanField("是否收费", default=False)
    # 审批结果
    result_name = models.CharField("审批结果名称", max_length=200, blank=True, default="")
    result_type = models.CharField(
        "审批结果类型", max_length=8, blank=True, default=""
    )  # 证照/批文/其他
    result_sample = models.FileField(
        "审批结果样本", upload_to="catalog/samples/", blank=True, default=""
    )
    delivery_ways = models.JSONField("送达方式", default=list)  # ["window", "mail", "electronic"]
    # 办理地点与窗口
    address = models.CharField("办理地点", max_length=300, blank=True, default="")
    hours = models.CharField("办理时间", max_length=300, blank=True, default="")
    windows = models.ManyToManyField(
        "orgs.Window", blank=True, related_name="item_versions", verbose_name="办理窗口"
    )
    # 咨询投诉
    consult_phone = models.CharField("咨询电话", max_length=100, blank=True, default="")
    complaint_phone = models.CharField("监督投诉电话", max_length=100, blank=True, default="")
    # 权利义务、法律救济
    rights_obligations = models.TextField("申请人权利和义务", blank=True, default="")
    legal_remedy = models.TextField("法律救济途径", blank=True, default="")
    # 网上办理
    online = models.BooleanField("是否网上办理", default=False)
    online_depth = models.PositiveSmallIntegerField("网上办理深度", default=0)  # 1–4
    onsite_trips = models.PositiveSmallIntegerField("到办事现场次数", default=1)
    mobile_url = models.URLField("移动端办理地址", blank=True, default="")
    appointment = models.BooleanField("支持预约办理", default=False)
    online_payment = models.BooleanField("支持网上支付", default=False)
    express_delivery = models.BooleanField("支持物流快递", default=False)
    enters_centre = models.BooleanField("进驻政务服务中心", default=True)
    # 便民服务事项 (R3.8): 服务内容、管理要求
    service_content = models.TextField("服务内容", blank=True, default="")
    management_requirements = models.TextField("管理要求", blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "办事指南版本"
        verbose_name_plural = "办事指南版本"
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.item.implementation_code} v{self.number}"


@audited
class Variant(models.Model):
    """办理项: a handling variant (首次申请, 变更, 延续, 注销 …) of one version,
    with the JSON Schema of its application form (R3.6)."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="variants")
    code = models.CharField("办理项编码", max_length=48)
    name = models.CharField("办理项名称", max_length=100)
    form_schema = models.JSONField("申请表结构", default=dict)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "办理项"
        verbose_name_plural = "办理项"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="variant_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


@audited
class MaterialSpec(models.Model):
    """申请材料 of a version; ``variant`` null = asked in every variant."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", "证件证书证明"
        FORM = "form", "申请表格文书"
        OTHER = "other", "其他"

    class Form(models.TextChoices):
        PAPER = "paper", "纸质"
        ELECTRONIC = "electronic", "电子"
        BOTH = "both", "纸质+电子"

    class Necessity(models.TextChoices):
        REQUIRED = "required", "必要"
        OPTIONAL = "optional", "非必要"
        DEFERRABLE = "deferrable", "容缺后补"

    class Source(models.TextChoices):
        APPLICANT = "applicant", "申请人自备"
        GOVERNMENT = "government", "政府部门核发"
        OTHER = "other", "其他"

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="materials")
    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, null=True, blank=True, related_name="materials"
    )
    code = models.CharField("材料编码", max_length=48)
    name = models.CharField("材料名称", max_length=200)
    kind = models.CharField("材料类型", max_length=12, choices=Kind.choices)
    form = models.CharField("材料形式", max_length=12, choices=Form.choices)
    necessity = models.CharField("必要性", max_length=12, choices=Necessity.choices)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    page_format = models.CharField("纸张规格", max_length=32, blank=True, default="")
    source = models.CharField("来源渠道", max_length=12, choices=Source.choices)
    source_note = models.CharField("来源渠道说明", max_length=200, blank=True, default="")
    acceptance_standard = models.CharField("受理标准", max_length=500, blank=True, default="")
    legal_basis = models.CharField("设定依据", max_length=500, blank=True, default="")
    blank_form = models.FileField("空白表格", upload_to="catalog/forms/", blank=True, default="")
    example = models.FileField("示例样表", upload_to="catalog/examples/", blank=True, default="")
    filling_notes = models.TextField("填报须知", blank=True, default="")
    # GB/T 36904 type code of the certificate that can replace it (免证办, R5.8).
    certificate_type_code = models.CharField("对应证照类型", max_length=32, blank=True, default="")
    # 告知承诺 (trust level D): the applicant may tick this pledge instead of
    # handing in the document; blank = no pledge allowed for this material.
    pledge_text = models.TextField("告知承诺内容", blank=True, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="material_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


@audited
class StepSpec(models.Model):
    """办理环节 of a version: 受理 → 审查 → 决定 → 制证 → 送达 …"""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField("环节编码", max_length=32)
    name = models.CharField("环节名称", max_length=64)
    role_code = models.CharField("办理角色", max_length=32)
    time_limit = models.PositiveIntegerField("环节时限", default=0)
    time_unit = models.CharField(
        "时限单位", max_length=14, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    is_special = models.BooleanField("特别程序", default=False)
    description = models.CharField("环节说明", max_length=500, blank=True, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="step_code_unique")]

    def __str__(self) -> str:
        return self.name


@audited
class Fee(models.Model):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField("收费项目", max_length=200)
    standard = models.CharField("收费标准", max_length=300)
    legal_basis = models.CharField("收费依据", max_length=500)
    reducible = models.BooleanField("是否允许减免", default=False)
    reduction_note = models.CharField("减免说明", max_length=300, blank=True, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "收费项目"
        verbose_name_plural = "收费项目"
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name


@audited
class Faq(models.Model):
    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("解答")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.question


@audited
class Bundle(models.Model):
    """一件事 (R6.5): several items applied for together with one form and one
    set of materials. The merged form and material list are derived from the
    members' current versions by the bundle services."""

    code = models.CharField("一件事编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True, default="")
    division = models.ForeignKey(
        "orgs.Division", on_delete=models.PROTECT, related_name="bundles", verbose_name="区划"
    )
    lead_agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="led_bundles", verbose_name="牵头部门"
    )
    audience = models.CharField("服务对象", max_length=8, choices=Audience.choices)
    lifecycle = models.CharField(
        "状态", max_length=12, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    promised_limit = models.PositiveIntegerField("承诺办结时限（工作日）", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@audited
class BundleMember(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bundle_members")
    variant_code = models.CharField("办理项编码", max_length=48, blank=True, default="")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "一件事成员事项"
        verbose_name_plural = "一件事成员事项"
        ordering = ["bundle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


# --- power and responsibility lists (权责清单, R4.1–R4.6) ------------------------


class PowerType(models.TextChoices):
    """R4.1: the kinds of administrative power on a power list."""

    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他"


class PowerStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停（挂起）"
    CANCELLED = "cancelled", "已取消"
    DELEGATED = "delegated", "已下放"


@audited
class Power(models.Model):
    """One power on the power list (R4.1): what it is, on what basis, who
    exercises it, within what time and under whose supervision. The flowchart
    is drawn from its ``steps``; its responsibility items are its ``duties``.
    Only an approved change request (R4.2, R4.3) creates or changes a row."""

    code = models.CharField("权力编码", max_length=40, unique=True)
    name = models.CharField("权力名称", max_length=200)
    power_type = models.CharField("权力类型", max_length=14, choices=PowerType.choices)
    # [{"title": "中华人民共和国行政许可法", "article": "第十二条", "text": "…"}]
    basis = models.JSONField("实施依据", default=list)
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="powers", verbose_name="实施主体"
    )
    division = models.ForeignKey(
        "orgs.Division", on_delete=models.PROTECT, related_name="powers", verbose_name="行使区划"
    )
    delegated_from = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_powers",
        verbose_name="下放前实施主体",
    )
    time_limit = models.CharField("办理时限", max_length=200, blank=True, default="")
    supervision_method = models.TextField("监督方式", blank=True, default="")
    secret = models.BooleanField("涉密", default=False, help_text="涉密权力不予公开")
    status = models.CharField(
        "状态", max_length=10, choices=PowerStatus.choices, default=PowerStatus.ACTIVE
    )
    suspend_reason = models.CharField(
        "暂停原因", max_length=20, choices=SuspendReason.choices, blank=True, default=""
    )
    suspend_note = models.CharField("暂停说明", max_length=500, blank=True, default="")
    entry = models.ForeignKey(
        CatalogEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="powers",
        verbose_name="对应目录事项",
    )
    search_initials = models.CharField("拼音首字母", max_length=100, blank=True, default="")
    search_pinyin = models.CharField("全拼", max_length=600, blank=True, default="")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("最近审核确认时间", null=True, blank=True)
    basis_changed_at = models.DateTimeField("依据变化时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "权力事项"
        verbose_name_plural = "权力事项"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["agency", "status"], name="power_agency_status"),
            models.Index(fields=["division", "status"], name="power_division_status"),
            models.Index(fields=["power_type", "status"], name="power_type_status"),
        ]

    def __str__(self) -> str:
        return self.name


@audited
class PowerStep(models.Model):
    """One box of a power's flowchart (运行流程图), in order."""

    power = models.ForeignKey(Power, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("环节名称", max_length=64)
    actor_role = models.CharField("办理岗位", max_length=64, blank=True, default="")
    time_limit = models.CharField("环节时限", max_length=64, blank=True, default="")
    description = models.CharField("环节说明", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = "权力运行环节"
        verbose_name_plural = "权力运行环节"
        ordering = ["power", "order", "id"]

    def __str__(self) -> str:
        return self.name


@audited
class Duty(models.Model):
    """A responsibility item (责任事项) tied to a power, with its basis and the
    cases in which officials are held to account (追责情形)."""

    power = models.ForeignKey(Power, on_delete=models.CASCADE, related_name="duties")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    content = models.TextField("责任事项")
    basis = models.TextField("责任事项依据", blank=True, default="")
    accountability = models.TextField("追责情形")

    class Meta:
        verbose_name = "责任事项"
        verbose_name_plural = "责任事项"
        ordering = ["power", "order", "id"]

    def __str__(self) -> str:
        return self.content[:40]


class PowerChangeKind(models.TextChoices):
    ADD = "add", "新增"
    CANCEL = "cancel", "取消"
    DELEGATE = "delegate", "下放"
    CHANGE = "change", "变更要素"
    SUSPEND = "suspend", "暂停（挂起）"
    RESUME = "resume", "恢复"


class PowerChangeReason(models.TextChoices):
    """R4.2: the listed reasons for adding, cancelling, delegating or changing
    a power (suspensions use :class:`SuspendReason`, R4.3)."""

    LAW_CHANGED = "law_changed", "法律法规规章立改废"
    REORGANISATION = "reorganisation", "机构改革、职能调整"
    MERGE_SPLIT = "merge_split", "事项合并或拆分"
    DELEGATED_FROM_ABOVE = "delegated_from_above", "上级下放"
    CANCELLED_ABOVE = "cancelled_above", "上级取消"
    BETTER_BELOW = "better_below", "由下级管理更方便有效"
    MARKET_CAN_REGULATE = "market_can_regulate", "市场机制能够有效调节"
    OTHER = "other", "其他"


class PowerChangeStatus(models.TextChoices):
    PENDING = "pending", "待审改办审核"
    REFORM_APPROVED = "reform_approved", "审改办审核通过，待审定"
    APPROVED = "approved", "已审定生效"
    REJECTED = "rejected", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


@audited
class PowerChangeRequest(models.Model):
    """A department's request to add, cancel, delegate, change, suspend or
    resume a power (R4.2, R4.3): reviewed by the reform office (审改办), then
    approved. The list changes only when it is approved."""

    kind = models.CharField("申请类型", max_length=10, choices=PowerChangeKind.choices)
    power = models.ForeignKey(
        Power,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name="权力事项",
        help_text="新增申请在审定后指向新建的权力事项",
    )
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="power_requests",
        verbose_name="申请部门",
    )
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        related_name="power_requests",
        verbose_name="区划",
    )
    reason = models.CharField("事由", max_length=24)
    note = models.CharField("说明", max_length=1000, blank=True, default="")
    payload = models.JSONField("申请内容", default=dict)
    summary = models.CharField("摘要", max_length=300)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=PowerChangeStatus.choices,
        default=PowerChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        "orgs.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申请人",
    )
    requester = models.CharField("申请人", max_length=100, blank=True, default="")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "orgs.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审改办审核人",
    )
    reviewed_at = models.DateTimeField("审改办审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True, default="")
    approved_by = models.ForeignKey(
        "orgs.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审定人",
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    approval_note = models.CharField("审定意见", max_length=500, blank=True, default="")
    resume_due_at = models.DateTimeField("应恢复时间", null=True, blank=True)

    class Meta:
        verbose_name = "权责清单调整申请"
        verbose_name_plural = "权责清单调整申请"
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["status", "division"], name="powerreq_status_division"),
            models.Index(fields=["agency", "status"], name="powerreq_agency_status"),
        ]

    def __str__(self) -> str:
        return self.summary


class PowerCommentKind(models.TextChoices):
    COMMENT = "comment", "意见建议"
    COMPLAINT = "complaint", "投诉"


class PowerCommentStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    REPLIED = "replied", "已答复"


@audited
class PowerComment(models.Model):
    """A public comment or complaint on a power (R4.6). Anyone may leave one;
    the contact is encrypted at rest and masked on screen; the power's agency
    replies."""

    power = models.ForeignKey(Power, on_delete=models.PROTECT, related_name="comments")
    kind = models.CharField("类别", max_length=10, choices=PowerCommentKind.choices)
    content = models.TextField("内容")
    name = EncryptedTextField("姓名", blank=True, default="")
    contact = EncryptedTextField("联系方式")
    contact_index = models.CharField("联系方式索引", max_length=64, db_index=True)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=PowerCommentStatus.choices,
        default=PowerCommentStatus.PENDING,
    )
    reply = models.TextField("答复", blank=True, default="")
    replied_by = models.ForeignKey(
        "orgs.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "权力事项意见投诉"
        verbose_name_plural = "权力事项意见投诉"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["power", "status"], name="powercomment_power_status")]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def masked_contact(self) -> str:
        return mask_contact(self.contact)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name) if self.name else ""


# --- sunshine lists (阳光清单, R4.7) ----------------------------------------------


@audited
class FundList(models.Model):
    """One row of the fiscal special-fund list (财政专项资金清单) of a budget
    year: the department, the project, its budget, how it is managed,
    allocated and evaluated (R4.7)."""

    year = models.PositiveSmallIntegerField("预算年度")
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="fund_lists", verbose_name="主管部门"
    )
    division = models.ForeignKey(
        "orgs.Division", on_delete=models.PROTECT, related_name="fund_lists", verbose_name="区划"
    )
    project = models.CharField("专项资金项目", max_length=200)
    budget = models.DecimalField("预算金额（万元）", max_digits=14, decimal_places=2)
    management_rules = models.TextField("管理办法", blank=True, default="")
    allocation = models.TextField("分配情况", blank=True, default="")
    performance = models.TextField("绩效情况", blank=True, default="")
    published = models.BooleanField("已公布", default=False)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "财政专项资金清单"
        verbose_name_plural = "财政专项资金清单"
        ordering = ["-year", "agency", "project"]
        indexes = [models.Index(fields=["year", "published"], name="fundlist_year_published")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "agency", "project"], name="fundlist_year_agency_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.project}"


@audited
class ReliefList(models.Model):
    """One row of the poverty-relief list (扶贫/乡村振兴项目资金清单): project,
    area, how many benefit, the funds, the year (R4.7)."""

    year = models.PositiveSmallIntegerField("年度")
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="relief_lists",
        verbose_name="责任单位",
    )
    division = models.ForeignKey(
        "orgs.Division",
        on_delete=models.PROTECT,
        related_name="relief_lists",
        verbose_name="实施地区",
    )
    project = models.CharField("项目名称", max_length=200)
    content = models.TextField("建设内容", blank=True, default="")
    beneficiaries = models.PositiveIntegerField("受益人数")
    funds = models.DecimalField("资金规模（万元）", max_digits=14, decimal_places=2)
    published = models.BooleanField("已公布", default=False)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "扶贫项目资金清单"
        verbose_name_plural = "扶贫项目资金清单"
        ordering = ["-year", "division", "project"]
        indexes = [models.Index(fields=["year", "published"], name="relieflist_year_published")]

    def __str__(self) -> str:
        return f"{self.year} {self.project}"
