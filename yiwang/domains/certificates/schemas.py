"""What a certificate type's field schema (照面信息字段, R7.2) may say: a JSON
Schema object listing typed fields. One check serves the console form, the
API and every other caller of the type services, so a schema that would only
fail at the first issue is refused when it is saved. Pure: no Django."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

FIELD_TYPES = ("string", "number", "integer", "boolean", "array")


def schema_problems(schema: Any) -> list[str]:
    """Every problem of ``schema`` in Chinese, naming the field; empty when
    it is a usable field schema."""
    if not isinstance(schema, dict):
        return ["照面信息字段应为 JSON 对象（以 { 开头）"]
    if schema.get("type", "object") != "object":
        return ['顶层的 "type" 应为 "object"']
    props = schema.get("properties", {})
    if not isinstance(props, dict):
        return ['应包含 "properties" 对象，逐个列出照面信息字段']
    problems: list[str] = []
    for name, prop in props.items():
        if not str(name).strip():
            problems.append("字段名不能为空")
            continue
        if not isinstance(prop, dict):
            problems.append(f"字段“{name}”的定义应为对象")
            continue
        if prop.get("type", "string") not in FIELD_TYPES:
            problems.append(
                f"字段“{name}”的 type 应为 string、number、integer、boolean 或 array 之一"
            )
        if "title" in prop and not isinstance(prop["title"], str):
            problems.append(f"字段“{name}”的 title 应为文字")
    required = schema.get("required", [])
    if not isinstance(required, list):
        problems.append('"required" 应为字段名的数组')
    else:
        for name in required:
            if not isinstance(name, str) or name not in props:
                problems.append(f"“required”中的“{name}”不是已定义的字段")
    if not problems:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.path) or "顶层"
            problems.append(f"不是有效的 JSON Schema（位置：{where}）")
    return problems
