"""What the hub and its clients must agree on byte for byte, in one light module (no torch,
no database), so `bazaar push`, `clone` and `pull` start fast: the messages users sign, which
objects a version needs, and the parents-first order versions travel in.

Example: approval_message("tiny", "8c96…", "1b2e…") -> b"bazaar-approve:tiny:8c96…:1b2e…"
"""

from __future__ import annotations

from typing import Any


def key_proof_message(user: str, public_key: str) -> bytes:
    """What a user signs to prove they hold the private half of a key they register."""
    return f"bazaar-hub-key:{user}:{public_key}".encode()


def approval_message(model: str, contribution: str, bundle: str) -> bytes:
    """What a maintainer signs to approve: the model, the contribution and its bundle hash."""
    return f"bazaar-approve:{model}:{contribution}:{bundle}".encode()


def merge_bundles(info: dict[str, Any]) -> list[str]:
    """The contribution bundles a merged version's recipe replays (none for other versions)."""
    merge = info.get("merge") or {}
    return [b for b in merge.get("bundles", []) if isinstance(b, str)]


def objects_of(row: dict[str, Any]) -> list[str]:
    """Objects a version needs on the hub: its three files and its merge recipe's bundles."""
    bundles = merge_bundles(row.get("info", {}))
    return [row["weights"], row["tokenizer"], row["config"], *bundles]


def topological(rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows ordered so every parent (within `rows`) comes before its children."""
    ordered: list[dict[str, Any]] = []
    done: set[str] = set()
    for start in sorted(rows):
        stack = [(start, False)]
        while stack:
            digest, expanded = stack.pop()
            if digest in done or digest not in rows:
                continue
            if expanded:
                done.add(digest)
                ordered.append(rows[digest])
                continue
            stack.append((digest, True))
            stack.extend((e["parent"], False) for e in rows[digest]["parents"])
    return ordered
