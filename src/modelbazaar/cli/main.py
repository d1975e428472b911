"""The `bazaar` entry point.

Each command group lives in its own module and registers itself in one line below; a command is a
typed function whose signature is its CLI and whose docstring is its help. Exit codes are
`modelbazaar.errors.ExitCode`: a `BazaarError` is printed as a one-line message (no traceback)
and exits 2 (refused); any other exception is a bug: its traceback is printed and the exit code
is 70, never 1, so that a crash can never be mistaken for a "reject" verdict.
"""

import sys
import traceback
import warnings

from modelbazaar.train import portable

# Portable numerics: the CPU caps must be in the environment before any command module imports
# torch (its libraries read them once, at start). `--fast` (build, verify) leaves the host as is,
# and so do the answer-only commands (serve, generate, guard check) unless `--portable` is given.
if portable.caps_wanted(sys.argv[1:]):
    portable.activate()

import typer  # noqa: E402 (after the caps, on purpose)
from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402

from modelbazaar.errors import BazaarError, ExitCode  # noqa: E402

# Library deprecation notices (transformers 5 renames) are for us, not for people running bazaar.
warnings.filterwarnings("ignore", category=FutureWarning)

from modelbazaar.cli.lazy import Entry, lazy_group  # noqa: E402

SOURCE, HISTORY, CONTRIB = (
    "modelbazaar.cli.source",
    "modelbazaar.cli.history",
    "modelbazaar.cli.contrib",
)
WEIGHTS = "modelbazaar.cli.weights"

# Every command: the module that registers it and its one-line help. A command's module is
# imported only when that command runs (cli/lazy.py), so `bazaar audit` never starts torch.
COMMANDS: dict[str, Entry] = {
    "init": Entry(
        SOURCE, "Create a model source (bazaar.toml + data manifests + data) from a template."
    ),
    "build": Entry(
        SOURCE,
        "Build the model from its source: tokenizer, token shards, pretraining -> version on main.",
    ),
    "verify": Entry(
        SOURCE,
        "Rebuild a version from its source in a scratch store and compare it with the stored one.",
    ),
    "log": Entry(HISTORY, "Show the history of a ref, newest first, with each version's parents."),
    "show": Entry(
        HISTORY,
        "Show one version: hash, lineage, data with licences, config, metrics, build environment.",
    ),
    "tag": Entry(HISTORY, "Give a version a name: a tag that never moves unless --force is given."),
    "generate": Entry(
        WEIGHTS, "Sample a continuation; instruct models answer through their chat template."
    ),
    "export": Entry(
        WEIGHTS,
        "Write a version as a Hugging Face folder (config, safetensors, tokenizer), or as GGUF.",
    ),
    "import": Entry(
        WEIGHTS, "Import an existing open model as a new version (relation `imported`)."
    ),
    "eval": Entry(
        "modelbazaar.cli.evals",
        "Run eval suites on a version; results are cached (a re-run is instant) and printed.",
    ),
    "compare": Entry(
        "modelbazaar.cli.evals",
        "Per-suite deltas B - A with paired bootstrap 95% intervals over the same examples.",
    ),
    "contribute": Entry(
        CONTRIB, "Fine-tune a LoRA adapter on your data and write a signed bundle for review."
    ),
    "review": Entry(
        CONTRIB,
        "Review a contribution: trust, integrity, licence, capability and safety vs its base.",
    ),
    "merge": Entry(
        CONTRIB,
        "Merge accepted contributions into main, after reviewing the merged model against main.",
    ),
    "distill": Entry(
        CONTRIB, "Distill a smaller Llama student from a teacher version (relation `distilled`)."
    ),
    "release": Entry(
        "modelbazaar.cli.release",
        "Release REF into OUT: HF model files, model card, datasheet, licences, lineage, source.",
    ),
    "audit": Entry(
        "modelbazaar.cli.audit",
        "Audit how open a model is: MOF class, OSAID 1.0, EU index, licences and the verdict.",
    ),
    "keys": Entry("modelbazaar.cli.keys", "Create and show your signing identity."),
    "guard": Entry(
        "modelbazaar.cli.guard",
        "The safety guard: MLCommons hazards S1-S14, built from source (templates/guard).",
    ),
    "hub": Entry("modelbazaar.cli.hub", "Run a hub, manage its users and tokens, run CI workers."),
    "login": Entry(
        "modelbazaar.cli.remote",
        "Store a token for a hub (0600, under ~/.config/modelbazaar); BAZAAR_TOKEN overrides it.",
    ),
    "remote": Entry("modelbazaar.cli.remote", "Hubs this model folder talks to."),
    "push": Entry(
        "modelbazaar.cli.remote",
        "Send a ref with its lineage and the model source; only what the hub lacks is sent.",
    ),
    "clone": Entry(
        "modelbazaar.cli.remote",
        "A new folder with the model's source, versions and refs: `bazaar verify main` works.",
    ),
    "pull": Entry(
        "modelbazaar.cli.remote",
        "Bring new versions and move local refs forward (and unedited source files).",
    ),
    "submit": Entry(
        "modelbazaar.cli.remote",
        "Upload a bundle; the hub checks it like `bazaar review` and queues a review job.",
    ),
    "contributions": Entry(
        "modelbazaar.cli.remote",
        "Contributions on the hub with their state and reasons (or one review report).",
    ),
    "approve": Entry(
        "modelbazaar.cli.remote",
        "Approve an accepted contribution: your key signs its bundle hash (maintainers).",
    ),
    "member": Entry("modelbazaar.cli.remote", "Roles on a hub model (maintainers)."),
    "access": Entry(
        "modelbazaar.cli.access",
        "Who may download a hub model or its releases: levels and access requests.",
    ),
    "feedback": Entry(
        "modelbazaar.cli.feedback",
        "Community feedback from the hub's chat page, as a dataset for training.",
    ),
    "serve": Entry(
        "modelbazaar.cli.serve",
        "Serve a version (built or imported) behind an OpenAI-compatible API.",
    ),
    "api-key": Entry("modelbazaar.cli.serve", "API keys for `bazaar serve --api-keys FILE`."),
    "fsck": Entry(
        "modelbazaar.cli.fsck",
        "Re-hash every object and check every catalogue row, ref and leftover file of the store.",
    ),
}

app = typer.Typer(
    name="bazaar",
    cls=lazy_group(COMMANDS),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback(
    epilog="Exit codes: 0 ok/accept, 1 reject/differs, 2 refused input, 3 equivalent but not "
    "identical (verify), 70 internal error (a bug), 130 interrupted."
)
def bazaar() -> None:
    """Develop open language models the way open-source software is developed."""


def main() -> None:
    """Run the CLI: a BazaarError exits 2 with its message, a crash exits 70 with its traceback.

    click handles usage errors (2) and typer Ctrl-C (130); anything else propagates here.
    """
    stderr = Console(stderr=True)
    try:
        app()
    except BazaarError as exc:
        # escape: a message may quote a stranger's text, which must not be read as rich markup
        stderr.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(ExitCode.REFUSED)
    except Exception:  # the last line of defence: report it, and never look like a verdict
        traceback.print_exc()
        stderr.print(
            "[bold red]internal error[/]: this is a bug in modelbazaar, not a problem with your "
            "input. Please report it with the traceback above. "
            f"(exit code {int(ExitCode.INTERNAL)})",
            highlight=False,
        )
        sys.exit(ExitCode.INTERNAL)
