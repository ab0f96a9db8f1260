"""Plain Python values to DynamoDB attribute values and back.

Not boto3's TypeSerializer: importing it imports boto3 and s3transfer, about a
tenth of a second of every cold start, for a mapping this small. A property
test keeps this codec identical to boto3's on every value the store writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def dump_value(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, dict):
        return {"M": {k: dump_value(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [dump_value(v) for v in value]}
    if isinstance(value, set | frozenset) and all(isinstance(v, str) for v in value):
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB: {value!r}")


def dump(values: dict[str, Any]) -> dict[str, Any]:
    return {k: dump_value(v) for k, v in values.items() if v is not None}


def _number(text: str) -> int | float:
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else float(number)


def load_value(attribute: dict[str, Any]) -> Any:
    (kind, value), = attribute.items()
    if kind == "S":
        return value
    if kind == "N":
        return _number(value)
    if kind == "BOOL":
        return bool(value)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: load_value(v) for k, v in value.items()}
    if kind == "L":
        return [load_value(v) for v in value]
    if kind == "SS":
        return list(value)
    if kind == "NS":
        return [_number(v) for v in value]
    raise TypeError(f"unexpected DynamoDB attribute type {kind}")


def load(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if not item:
        return None
    return {k: load_value(v) for k, v in item.items()}
