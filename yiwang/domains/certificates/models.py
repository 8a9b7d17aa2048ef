"""Electronic certificates and seals (电子证照、电子印章; R7, GB/T 36901–36905).

- ``CertificateType`` (证照类型): defined by one agency, code = its unified
  social credit code + 3 digits (GB/T 36904); ``ItemCertificateType`` says
  which catalogue entry (基本目录事项) results in which type: every agency's
  implementation of that entry issues it when a granting case reaches 制证.
- ``Seal`` (电子印章): an agency's SM2 key pair (private key SM4-sealed at
  rest), its image, validity and revocation; ``SealUse`` logs every signature.
- ``Certificate`` (电子证照): one version of one certificate; ``metadata`` is
  the GB/T 36903 list exactly as signed (canonical JSON), ``signature`` the
  seal's SM2 signature over that JSON plus the SM3 of the PDF file. Renewal or
  change makes a new row linked by ``previous``; status changes are kept in
  ``CertificateStatusChange``.
- ``CertificateUse``: the holder's consent to one agency using one
  certificate for one case, and when it was used (免证办, R5.8).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.core.audit import audited
from yiwang.core.pii import EncryptedTextField


class HolderKind(models.TextChoices):
    PERSON = "person", "自然人"
    ENTITY = "entity", "法人和其他组织"


class HolderCodeType(models.TextChoices):
    RESIDENT_ID = "111", "居民身份证"
    CREDIT_CODE = "001", "统一社会信用代码"


class Status(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    WITHDRAWN = "withdrawn", "撤销"
    CANCELLED = "cancelled", "注销"
    EXPIRED = "expired", "失效"
    REVOKED = "revoked", "吊销"
    TRANSFERRED = "transferred", "转出"
    OTHER = "other", "其他"


class Source(models.TextChoices):
    CASE = "case", "办件制证"
    MANUAL = "manual", "手工签发"
    IMPORT = "import", "存量导入"


@audited
class CertificateType(models.Model):
    code = models.CharField("证照类型代码", max_length=21, unique=True)
    name = models.CharField("证照类型名称", max_length=100)
    holder_kind = models.CharField("持证主体类型", max_length=8, choices=HolderKind.choices)
    defining_agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="certificate_types",
        verbose_name="定义机构",
    )
    # The definer named in the code (GB/T 36904) when it is not the platform
    # agency keeping the type here — e.g. a ministry defines 营业执照 and the
    # city's 市场监督管理局 registers and maintains it on this platform.
    definer_name = models.CharField("定义机构名称", max_length=128, blank=True, default="")
    definer_code = models.CharField("定义机构代码", max_length=18, blank=True, default="")
    field_schema = models.JSONField("照面信息字段（JSON Schema）", default=dict, blank=True)
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True)
    shared = models.BooleanField("共享证照", default=False)
    number_prefix = models.CharField("证照编号前缀", max_length=8, blank=True, default="")
    description = models.CharField("说明", max_length=500, blank=True, default="")
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "证照类型"
        verbose_name_plural = "证照类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def definer(self) -> str:
        return self.definer_name or self.defining_agency.name


@audited
class ItemCertificateType(models.Model):
    """A catalogue entry whose result is a certificate of this type."""

    entry = models.OneToOneField(
        "catalog.CatalogEntry",
        on_delete=models.PROTECT,
        related_name="certificate_link",
        verbose_name="基本目录事项",
    )
    type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="entries", verbose_name="证照类型"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "事项对应证照类型"
        verbose_name_plural = "事项对应证照类型"

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.type_id}"


@audited
class Seal(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="seals", verbose_name="用章机构"
    )
    code = models.CharField("印章编码", max_length=32, unique=True)
    name = models.CharField("印章名称", max_length=128)
    algorithm = models.CharField("签名算法", max_length=16, default="SM2")
    public_key = models.TextField("公钥")
    private_key_sealed = models.TextField("私钥（SM4加密）", blank=True, default="")
    # an HSM-held key leaves private_key_sealed empty and names the key here
    key_ref = models.CharField("密钥标识", max_length=128, blank=True, default="")
    image_svg = models.TextField("印模图像（SVG）")
    valid_from = models.DateTimeField("启用时间")
    valid_to = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField("吊销原因", max_length=500, blank=True, default="")
    created_at = models.DateTimeField("制作时间", auto_now_add=True)

    class Meta:
        verbose_name = "电子印章"
        verbose_name_plural = "电子印章"
        indexes = [models.Index(fields=["agency", "valid_to"], name="seal_agency_valid")]

    def __str__(self) -> str:
        return self.name


@audited
class SealUse(models.Model):
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="uses")
    certificate = models.ForeignKey(
        "Certificate", on_delete=models.PROTECT, null=True, blank=True, related_name="seal_uses"
    )
    purpose = models.CharField("用途", max_length=200)
    digest = models.CharField("签名数据SM3", max_length=64)
    signature = models.TextField("签名值")
    actor_label = models.CharField("操作人", max_length=128, blank=True, default="")
    used_at = models.DateTimeField("用章时间", auto_now_add=True)

    class Meta:
        verbose_name = "用章记录"
        verbose_name_plural = "用章记录"
        indexes = [models.Index(fields=["seal", "-used_at"], name="seal_use_seal")]

    def __str__(self) -> str:
        return f"{self.seal_id} {self.purpose}"


class CertificateSequence(models.Model):
    """The last serial per type, issuer and year; read under a row lock."""

    type = models.ForeignKey(CertificateType, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "issuer", "year"], name="certificate_seq_key")
        ]

    def __str__(self) -> str:
        return f"{self.type_id}/{self.issuer_id}/{self.year} #{self.last}"


@audited
class Certificate(models.Model):
    identifier = models.CharField("证照标识", max_length=120, unique=True)
    type = models.ForeignKey(
        CertificateType,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="证照类型",
    )
    number = models.CharField("证照编号", max_length=64, db_index=True)
    name = models.CharField("证照名称", max_length=100)
    issuer = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        related_name="certificates_issued",
        verbose_name="颁证单位",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name="持证主体账户",
    )
    holder_name = models.CharField("持证主体", max_length=200)
    holder_code = EncryptedTextField("持证主体代码")
    holder_code_type = models.CharField(
        "持证主体代码类型", max_length=3, choices=HolderCodeType.choices
    )
    holder_index = models.CharField("持证主体代码索引", max_length=64, db_index=True)
    issued_on = models.DateField("颁证日期")
    valid_from = models.DateField("有效期起始")
    valid_to = models.DateField("有效期截止", null=True, blank=True)  # None: 长期
    division_code = models.CharField("颁证单位行政区划代码", max_length=12)
    data = models.JSONField("照面信息", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.VALID, db_index=True
    )
    status_reason = models.CharField("状态原因", max_length=500, blank=True, default="")
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name="上一版本",
    )
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办件",
    )
    metadata = models.JSONField("元数据（签名原文）", default=dict)
    file_path = models.CharField("证照文件", max_length=200, blank=True, default="")
    file_sm3 = models.CharField("文件SM3", max_length=64, blank=True, default="")
    seal = models.ForeignKey(
        Seal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name="电子印章",
    )
    signature = models.TextField("印章签名值", blank=True, default="")
    signature_algorithm = models.CharField("签名算法", max_length=16, blank=True, default="")
    signed_at = models.DateTimeField("签章时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        indexes = [
            models.Index(fields=["holder", "status"], name="certificate_holder"),
            models.Index(fields=["type", "issuer"], name="certificate_type_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def status_name(self) -> str:
        return Status(self.status).label


@audited
class CertificateStatusChange(models.Model):
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField("原状态", max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=Status.choices)
    reason = models.CharField("原因", max_length=500)
    actor_label = models.CharField("操作人", max_length=128)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "证照状态变更"
        verbose_name_plural = "证照状态变更"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


@audited
class CertificateUse(models.Model):
    """The holder's consent to one use of a certificate, and the use itself;
    every row is shown to the holder (who, when, which case, which purpose)."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="uses", verbose_name="电子证照"
    )
    agency = models.ForeignKey(
        "orgs.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用证单位",
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办件",
    )
    material_code = models.CharField("材料编码", max_length=48, blank=True, default="")
    purpose = models.CharField("用途", max_length=500)
    actor_label = models.CharField("使用人", max_length=128, blank=True, default="")
    consented_at = models.DateTimeField("授权时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    visible = models.BooleanField("持证人可见", default=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "用证记录"
        verbose_name_plural = "用证记录"
        indexes = [models.Index(fields=["certificate", "-consented_at"], name="cert_use_cert")]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.purpose}"
