"""The model card (README.md with Hugging Face front matter) and the other generated documents.

Front matter follows the Hub's model-card metadata: `license` (an HF licence id, or `other` +
`license_name` + `license_link`), `datasets`, `base_model` + `base_model_relation`,
`model-index` (one result per stored eval suite and metric), `tags`, `language`,
`pipeline_tag`. `huggingface_hub.ModelCard(text)` parses it offline; a malformed model-index
raises ValueError there, which the tests use as the check.

Example: `hf_license("Apache-2.0")` -> `{"license": "apache-2.0"}`;
`hf_license("LicenseRef-Foo")` -> `{"license": "other", "license_name": "licenseref-foo",
"license_link": "LICENSE"}`.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2
import yaml

from modelbazaar.audit.components import data_license
from modelbazaar.licenses.facts import HF_ALIASES
from modelbazaar.safe_text import escape_markdown
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.lineage import Lineage

# Licence ids the Hub accepts in `license:` (lower-cased SPDX), for the ids we are likely to see.
HF_IDS = {
    "apache-2.0", "mit", "bsd-2-clause", "bsd-3-clause", "cc0-1.0", "cc-by-4.0", "cc-by-sa-4.0",
    "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cdla-permissive-2.0", "cdla-permissive-1.0",
    "cdla-sharing-1.0", "odc-by", "odbl", "pddl", "gpl-2.0", "gpl-3.0", "lgpl-3.0", "agpl-3.0",
    "mpl-2.0", "bigscience-openrail-m", "creativeml-openrail-m", "openrail", "unlicense",
    "artistic-2.0", "isc", "bsl-1.0", "epl-2.0", "wtfpl", "afl-3.0", "ecl-2.0", "lgpl-2.1",
}  # fmt: skip
BASE_RELATION = {"merged": "merge", "distilled": "finetune", "tuned": "finetune"}


def card_context(
    store: Store,
    record: VersionRecord,
    lineage: Lineage,
    ids: dict[str, str],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Everything the card, datasheet, report and MOF file say about the version."""
    recipe: dict[str, Any] = record.info.get("recipe") or {}
    data = record.info.get("data") or []
    step, why = extra["step"], extra["why"]
    config = json.loads(store.objects.get_bytes(record.config))
    return {
        "name": record.info.get("name") or record.short,
        "short": record.short,
        "version": record.hash,
        "relation": record.relation,
        "description": recipe.get("description", ""),
        "license": ids["weights"],
        "code_license": ids["code"],
        "doc_license": ids["documentation"],
        "mof_data_license": data_license(lineage.licenses("data")),
        "data": data,
        "synthetic_share": record.info.get("synthetic_token_share", 0.0),
        "recipe": recipe,
        "parents": [
            {"name": store.version(p["parent"]).info.get("name", p["parent"][:12])}
            | {"relation": p["relation"], "hash": p["parent"]}
            for p in record.parents
        ],
        "eval_results": extra["results"],
        "compute": extra["compute"],
        "steps": extra["compute"]["steps"],
        "params": extra["params"],
        "obligations": lineage.obligations,
        "mermaid": lineage.mermaid(),
        "missing_data": extra["missing"],
        "code_version": extra["code_version"],
        "intermediate_note": f"step {step} ({why or 'see checkpoints/'})" if step else why,
        "producer": ", ".join(recipe.get("maintainers") or []),
        "kind": record.info.get("kind", "llama"),
        "backbone": record.info.get("backbone"),
        "threshold": config.get("threshold"),
        "lexical_weight": config.get("lexical_weight"),
    }


def hf_license(spdx: str) -> dict[str, str]:
    """The front-matter licence keys for an SPDX id (or LicenseRef)."""
    reverse = {v: k for k, v in HF_ALIASES.items() if "." in k or k.startswith(("llama", "gem"))}
    if spdx in reverse:
        return {"license": reverse[spdx]}
    key = spdx.lower().removesuffix("-only")
    if key in HF_IDS:
        return {"license": key}
    return {"license": "other", "license_name": spdx.lower(), "license_link": "LICENSE"}


def model_index(name: str, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`model-index` with one result per suite; only numeric metrics are listed."""
    entries = []
    for result in results:
        metrics = [
            {"type": key, "value": round(float(value), 6), "name": f"{result['suite']} {key}"}
            for key, value in sorted(result["metrics"].items())
            if isinstance(value, int | float) and not isinstance(value, bool)
        ]
        if metrics:
            entries.append(
                {
                    "task": {"type": "text-generation", "name": "Text generation"},
                    "dataset": {"name": result["suite"], "type": result["suite"]},
                    "metrics": metrics,
                }
            )
    return [{"name": name, "results": entries}] if entries else []


def front_matter(ctx: dict[str, Any]) -> dict[str, Any]:
    """The YAML metadata block of README.md, from the release context."""
    meta: dict[str, Any] = hf_license(ctx["license"])
    meta |= {"library_name": "transformers", "pipeline_tag": "text-generation"}
    meta["language"] = ["en"]
    meta["tags"] = ["modelbazaar", "llama", f"openness-{ctx['verdict'].replace(' ', '-')}"]
    if ctx["mof_class"]:
        meta["tags"].append(f"mof-class-{ctx['mof_class']}")
    datasets = [d["name"] for d in ctx["data"]]
    if datasets:
        meta["datasets"] = datasets
    parents = [p for p in ctx["parents"] if p["relation"] in BASE_RELATION]
    if parents:
        meta["base_model"] = [p["name"] for p in parents]
        meta["base_model_relation"] = BASE_RELATION[parents[0]["relation"]]
    index = model_index(ctx["name"], ctx["eval_results"])
    if index:
        meta["model-index"] = index
    return meta


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("modelbazaar.release", "templates"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,  # a missing field is a bug, not an empty line
    )
    env.filters["md"] = escape_markdown  # a donor's words (consent) are text, never markup
    return env


def render(template: str, ctx: dict[str, Any]) -> str:
    """Render `templates/<template>` with the release context."""
    return _env().get_template(template).render(**ctx)


def model_card(ctx: dict[str, Any]) -> str:
    """README.md: front matter, then the card body."""
    meta = yaml.safe_dump(front_matter(ctx), sort_keys=False, allow_unicode=True)
    return f"---\n{meta}---\n\n" + render("card.md.j2", ctx)
