"""Load the framework data shipped in `modelbazaar/audit/data/` (read once, cached).

Everything the audit knows about frameworks and licences is data, not code: the MOF component list
and licence lists, the European open-source AI index parameters, the licence-text corpus and the
reference clause findings. Each folder keeps a SOURCE.txt naming where its files came from.

Example: `mof_settings()["components"][0]["name"] -> "Datasets"`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from modelbazaar.licenses._data import package_text


def data_root() -> Traversable:
    """The `data/` folder inside the installed package (works from a wheel or a checkout)."""
    return resources.files("modelbazaar.audit").joinpath("data")


def _text(*parts: str) -> str:
    return package_text("modelbazaar.audit", *parts)


@cache
def mof_settings() -> dict[str, Any]:
    """`mof.settings.yml`: the 17 MOF components with id, class, content type and `required`."""
    return yaml.safe_load(_text("mof", "mof.settings.yml"))


@cache
def mof_schema() -> dict[str, Any]:
    """The JSON schema a MOF YAML must satisfy."""
    return json.loads(_text("mof", "mof_schema.json"))


@cache
def osai_parameters() -> list[dict[str, Any]]:
    """European open-source AI index parameter groups (availability, documentation, access)."""
    groups = yaml.safe_load(_text("osai", "parameters.yml"))
    descriptions = yaml.safe_load(_text("osai", "parameters-descriptions.yml"))
    for group in groups:
        for param in group["params"]:
            param["question"] = descriptions.get(param["ref"], {}).get("en", "")
    return groups
