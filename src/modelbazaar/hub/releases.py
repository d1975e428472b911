"""Access levels per release: a tag of a model may be `public`, `gated` or `private` on its own.

The rule (one place; `hub/access.py` enforces it on every download path):

- **A release's level** is the level set for its tag, else the model's visibility. A private
  model is private throughout (it is invisible to outsiders: nothing of it is listed).
- **A version's level** is the strictest level set on the releases (tags) that point at it.
  A version no release with a level of its own points at takes the strictest of the model's
  level and the levels of the nearest such versions in its lineage (`Levels.sources`): made
  from a gated `v2`, it is gated too until a maintainer gives it a release of its own. So
  `main` at v2's version, or merged on top of it, is gated: a merge is v2 plus its bundles'
  deltas, and every tensor no adapter touches is v2's, byte for byte.
- **An object's level**: weights, tokenizer and config are the version's; an object several
  versions name takes the *loosest* of their levels — bytes a public release serves are public
  whatever another release says (tokenizers are shared by every version, for one).
  A contribution bundle a merged version replays is as closed as the model *and* the loosest
  of the merged versions naming it: a gated merge of a public parent would otherwise be
  rebuilt by anyone from the parent and its public bundles (the merge is deterministic).
  Everything else (the source tree, bundles not merged yet, review reports, eval examples)
  follows the model.

Why by lineage only downwards: a maintainer who gates `v2` means v2's weights, and an adopter
of the public `v1` expects v1 and what came before it to stay as it was. Versions made from a
gated release afterwards (a later `main`, a merge) carry its weights further, so they stay as
closed as it until a maintainer publishes one deliberately (a release with its own level);
setting a level names the published ones made from it (`open_after`), so that choice is made
knowingly too.

Example::

    set_release_level(db, model, alice, "v2", "gated")
    levels_of(db, model).version(main)    # "gated" when main is v2's version
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.protocol import merge_bundles
from modelbazaar.hub.repos import Model, refs_of
from modelbazaar.store import schema
from modelbazaar.store.refs import BRANCHES

LEVELS = ("public", "gated", "private")  # loosest first
RANK = {level: rank for rank, level in enumerate(LEVELS)}
INHERIT = "inherit"  # clears a release's own level: it follows the model again


def strictest(levels: list[str]) -> str:
    return max(levels, key=RANK.__getitem__)


def loosest(levels: list[str]) -> str:
    return min(levels, key=RANK.__getitem__)


@dataclass(frozen=True)
class Levels:
    """A model's levels: its own, its releases' own, where each tag points, and the lineage."""

    model: str
    own: dict[str, str]  # tag -> level set for it (only tags that have one)
    tags: dict[str, str]  # tag -> version (every tag of the model)
    parents: dict[str, list[str]] = field(default_factory=dict)  # every version -> its parents

    def release(self, tag: str) -> str:
        if self.model == "private":
            return "private"
        return self.own.get(tag, self.model)

    def tags_at(self, version: str) -> list[str]:
        return sorted(tag for tag, at in self.tags.items() if at == version)

    @cached_property
    def _own_levels(self) -> dict[str, str]:
        found: dict[str, list[str]] = {}
        for tag, level in self.own.items():
            found.setdefault(self.tags[tag], []).append(level)
        return {version: strictest(levels) for version, levels in found.items()}

    def own_level(self, version: str) -> str | None:
        """The strictest level set on releases at `version`; None when none has its own."""
        return self._own_levels.get(version)

    def sources(self, version: str) -> dict[str, str]:
        """Version -> own level of those `version`'s level comes from: itself when a release
        with a level of its own points at it, else the nearest such ancestors on each line."""
        return self._sources.get(version) or {}

    @cached_property
    def _sources(self) -> dict[str, dict[str, str]]:
        """`sources` of every version, parents before children (once per request, not once
        per version: a long untagged history would make that quadratic)."""
        found: dict[str, dict[str, str]] = {}
        entered: set[str] = set()  # a lineage is acyclic; this only keeps a bad row finite
        for root in self.parents:
            todo = [root]
            while todo:
                digest = todo[-1]
                level = self.own_level(digest)
                if digest in found or level is not None:
                    found.setdefault(digest, {digest: level} if level else {})
                    todo.pop()
                    continue
                waiting = [p for p in self.parents.get(digest, []) if p not in found]
                if waiting and digest not in entered:
                    entered.add(digest)
                    todo.extend(waiting)
                    continue
                todo.pop()
                merged: dict[str, str] = {}
                for parent in self.parents.get(digest, []):
                    merged |= found.get(parent, {})
                found[digest] = merged
        return found

    def version(self, version: str) -> str:
        if self.model == "private":
            return "private"
        own = self.own_level(version)
        if own is not None:
            return own
        return strictest([self.model, *self.sources(version).values()])


def levels_of(db: HubDB, model: Model) -> Levels:
    r, p, mv = t.release_access, schema.parents, t.model_versions
    with db.reading() as conn:
        own = dict(conn.execute(select(r.c.tag, r.c.level).where(r.c.model_id == model.id)).all())
        mine = conn.execute(select(mv.c.version).where(mv.c.model_id == model.id)).scalars()
        parents: dict[str, list[str]] = {version: [] for version in mine}
        edges = conn.execute(
            select(p.c.child, p.c.parent).join(
                mv, (mv.c.version == p.c.child) & (mv.c.model_id == model.id)
            )
        )
        for child, parent in edges:
            parents[child].append(parent)
    tags = {
        name: entry["version"]
        for name, entry in refs_of(db, model).items()
        if entry["kind"] == "tag"
    }
    own = {k: v for k, v in own.items() if k in tags}
    return Levels(model.visibility, own, tags, parents)


def versions_naming(db: HubDB, model: Model, digest: str) -> list[str]:
    """The model's versions whose weights, tokenizer or config is the object `digest`."""
    v, mv = schema.versions, t.model_versions
    with db.reading() as conn:
        return list(
            conn.execute(
                select(v.c.hash)
                .join(mv, (mv.c.version == v.c.hash) & (mv.c.model_id == model.id))
                .where(or_(v.c.weights == digest, v.c.tokenizer == digest, v.c.config == digest))
            ).scalars()
        )


def merges_naming(db: HubDB, model: Model, digest: str) -> list[str]:
    """The model's merged versions whose recipe replays the contribution bundle `digest`."""
    v, mv = schema.versions, t.model_versions
    with db.reading() as conn:
        rows = conn.execute(
            select(v.c.hash, v.c.info)
            .join(mv, (mv.c.version == v.c.hash) & (mv.c.model_id == model.id))
            .where(v.c.info.contains(digest, autoescape=True))  # narrows; parsed below
        ).all()
    return [version for version, info in rows if digest in merge_bundles(json.loads(info))]


def check_release(
    levels: Levels, model: Model, tag: str, hidden: frozenset[str] | set[str] = frozenset()
) -> str:
    """`tag`'s version, or a 404/422 naming the releases there are (`hidden` ones, private
    releases the asker may not see, answer as absent and are not named)."""
    if tag in BRANCHES:
        raise HubError(
            422,
            f"{tag} is a branch, not a release: it moves, so it carries no level of its own; "
            f"tag the version (`bazaar tag {tag} v1 && bazaar push origin v1`) or set the "
            "model's level",
        )
    if tag not in levels.tags or tag in hidden:
        known = ", ".join(sorted(set(levels.tags) - set(hidden))) or "none yet"
        raise HubError(
            404,
            f"{model.name} has no release {tag[:100]!r} (its releases: {known}); push the tag "
            f"first: `bazaar tag main {tag[:100]} && bazaar push origin {tag[:100]}`",
        )
    return levels.tags[tag]


def descendants(db: HubDB, model: Model, version: str) -> set[str]:
    """Versions of the model whose lineage passes through `version` (not itself)."""
    p, mv = schema.parents, t.model_versions
    with db.reading() as conn:
        mine = set(conn.execute(select(mv.c.version).where(mv.c.model_id == model.id)).scalars())
        edges = conn.execute(select(p.c.child, p.c.parent).where(p.c.child.in_(mine))).all()
    children: dict[str, list[str]] = {}
    for child, parent in edges:
        children.setdefault(parent, []).append(child)
    found: set[str] = set()
    todo = list(children.get(version, []))
    while todo:
        digest = todo.pop()
        if digest not in found:
            found.add(digest)
            todo.extend(children.get(digest, []))
    return found


def open_after(db: HubDB, model: Model, tag: str) -> list[str]:
    """Notes on versions made from a gated or private release that anyone may download."""
    levels = levels_of(db, model)
    version = levels.tags[tag]
    if levels.version(version) == "public":
        return []
    refs = {name: e["version"] for name, e in refs_of(db, model).items()}
    notes = []
    for digest in sorted(descendants(db, model, version)):
        if levels.version(digest) == "public":
            named = [name for name, at in refs.items() if at == digest]
            where = f" ({', '.join(sorted(named))})" if named else ""
            notes.append(
                f"version {digest[:12]}{where} descends from {tag} and is public: it carries "
                f"{tag}'s training further; tag it with a level too, or gate the model"
            )
    return notes


def set_release_level(db: HubDB, model: Model, user: User, tag: str, level: str) -> dict[str, Any]:
    """Give release `tag` its own level (`inherit`: follow the model again), logged."""
    if level not in (*LEVELS, INHERIT):
        raise HubError(
            422, f"a release's level is one of {', '.join(LEVELS)} or {INHERIT}, not {level[:20]!r}"
        )
    levels = levels_of(db, model)
    check_release(levels, model, tag)
    before = levels.release(tag)
    at, _ = stamp()
    r = t.release_access
    with db.writing() as conn:
        conn.execute(delete(r).where((r.c.model_id == model.id) & (r.c.tag == tag)))
        if level != INHERIT:
            conn.execute(
                insert(r).values(model_id=model.id, tag=tag, level=level, set_by=user.id, set_at=at)
            )
        after = model.visibility if level == INHERIT else level
        follows = " (follows the model)" if level == INHERIT else ""
        why = f"{tag}: {before} -> {after}{follows}"
        log_access(conn, 0, model, user.name, "level", why, tag)
    return {
        "release": tag,
        "level": levels_of(db, model).release(tag),
        "notes": open_after(db, model, tag),
    }


def log_access(
    conn: Connection,
    request_id: int,
    model: Model,
    actor: str,
    action: str,
    why: str,
    release: str | None = None,
) -> None:
    """Append one line to ``hub_access_log`` (request id 0: a change of level)."""
    row = {"request_id": request_id, "model_id": model.id, "actor": actor, "action": action}
    row |= {"reason": why, "at": stamp()[0], "release_tag": release}
    conn.execute(insert(t.access_log).values(**row))


def release_rows(db: HubDB, model: Model) -> list[dict[str, Any]]:
    """Every release of the model: tag, version, level, and whether the level is its own."""
    levels = levels_of(db, model)
    return [
        {
            "release": tag,
            "version": version,
            "level": levels.release(tag),
            "own": tag in levels.own,
            "version_level": levels.version(version),
        }
        for tag, version in sorted(levels.tags.items())
    ]
