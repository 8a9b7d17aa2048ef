"""A certificate type's field schema is checked when it is saved, by every
path (R7.2)."""

from __future__ import annotations

from typing import Any

import pytest

from yiwang.domains.certificates import services
from yiwang.domains.certificates.errors import ValidationFailed
from yiwang.domains.certificates.models import CertificateType
from yiwang.domains.certificates.schemas import schema_problems
from yiwang.domains.certificates.tests.conftest import fresh


def test_schema_problems_name_each_bad_field() -> None:
    """R7.2: a usable schema has no problems; a bad one lists each in Chinese."""
    good = {
        "type": "object",
        "properties": {"shop": {"type": "string", "title": "店名"}},
        "required": ["shop"],
    }
    assert schema_problems(good) == []
    bad = {
        "type": "object",
        "properties": {"a": {"type": "date"}, "b": "x"},
        "required": ["c"],
    }
    problems = schema_problems(bad)
    assert any("字段“a”的 type" in p for p in problems)
    assert any("字段“b”的定义应为对象" in p for p in problems)
    assert any("“c”不是已定义的字段" in p for p in problems)
    assert schema_problems([]) and schema_problems({"type": "array"})
    assert schema_problems(
        {"type": "object", "properties": {"n": {"type": "string", "minLength": "x"}}}
    )


@pytest.mark.django_db
def test_type_services_refuse_a_schema_that_would_fail_at_issue(cert_world: Any) -> None:
    """R7.2: the service (so the API too) refuses a bad field schema on
    create and update, and nothing is saved."""
    w = cert_world
    before = CertificateType.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.certificate_type_create(
            actor=fresh(w.lx_admin),
            defining_agency=w.lx_scj,
            code_suffix="003",
            name="小作坊登记证",
            holder_kind="person",
            field_schema={"type": "object", "properties": {"a": {"type": "date"}}},
        )
    assert "字段“a”的 type" in err.value.message
    assert CertificateType.objects.count() == before
    with pytest.raises(ValidationFailed):
        services.certificate_type_update(
            actor=fresh(w.types_admin),
            type_id=w.food_type.pk,
            field_schema={"type": "object", "properties": {}, "required": ["x"]},
        )
    w.food_type.refresh_from_db()
    assert "x" not in (w.food_type.field_schema.get("required") or [])
