"""Divisions, agencies, service centres, halls, windows, staff and their roles
(R1.3, R2.1, R2.2, R2.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.core.actors import ActorRef
from yiwang.core.audit import audited
from yiwang.core.pii import EncryptedTextField, mask_id_number, mask_phone


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWN = "town", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"


@audited
class Division(models.Model):
    """An administrative division (行政区划), GB/T 2260 code; towns and villages
    use the 12-digit statistical code."""

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=8, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级区划",
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", "政府部门"
    DELEGATED = "delegated", "法律法规授权组织"
    ENTERPRISE = "enterprise", "公共服务企事业单位"
    MANAGEMENT = "management", "政务服务管理机构"


@audited
class Agency(models.Model):
    """A body that handles items (政务服务实施机构) or manages a level
    (政务服务管理机构), real-named by its unified social credit code."""

    name = models.CharField("名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True, default="")
    kind = models.CharField("机构性质", max_length=12, choices=AgencyKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="agencies", verbose_name="所属区划"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级机构",
    )
    phone = models.CharField("联系电话", max_length=32, blank=True, default="")
    address = models.CharField("地址", max_length=200, blank=True, default="")
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["division__code", "name"]
        indexes = [models.Index(fields=["division", "kind"], name="agency_division_kind")]

    def __str__(self) -> str:
        return self.name


@audited
class ServiceCentre(models.Model):
    """The management body of one division's level (政务服务中心): it runs the
    halls, keeps the catalogue, receives filings, supervises."""

    division = models.OneToOneField(
        Division, on_delete=models.PROTECT, related_name="service_centre", verbose_name="区划"
    )
    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="service_centre", verbose_name="管理机构"
    )
    name = models.CharField("名称", max_length=128)

    class Meta:
        verbose_name = "政务服务中心"
        verbose_name_plural = "政务服务中心"

    def __str__(self) -> str:
        return self.name


class HallLevel(models.TextChoices):
    HALL = "hall", "政务服务大厅"
    TOWN_CENTRE = "town_centre", "便民服务中心"
    VILLAGE_STATION = "village_station", "便民服务站"
    VILLAGE_ROOM = "village_room", "便民服务室"


@audited
class Hall(models.Model):
    """A physical service hall at any level (R12.1; detail in the halls issue)."""

    centre = models.ForeignKey(
        ServiceCentre, on_delete=models.PROTECT, related_name="halls", verbose_name="所属中心"
    )
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="halls", verbose_name="区划"
    )
    name = models.CharField("名称", max_length=128)
    level = models.CharField("类别", max_length=16, choices=HallLevel.choices)
    address = models.CharField("地址", max_length=200, blank=True, default="")
    phone = models.CharField("咨询电话", max_length=32, blank=True, default="")
    hours = models.CharField("办公时间", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "服务大厅"
        verbose_name_plural = "服务大厅"
        ordering = ["division__code", "name"]

    def __str__(self) -> str:
        return self.name


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合受理窗口"
    SPECIALISED = "specialised", "专业窗口"
    AGENCY = "agency", "部门窗口"
    NOT_DONE = "not_done", "“办不成事”反映窗口"
    CROSS_REGION = "cross_region", "跨域通办窗口"
    ASSISTED = "assisted", "帮办代办窗口"


@audited
class Window(models.Model):
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="windows")
    number = models.CharField("窗口号", max_length=16)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类别", max_length=16, choices=WindowKind.choices)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="windows")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}号 {self.name}"


@audited
class Role(models.Model):
    """A named set of permission codes, granted to staff per agency (and, from
    the case issue on, per handling step)."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    permissions = models.JSONField("权限", default=list)
    description = models.CharField("说明", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@audited
class Staff(models.Model):
    """A real-named official (工作人员). Acts only through role grants (R2.2)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", verbose_name="所在单位"
    )
    name = models.CharField("姓名", max_length=64)
    id_number = EncryptedTextField("公民身份号码")
    id_index = models.CharField("身份号码索引", max_length=64, unique=True)
    phone = EncryptedTextField("手机号码", blank=True, default="")
    title = models.CharField("职务", max_length=64, blank=True, default="")
    active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def actor_ref(self) -> ActorRef:
        return ActorRef("staff", str(self.pk), self.name)

    def _grant_pairs(self) -> list[tuple[int, list[str]]]:
        cached = getattr(self, "_grant_cache", None)
        if cached is None:
            cached = [
                (g.agency_id, g.role.permissions) for g in self.grants.select_related("role").all()
            ]
            self._grant_cache = cached
        return cached

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        if not self.active:
            return False
        return any(
            code in perms and (agency_id is None or agency_id == granted_at)
            for granted_at, perms in self._grant_pairs()
        )

    def agencies_with(self, code: str) -> list[int]:
        return sorted({a for a, perms in self._grant_pairs() if code in perms})


@audited
class RoleGrant(models.Model):
    """Staff member × role × agency. Only a request applied after the unit
    head's approval creates or removes one (R2.4)."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="grants")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="grants")
    step_code = models.CharField("办理环节", max_length=32, blank=True, default="")
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "role", "agency", "step_code"], name="grant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}:{self.role_id}@{self.agency_id}"


class ChangeKind(models.TextChoices):
    CREATE_STAFF = "create_staff", "新增人员"
    UPDATE_STAFF = "update_staff", "修改人员信息"
    GRANT_ROLE = "grant_role", "授予角色"
    REVOKE_ROLE = "revoke_role", "收回角色"
    DEACTIVATE = "deactivate", "人员离岗"
    REACTIVATE = "reactivate", "人员复岗"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "待负责人审批"
    APPROVED = "approved", "已批准待执行"
    APPLIED = "applied", "已执行并备案"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


@audited
class StaffChangeRequest(models.Model):
    """A request to change a staff member's data or roles (R2.4): requested,
    approved by the unit head, applied by the unit administrator, filed with
    the same-level service centre. Nothing changes before it is applied."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff_requests", verbose_name="单位"
    )
    kind = models.CharField("变更类型", max_length=16, choices=ChangeKind.choices)
    target = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name="对象人员",
    )
    # JSON of the requested values; encrypted because it may hold an ID number.
    payload = EncryptedTextField("变更内容", default="{}")
    summary = models.CharField("摘要", max_length=200)
    reason = models.CharField("事由", max_length=500)
    status = models.CharField(
        "状态", max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True, default="")
    applied_by = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="执行人",
    )
    applied_at = models.DateTimeField("执行时间", null=True, blank=True)
    filed_with = models.ForeignKey(
        ServiceCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_filings",
        verbose_name="备案中心",
    )
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)

    class Meta:
        verbose_name = "人员权限变更申请"
        verbose_name_plural = "人员权限变更申请"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["agency", "status"], name="staffreq_agency_status")]

    def __str__(self) -> str:
        return self.summary


@audited
class ApiClient(models.Model):
    """An agency's business system that calls the API with a bearer token (R1.4).
    Only the SM3 digest of the token is stored."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField("系统名称", max_length=128)
    token_prefix = models.CharField("令牌前缀", max_length=12)
    token_digest = models.CharField("令牌摘要", max_length=64, unique=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "接入系统"
        verbose_name_plural = "接入系统"

    def __str__(self) -> str:
        return self.name

    def actor_ref(self) -> ActorRef:
        return ActorRef("api", str(self.pk), f"{self.name}（接口）")

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        return agency_id is None or agency_id == self.agency_id


@audited
class AgencyKey(models.Model):
    """An agency's document-signing key and its certificate, issued by the
    platform root (yiwang.core.signing). One key per agency is active; a
    rotation retires the old one, which stays here so what it signed can
    still be traced. The private key is SM4-sealed (YIWANG_KEY_ENCRYPTION_KEYS)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="signing_keys", verbose_name="机构"
    )
    algorithm = models.CharField("算法", max_length=32)
    serial = models.CharField("证书序列号", max_length=40, unique=True)
    fingerprint = models.CharField("证书指纹（SHA-256）", max_length=64, unique=True)
    subject = models.CharField("证书主体", max_length=300)
    cert_pem = models.TextField("证书（PEM）")
    private_key = models.TextField("私钥（SM4 加密）")
    valid_from = models.DateTimeField("生效时间")
    valid_to = models.DateTimeField("失效时间")
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "机构签名密钥"
        verbose_name_plural = "机构签名密钥"
        ordering = ["agency", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(active=True), name="agencykey_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.serial}"
