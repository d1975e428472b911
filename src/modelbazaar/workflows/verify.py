"""`bazaar verify`: rebuild a version from its source and tell the truth about how close it came.

A built version is rebuilt from the recipe recorded with it and the data named by its
manifests, in a scratch store, so nothing cached can hide a difference. Which function replays
which relation is one table, `workflows.replays.REPLAYS` (merges replay their recorded merge
recipe, distillations their recorded run).

Three verdicts, each with its exit code in the CLI::

    identical   (0)  same version hash: weights, tokenizer and config bit for bit
    equivalent  (3)  weights differ, but every policy eval suite agrees within its paired 95% CI
    differs     (1)  an eval suite disagrees, or tokenizer, config or tensor shapes differ

A report that is not identical names the build-environment entries that differ (precision,
threads, CPU caps, instruction set, library versions) and the largest absolute weight
difference per tensor group (embeddings, attention, mlp, norms, lm_head).
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors

from modelbazaar.errors import BazaarError, RecipeError
from modelbazaar.evals import compare_results, run_suite, run_suite_on_model
from modelbazaar.model import load_version
from modelbazaar.recipe import PolicyConfig, Recipe, load_recipe
from modelbazaar.store import Store, VersionRecord
from modelbazaar.train.environment import differences
from modelbazaar.workflows.importer import source_changes
from modelbazaar.workflows.replays import REPLAYS, Replay

EXIT_CODES = {"identical": 0, "equivalent": 3, "differs": 1}


@dataclass
class VerifyReport:
    identical: bool
    message: str
    first_difference: str | None = None
    max_abs_difference: float = 0.0
    verdict: str = "identical"  # identical | equivalent | differs
    rebuilt: str | None = None  # the rebuilt version's hash
    portable: bool = False  # the version was built with portable numerics
    environment: list[str] = field(default_factory=list)  # "threads: 2 -> 4"
    groups: dict[str, float] = field(default_factory=dict)  # tensor group -> max abs difference
    evals: list[dict] = field(default_factory=list)  # suite, metric, delta, CI, agree

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]


def tensor_group(name: str) -> str:
    """Which part of a Llama a weight belongs to.

    Example: "model.layers.0.self_attn.q_proj.weight" -> "attention"; "model.norm.weight" ->
    "norms".
    """
    for marker, group in (
        ("embed_tokens", "embeddings"),
        ("lm_head", "lm_head"),
        ("norm", "norms"),
        ("self_attn", "attention"),
        ("mlp", "mlp"),
    ):
        if marker in name:
            return group
    return "other"


def compare_weights(expected: bytes, actual: bytes) -> tuple[str | None, dict[str, float]]:
    """First differing tensor (in name order) and the largest absolute difference per group.

    A tensor missing on one side or of another shape gives its group an infinite difference.
    """
    a, b = load_safetensors(expected), load_safetensors(actual)
    first, groups = None, {}
    for name in sorted(set(a) | set(b)):
        group = tensor_group(name)
        if name not in a or name not in b or a[name].shape != b[name].shape:
            first = first or name
            groups[group] = float("inf")
            continue
        same = torch.equal(a[name], b[name])
        diff = 0.0 if same else (a[name].double() - b[name].double()).abs().max().item()
        groups[group] = max(groups.get(group, 0.0), diff)
        if not same and first is None:
            first = name
    return first, groups


def policy_of(record: VersionRecord, model_dir: Path) -> PolicyConfig:
    """The policy recorded with the version, else the source's, else the default one."""
    if "recipe" in record.info:
        return Recipe.model_validate(record.info["recipe"]).policy
    try:
        return load_recipe(model_dir).policy
    except RecipeError:
        return PolicyConfig()


def eval_agreement(
    store: Store, record: VersionRecord, scratch: Store, rebuilt: str, model_dir: Path
) -> list[dict]:
    """Every metric of the policy's suites on both versions: rebuilt - recorded, paired 95% CI.

    A metric agrees when its whole CI lies within +- `policy.equivalence_margin`.
    """
    policy = policy_of(record, model_dir)
    loaded = load_version(scratch, rebuilt)
    rows = []
    for suite in policy.suites:
        a = run_suite(store, record.hash, suite, policy.limit_for(suite), model_dir=model_dir)
        b = run_suite_on_model(
            loaded.model, loaded.tokenizer, suite, policy.limit_for(suite), model_dir=model_dir
        )
        for d in compare_results(a, b):
            rows.append(
                {
                    "suite": d.suite,
                    "metric": d.metric,
                    "recorded": d.a,
                    "rebuilt": d.b,
                    "delta": d.delta,
                    "ci_low": d.ci_low,
                    "ci_high": d.ci_high,
                    # equivalence, not "no significant difference": the whole CI is small
                    "agree": -policy.equivalence_margin <= d.ci_low
                    and d.ci_high <= policy.equivalence_margin,
                }
            )
    return rows


def verify(store: Store, model_dir: Path, ref: str) -> VerifyReport:
    record = store.version(ref)
    replay = _replay_of(record)
    portable = bool(record.info.get("portable"))
    imported = record.relation == "imported"
    if imported and (changed := _changed_source(record)):  # nothing was trained here
        return changed
    with tempfile.TemporaryDirectory(prefix="bazaar-verify-") as scratch_dir:
        scratch = Store(Path(scratch_dir), database_url=f"sqlite:///{scratch_dir}/catalogue.db")
        rebuilt = scratch.version(replay(store, Path(model_dir), record, scratch))
        if rebuilt.weights == record.weights and rebuilt.hash == record.hash:
            return _identical(record, rebuilt, imported, portable)
        first, groups = compare_weights(
            store.objects.get_bytes(record.weights), scratch.objects.get_bytes(rebuilt.weights)
        )
        same_shapes = all(v != float("inf") for v in groups.values())
        same_frame = rebuilt.tokenizer == record.tokenizer and rebuilt.config == record.config
        evals = []
        guard = record.info.get("kind") == "guard"  # no Llama evals; bits or nothing
        if same_shapes and same_frame and not guard:
            evals = eval_agreement(store, record, scratch, rebuilt.hash, Path(model_dir))
    environment = differences(
        record.info.get("build_environment"), rebuilt.info.get("build_environment")
    )
    equivalent = same_shapes and same_frame and not guard and all(r["agree"] for r in evals)
    verdict = "equivalent" if equivalent else "differs"
    where = (
        f"first differing tensor {first}, largest difference {max(groups.values()):.3g}"
        if first
        else "weights equal; tokenizer or config differ"
    )
    return VerifyReport(
        identical=False,
        message=f"rebuild of {record.short} gave {rebuilt.short}: {where}",
        first_difference=first,
        max_abs_difference=max(groups.values(), default=0.0),
        verdict=verdict,
        rebuilt=rebuilt.hash,
        portable=portable,
        environment=environment,
        groups=groups,
        evals=evals,
    )


def _replay_of(record: VersionRecord) -> Replay:
    """The function that re-makes a version of this relation, or a BazaarError naming those
    that can be verified."""
    replay = REPLAYS.get(record.relation)
    if replay is None:
        raise BazaarError(
            f"version {record.short} was {record.relation}; it has no source in this store to "
            f"rebuild from (verifiable relations: {', '.join(sorted(REPLAYS))})"
        )
    return replay


def _changed_source(record: VersionRecord) -> VerifyReport | None:
    """For an imported version: a `differs` report when its source files are no longer the
    recorded ones (there is no training to replay, only the import), else None."""
    path, problems = source_changes(record)
    if not problems:
        return None
    return VerifyReport(
        False,
        f"{record.short} was imported, not built (nothing to retrain); its source "
        f"{path} no longer matches the recorded hashes: " + "; ".join(problems),
        verdict="differs",
    )


def _identical(
    record: VersionRecord, rebuilt: VersionRecord, imported: bool, portable: bool
) -> VerifyReport:
    """The report of a replay that gave the very same version."""
    how = (
        f"{record.short} was imported, not built, so there is no training to replay: "
        f"the {len(record.info['source'].get('files') or {})} source file(s) match "
        f"their recorded sha256 and re-importing them gave"
        if imported
        else f"rebuilt {record.short} from source:"
    )
    return VerifyReport(
        True,
        f"{how} weights, tokenizer and config bit-identical ({rebuilt.weights[:12]})",
        rebuilt=rebuilt.hash,
        portable=portable,
    )
