"""Downloads: may this user fetch this object, or use this version's weights? One place for
every download path — objects by hash (clone, pull, release files, reports) through
`require_object`, the hub's chat through `require_version` — after `hub/auth.py` has said the
model is readable at all. Which level an object or version has is `hub/releases.py`'s rule;
who holds a grant is `hub/access.py`'s requests.

Members, admins and workers download everything they can read. Otherwise: public — anyone;
gated — an approved request for the model (opens every gated release of it) or for a release
whose version it is or was made from; private — nobody else, and it answers 404 as if absent
(and is named nowhere: `hidden_versions`, `hidden_refs`).

Example: require_object(db, model, v2_weights, carol)  # 403 unless carol holds a grant
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.protocol import merge_bundles
from modelbazaar.hub.releases import Levels, levels_of, merges_naming, versions_naming
from modelbazaar.hub.repos import Model, audit_log, refs_of, role_of
from modelbazaar.store import schema


def privileged(db: HubDB, model: Model, user: User | None) -> bool:
    """Members, admins and workers: they download everything they can read."""
    if user is None:
        return False
    return user.is_admin or user.is_worker or role_of(db, model, user) is not None


def grants(db: HubDB, model: Model, user: User | None) -> set[str | None]:
    """What `user`'s approved requests open: release tags, None for the whole model."""
    if user is None:
        return set()
    r = t.access_requests
    with db.reading() as conn:
        return set(
            conn.execute(
                select(r.c.release_tag).where(
                    (r.c.model_id == model.id)
                    & (r.c.user_id == user.id)
                    & (r.c.state == "approved")
                )
            ).scalars()
        )


def may_download(db: HubDB, model: Model, user: User | None) -> bool:
    """May `user` fetch what follows the model's own level (source, bundles, reports, and
    versions no release with a level of its own points at)?"""
    if model.visibility == "public" or privileged(db, model, user):
        return True
    return model.visibility == "gated" and None in grants(db, model, user)


def _version_open(levels: Levels, version: str, inside: bool, granted: set[str | None]) -> bool:
    level = levels.version(version)
    if level == "public" or inside:
        return True
    if level == "private":
        return False
    if None in granted:  # a grant for the model opens each of its gated versions
        return True
    opened = {levels.tags[tag] for tag in granted if tag and tag in levels.tags}
    if version in opened:
        return True
    if levels.own_level(version) is not None or levels.model != "public":
        return False
    # gated only by the releases it was made from: open to those granted every one of them
    return all(v in opened for v, own in levels.sources(version).items() if own != "public")


def downloadable_versions(db: HubDB, model: Model, user: User | None) -> dict[str, bool]:
    """Version -> may `user` download every object it needs (the versions list clone reads):
    its own three, and the contribution bundles a merged version replays, which follow the
    model's level."""
    levels, inside, granted = levels_of(db, model), privileged(db, model, user), set()
    if not inside:
        granted = grants(db, model, user)
    whole = inside or may_download(db, model, user)
    v, mv = schema.versions, t.model_versions
    with db.reading() as conn:
        rows = conn.execute(
            select(v.c.hash, v.c.info).join(
                mv, (mv.c.version == v.c.hash) & (mv.c.model_id == model.id)
            )
        ).all()
    return {
        digest: _version_open(levels, digest, inside, granted)
        and (whole or not merge_bundles(json.loads(info)))
        for digest, info in rows
    }


def hidden_versions(db: HubDB, model: Model, user: User | None) -> set[str]:
    """Versions of private releases `user` may not see: left out of every list and page."""
    if privileged(db, model, user):
        return set()
    return _private_versions(levels_of(db, model))


def _private_versions(levels: Levels) -> set[str]:
    return {v for v in levels.parents if levels.version(v) == "private"}


def _hidden(
    db: HubDB, model: Model, user: User | None
) -> tuple[set[str], set[str], dict[str, dict[str, str]]]:
    """(hidden refs, hidden versions, every ref) with the levels and refs read once. Hidden refs:
    private releases, and any ref (main too) at a private release's version — showing it would
    name the hidden version."""
    refs = refs_of(db, model)
    if privileged(db, model, user):
        return set(), set(), refs
    levels = levels_of(db, model)
    hidden = _private_versions(levels)
    private = {tag for tag in levels.tags if levels.release(tag) == "private"}
    return private | {ref for ref, e in refs.items() if e["version"] in hidden}, hidden, refs


def hidden_refs(db: HubDB, model: Model, user: User | None) -> set[str]:
    """Refs `user` may not see (see `_hidden`)."""
    return _hidden(db, model, user)[0]


def visible_refs(db: HubDB, model: Model, user: User | None) -> dict[str, dict[str, str]]:
    hidden, _, refs = _hidden(db, model, user)
    return {ref: at for ref, at in refs.items() if ref not in hidden}


def visible_audit(db: HubDB, model: Model, user: User | None) -> list[dict[str, Any]]:
    """The audit log without the moves of hidden refs or to or from hidden versions."""
    refs, versions, _ = _hidden(db, model, user)
    return [
        row
        for row in audit_log(db, model)
        if row["ref"] not in refs and row["new"] not in versions and row["old"] not in versions
    ]


def masked_merges(
    db: HubDB, model: Model, user: User | None, merges: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Merge rows with the versions `user` may not see (a private release's) blanked."""
    hidden = hidden_versions(db, model, user)
    return [
        row | {key: None for key in ("version", "expected_main") if row.get(key) in hidden}
        for row in merges
    ]


def shown_rows(db: HubDB, model: Model, user: User | None, rows: list[dict]) -> list[dict]:
    """`version_rows` without the versions of private releases `user` may not see."""
    hidden = hidden_versions(db, model, user)
    return [row for row in rows if row["hash"] not in hidden]


def visible_versions(
    db: HubDB, model: Model, user: User | None, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Version rows with their level and whether `user` may download them ("access",
    "download"); a private release's version is left out for those who may not see it."""
    levels, open_ = levels_of(db, model), downloadable_versions(db, model, user)
    inside = privileged(db, model, user)
    shown = []
    for row in rows:
        level = levels.version(row["hash"])
        if level == "private" and not inside:
            continue
        shown.append(row | {"access": level, "download": open_.get(row["hash"], False)})
    return shown


def _refuse(model: Model, user: User | None, what: str, tags: list[str]) -> HubError:
    release = f" --release {tags[0]}" if tags else ""
    if user is None:
        return HubError(
            401, f"{what} is gated: log in (`bazaar login`) and request access on its page first"
        )
    return HubError(
        403,
        f"{what} is gated: downloads need an approved access request; ask on "
        f"/models/{model.name}/access (or `bazaar access request{release} --remote URL`)",
    )


def _what(model: Model, levels: Levels, versions: list[str]) -> tuple[str, list[str]]:
    """The gated releases `versions` are closed by (themselves, or those they were made from)."""
    tags = sorted(
        tag
        for v in versions
        for source, own in levels.sources(v).items()
        if own == "gated"
        for tag in levels.tags_at(source)
        if levels.own.get(tag) == "gated"
    )
    if tags:
        return f"release {', '.join(dict.fromkeys(tags))} of {model.name}", tags
    return model.name, []


def require_model(db: HubDB, model: Model, user: User | None) -> None:
    """Refuse unless `user` may download what follows the model's own level."""
    if not may_download(db, model, user):
        raise _refuse(model, user, model.name, [])


def require_version(db: HubDB, model: Model, version: str, user: User | None) -> None:
    """Refuse (401/403; 404 for a private release) unless `user` may use `version`'s weights
    (download them, or chat with them on the hub)."""
    levels, inside = levels_of(db, model), privileged(db, model, user)
    granted = set() if inside else grants(db, model, user)
    if _version_open(levels, version, inside, granted):
        return
    if levels.version(version) == "private":
        raise not_found(f"version {version[:12]} of {model.name}")
    raise _refuse(model, user, *_what(model, levels, [version]))


def require_object(db: HubDB, model: Model, digest: str, user: User | None) -> None:
    """Refuse unless `user` may download object `digest` of `model` (rule: `hub/releases.py`;
    a private release's objects are as absent as a private model's: 404). A bundle merged
    versions replay needs the model and one of those versions."""
    naming = versions_naming(db, model, digest)
    if not naming:
        require_model(db, model, user)
        naming = merges_naming(db, model, digest)
        if not naming:
            return None
    levels, inside = levels_of(db, model), privileged(db, model, user)
    granted = set() if inside else grants(db, model, user)
    if any(_version_open(levels, v, inside, granted) for v in naming):
        return
    if all(levels.version(v) == "private" for v in naming):
        raise not_found(f"object {digest[:12]} of {model.name}")
    gated = [v for v in naming if levels.version(v) == "gated"]
    raise _refuse(model, user, *_what(model, levels, gated))
