"""``key=value`` overrides of a frozen config dataclass, typed by the dataclass's own fields.

The CLI does not re-declare a config field by field: ``--lora steps=20 --lora lr=2e-4`` is
parsed against ``LoraTrainConfig`` itself, so a new field is a new option with no CLI change.
Example: ``apply_overrides(LoraTrainConfig(), ["steps=20", "rank=4"]).steps`` -> 20.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar

from modelbazaar.errors import BazaarError, unknown_name

Config = TypeVar("Config")


def _convert(raw: str, kind: Any, key: str) -> Any:
    """``raw`` as the field's type: int, float, bool, str, tuple[str, ...] or X | None."""
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return None if raw.lower() == "none" else _convert(raw, args[0], key)
    if typing.get_origin(kind) is tuple:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if kind is bool:
        if raw.lower() not in ("true", "false", "1", "0"):
            raise BazaarError(f"{key}={raw}: expected true or false")
        return raw.lower() in ("true", "1")
    try:
        return kind(raw)
    except ValueError:
        raise BazaarError(f"{key}={raw}: expected {kind.__name__}") from None


def apply_overrides(config: Config, pairs: list[str]) -> Config:
    """A copy of ``config`` with each ``key=value`` applied; unknown keys name the known ones."""
    hints = typing.get_type_hints(type(config))
    known = [f.name for f in dataclasses.fields(config)]  # type: ignore[arg-type]
    changes: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            raise BazaarError(
                f"{pair!r}: write KEY=VALUE, e.g. steps=20 (keys: {', '.join(known)})"
            )
        if key not in known:
            raise BazaarError(unknown_name("setting", key, known))
        changes[key] = _convert(raw.strip(), hints[key], key)
    return dataclasses.replace(config, **changes)  # type: ignore[type-var]
