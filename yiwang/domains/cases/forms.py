"""Checking an application form against its variant's JSON Schema (R5.1),
with Chinese messages per field. Pure: imports no Django."""

from __future__ import annotations

import functools
import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


def _title(schema: dict[str, Any], name: str) -> str:
    prop = (schema.get("properties") or {}).get(name) or {}
    return str(prop.get("title") or name)


@functools.lru_cache(maxsize=256)
def _validator(schema_text: str) -> Draft202012Validator | None:
    """The checked validator of one schema, or None when the schema is broken:
    checking a schema against the meta-schema costs more than checking a form,
    and a guide's schema changes only with a new version."""
    schema = json.loads(schema_text)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return None
    return Draft202012Validator(schema)


def form_errors(schema: dict[str, Any] | None, data: Any) -> dict[str, str]:
    """{field: Chinese message} for every problem; empty when the data fits.

    An empty schema accepts any object. A broken schema is reported on the
    form as a whole (the guide's editors must fix it, not the applicant)."""
    if not isinstance(data, dict):
        return {"form": "申请表应为键值对象"}
    schema = schema or {}
    if not schema:
        return {}
    validator = _validator(json.dumps(schema, sort_keys=True, ensure_ascii=False))
    if validator is None:
        return {"form": "该办理项的申请表结构有误，请联系事项实施机构"}
    errors: dict[str, str] = {}
    for err in validator.iter_errors(data):
        if err.validator == "required":
            missing = [name for name in err.validator_value if name not in (err.instance or {})]
            for name in missing:
                errors.setdefault(name, f"请填写“{_title(schema, name)}”")
            continue
        field = str(err.path[0]) if err.path else "form"
        label = _title(schema, field) if field != "form" else "申请表"
        rule = err.validator
        if rule in ("maxLength", "minLength"):
            msg = f"“{label}”长度不符合要求"
        elif rule == "enum":
            msg = f"“{label}”只能选择：{'、'.join(map(str, err.validator_value))}"
        elif rule in ("type", "pattern", "format"):
            msg = f"“{label}”格式不正确"
        elif rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            msg = f"“{label}”超出允许范围"
        elif rule == "additionalProperties":
            msg = "申请表含有未定义的字段"
        else:
            msg = f"“{label}”填写有误"
        errors.setdefault(field, msg)
    return errors
