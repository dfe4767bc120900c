"""OParl 1.1's schemas as jsonschema can use them.

The spec's schema files (tests/standards/oparl/schema, CC BY-SA 4.0) name an embedded
object with a custom keyword, `"schema": "File.json"`, which no validator knows; here each
such object is replaced by the named schema itself (recursively, once per type), and the
result is checked with the Draft 7 validator. The spec's `"format": "url"` is not a JSON
Schema format; it is checked here as an absolute http(s) URL.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from jsonschema import Draft7Validator, FormatChecker

SCHEMAS = Path(__file__).parent / "standards" / "oparl" / "schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"

_formats = FormatChecker()


@_formats.checks("url")
def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _inline(node: Any, seen: tuple[str, ...]) -> Any:
    if isinstance(node, dict):
        out = {k: _inline(v, seen) for k, v in node.items() if k != "schema"}
        name = node.get("schema")
        if isinstance(name, str) and name.endswith(".json") and name not in seen:
            embedded = _raw(name)
            out = {**embedded, **{k: v for k, v in out.items() if k not in ("type",)}, "type": "object"}
            out["properties"] = _inline(embedded["properties"], (*seen, name))
            out["required"] = embedded.get("required", [])
        return out
    if isinstance(node, list):
        return [_inline(v, seen) for v in node]
    return node


@cache
def _raw(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text("utf-8"))


@cache
def validator(kind: str) -> Draft7Validator:
    """The validator for one OParl type ("Meeting"), its embedded objects inlined."""
    schema = copy.deepcopy(_raw(f"{kind}.json"))
    schema["properties"] = _inline(schema["properties"], (f"{kind}.json",))
    return Draft7Validator(schema, format_checker=_formats)


def errors(obj: dict[str, Any]) -> list[str]:
    """What is wrong with an OParl object by its own `type`; empty when it is valid."""
    kind = str(obj.get("type", "")).removeprefix(TYPE_PREFIX)
    if not (SCHEMAS / f"{kind}.json").is_file():
        return [f"unknown type {obj.get('type')!r}"]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(obj)]
