"""Applicants (申请人) and the login identity shared with staff (R2.3)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from yiwang.core.actors import ActorRef
from yiwang.core.audit import audited
from yiwang.core.pii import EncryptedTextField, mask_id_number, mask_name, mask_phone


class User(AbstractUser):
    """A login. ``kind`` separates staff from applicants: each logs in on its
    own page and never reaches the other's.

    Applicants' user names carry no personal data: a person's is ``P`` + the
    blind index of the ID number, an entity's ``E`` + its credit code.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", "工作人员"
        PERSON = "person", "自然人"
        ENTITY = "entity", "法人"

    kind = models.CharField("账户类型", max_length=8, choices=Kind.choices)
    display_name = models.CharField("显示名称", max_length=128, blank=True, default="")

    class Meta:
        verbose_name = "登录账户"
        verbose_name_plural = "登录账户"


@audited
class Person(models.Model):
    """A citizen applicant, real-named by resident ID (GB 11643)."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="person")
    name = models.CharField("姓名", max_length=64)
    id_number = EncryptedTextField("公民身份号码")
    id_index = models.CharField("身份号码索引", max_length=64, unique=True)
    phone = EncryptedTextField("手机号码", blank=True, default="")
    # Blind index of the phone: lets a person log in by phone and keeps one
    # phone bound to one account, without storing the number in clear.
    phone_index = models.CharField("手机号码索引", max_length=64, blank=True, default="")
    verified_by = models.CharField("实名核验方式", max_length=32, default="check_digit")
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "自然人"
        verbose_name_plural = "自然人"
        constraints = [
            models.UniqueConstraint(
                fields=["phone_index"], condition=~Q(phone_index=""), name="person_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return mask_name(self.name)

    kind_label = "个人"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def actor_ref(self) -> ActorRef:
        return ActorRef("person", str(self.pk), mask_name(self.name))

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        return False


@audited
class Entity(models.Model):
    """A legal-person applicant, real-named by unified social credit code (GB 32100)."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="entity")
    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    legal_representative = models.CharField("法定代表人", max_length=64)
    legal_representative_id = EncryptedTextField("法定代表人身份号码", blank=True, default="")
    phone = EncryptedTextField("联系电话", blank=True, default="")
    verified_by = models.CharField("实名核验方式", max_length=32, default="check_digit")
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "法人"
        verbose_name_plural = "法人"

    def __str__(self) -> str:
        return self.name

    kind_label = "法人"

    @property
    def masked_name(self) -> str:
        # An entity's name is public register data; only people's data is masked.
        return self.name

    @property
    def masked_legal_representative(self) -> str:
        return mask_name(self.legal_representative)

    @property
    def masked_legal_representative_id(self) -> str:
        return mask_id_number(self.legal_representative_id) if self.legal_representative_id else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def actor_ref(self) -> ActorRef:
        return ActorRef("entity", str(self.pk), self.name)

    def has_permission(self, code: str, *, agency_id: int | None = None) -> bool:
        return False
