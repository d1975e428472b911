"""Model sources that `bazaar init` copies: recipe + data manifests + data, with licences."""

import shutil
from importlib import resources
from pathlib import Path

from modelbazaar.errors import BazaarError, unknown_name
from modelbazaar.recipe import RECIPE_FILE, parse_recipe


def available() -> dict[str, str]:
    """Template name -> its one-line description (from its recipe)."""
    root = resources.files("modelbazaar.templates")
    found = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        recipe = entry.joinpath(RECIPE_FILE)
        if entry.is_dir() and recipe.is_file():
            found[entry.name] = parse_recipe(recipe.read_text(), entry.name).description
    return found


def create(target: Path, template: str, *, force: bool = False) -> Path:
    """Copy `template` into `target`: a new or empty folder, or with `force` a non-empty one.

    Never overwrites a file: if any template file already exists in `target` (or a folder on its
    way is a file or a symlink), nothing is written and the error names them. Without `force` a
    non-empty folder is refused, so a typo cannot scatter a template among someone's files.
    Example: create(Path("my-model"), "tiny") -> Path("my-model") holding bazaar.toml and data/
    """
    known = available()
    if template not in known:
        raise BazaarError(unknown_name("template", template, list(known)))
    target = Path(target)
    check_target(target, force)
    with resources.as_file(resources.files("modelbazaar.templates").joinpath(template)) as source:
        files = [
            path.relative_to(source)
            for path in sorted(source.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        ]
        clashes = [str(rel) for rel in files if _occupied(target, rel)]
        if clashes:
            raise BazaarError(
                f"{target} already has {len(clashes)} of the template's files "
                f"({', '.join(clashes[:5])}{', …' if len(clashes) > 5 else ''}); bazaar init never "
                "overwrites a file, so nothing was written. Move them away or choose a new folder"
            )
        _copy_new_files(source, target, files)
    return target


def check_target(target: Path, force: bool) -> None:
    """Refuse a file, an existing model source, and (without `force`) a non-empty folder."""
    if target.exists() and not target.is_dir():
        raise BazaarError(f"{target} is a file, not a folder; choose a folder name for the source")
    if (target / RECIPE_FILE).exists():
        raise BazaarError(
            f"{target} already holds a model source ({RECIPE_FILE}); choose a new folder"
        )
    entries = sorted(p.name for p in target.iterdir()) if target.is_dir() else []
    if entries and not force:
        shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
        raise BazaarError(
            f"{target} is not empty ({len(entries)} entries: {shown}); bazaar init fills a new or "
            "empty folder. Use --force to add the template beside your files (bazaar init never "
            "overwrites a file)"
        )


def _occupied(target: Path, rel: Path) -> bool:
    """True if writing target/rel would replace something or pass through a file or symlink."""
    path = target
    for part in rel.parts:
        path = path / part
        if path.is_symlink() or (path.exists() and (path == target / rel or not path.is_dir())):
            return True
    return False


def _copy_new_files(source: Path, target: Path, files: list[Path]) -> None:
    try:
        for rel in files:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            # "xb": create, never replace - a file that appeared since the check is not clobbered
            with (source / rel).open("rb") as src, (target / rel).open("xb") as dst:
                shutil.copyfileobj(src, dst)
    except OSError as exc:
        raise BazaarError(f"cannot write into {target}: {exc.strerror or exc}") from None
