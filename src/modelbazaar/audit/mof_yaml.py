"""Read a Model Openness Framework YAML, check it against the MOF schema, and score it.

The schema (`data/mof/mof_schema.json`) uses a small part of JSON Schema (type, enum, required,
properties, minLength, minItems / maxItems, items), so it is checked here by hand instead of
adding a dependency. Every error names the field: "release.components[2].license: expected a
string, got a list".

Example: `read_mof_yaml(Path("olmo.yml"))` -> `(release_name, {"Datasets": "ODC-By-1.0", ...},
{"distribution": "Apache-2.0"})`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from modelbazaar.audit import _data
from modelbazaar.audit.mof import component_named
from modelbazaar.errors import AuditError

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "null": (type(None),),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def schema_errors(value: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Every way `value` breaks `schema`, each starting with the dotted field path.

    Example: `schema_errors({"release": {}}, mof_schema())` ->
    `["(top level): missing required field 'framework'", "release: missing required field
    'name'", ...]`.
    """
    label = where or "(top level)"
    wanted = schema.get("type")
    if wanted is not None:
        kinds = [wanted] if isinstance(wanted, str) else wanted
        # YAML reads an unquoted 2024-12-15 as a date; the schema's "format: date" accepts it.
        is_date = isinstance(value, dt.date) and schema.get("format") == "date"
        ok = is_date or any(
            isinstance(value, _TYPES[k]) and not (k in ("integer", "number") and value is True)
            for k in kinds
        )
        if not ok:
            return [f"{label}: expected {' or '.join(kinds)}, got {type(value).__name__}"]
    errors: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        errors.append(f"{label}: {value!r} is not one of {allowed}")
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        errors.append(f"{label}: must not be empty")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{label}: needs at least {schema['minItems']} items")
        if len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{label}: has {len(value)} items, at most {schema['maxItems']} allowed")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{label}: missing required field '{name}'")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                errors += schema_errors(value[name], sub, f"{where}.{name}" if where else name)
    return errors


def load_mof_yaml(path: Path) -> dict[str, Any]:
    """Parse and validate a MOF YAML; AuditError names the file and each offending field."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditError(f"Cannot read the MOF file {path}: {exc}; check the path.") from exc
    except yaml.YAMLError as exc:
        raise AuditError(f"{path} is not valid YAML ({exc}); fix the syntax and retry.") from exc
    errors = schema_errors(doc, _data.mof_schema())
    for i, comp in enumerate((doc or {}).get("release", {}).get("components", []) or []):
        if isinstance(comp, dict) and "name" not in comp:
            errors.append(f"release.components[{i}]: missing required field 'name'")
        elif isinstance(comp, dict):
            try:
                component_named(comp["name"])
            except AuditError as exc:
                errors.append(f"release.components[{i}].name: {exc}")
    if errors:
        listed = "; ".join(errors[:5]) + (
            f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
        )
        raise AuditError(f"{path} does not match the MOF schema: {listed}. Fix these fields.")
    return doc


def read_mof_yaml(path: Path) -> tuple[str, dict[str, str | None], dict[str, str | None]]:
    """(release name, component -> own licence or None, scope -> release-wide licence).

    A component listed without a `license` key gets None, so the release-wide licences apply to
    it (as in the MOF tool); `license: unlicensed` or an empty string means no licence.
    """
    release = load_mof_yaml(path)["release"]
    comps: dict[str, str | None] = {}
    for comp in release.get("components") or []:
        value = comp.get("license")
        comps[component_named(comp["name"])["name"]] = None if value is None else str(value)
    globals_: dict[str, str | None] = {}
    for scope, entry in (release.get("license") or {}).items():
        if isinstance(entry, dict):
            globals_[scope] = entry.get("name")
    return str(release["name"]), comps, globals_
