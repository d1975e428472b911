"""The lineage graph of a model as inline SVG, drawn on the server (no JavaScript).

One row per version, newest at the top; main's first-parent chain runs down the left lane,
other versions (tuned adapters' bases, distillation teachers, imports) in the lane beside it.
Every edge is drawn in a style of its relation — built/base solid, merged dashed, distilled
dotted — and said in words next to its child (readable without colour); merge edges name the
contributions they brought in. Every string is XML-escaped (task names come from strangers).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

ROW = 34
LANE = 28
LEFT = 16
DASH = {"merged": "6 4", "distilled": "2 3", "tuned": "8 3 2 3"}
COLOUR = {"merged": "#b35c00", "distilled": "#5b3fa0", "tuned": "#006b7a", "imported": "#444"}


def _label(row: dict[str, Any], tags: list[str]) -> str:
    merged = [e["detail"] for e in row["parents"] if e["relation"] == "merged"]
    text = f"{row['hash'][:12]} {row['relation']}"
    method = ((row.get("info") or {}).get("merge") or {}).get("method")
    if method:
        text += f" ({method})"
    if merged:
        tasks = ", ".join(
            f"{d.get('task', '?')} [{str(d.get('contribution', ''))[:8]}]" for d in merged
        )
        text += f" ← contributions: {tasks}"
    teachers = [e for e in row["parents"] if e["relation"] == "distilled"]
    if teachers:
        text += " ← distilled from " + ", ".join(e["parent"][:12] for e in teachers)
    if tags:
        text += "  ⟵ " + ", ".join(tags)
    return text


def lineage_svg(rows: list[dict[str, Any]], chain: list[str], refs: dict[str, Any]) -> Markup:
    """SVG of `rows` (`version_rows`, parents first) with `chain` (main, newest first)."""
    if not rows:
        return Markup("<p>No versions yet: the maintainer runs <code>bazaar push</code>.</p>")
    on_chain = set(chain)
    order = list(reversed(rows))  # children before parents: newest on top
    place: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(order):
        lane = 0 if row["hash"] in on_chain else 1
        place[row["hash"]] = (LEFT + lane * LANE, 20 + i * ROW)
    tags: dict[str, list[str]] = {}
    for ref, what in sorted(refs.items()):
        tags.setdefault(what["version"], []).append(ref)
    height = 20 + len(order) * ROW
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="1100" height="{height}" '
        f'viewBox="0 0 1100 {height}" font-family="sans-serif" font-size="12">',
        "<title>lineage of main: versions newest first, edges to their parents</title>",
    ]
    for row in order:
        x, y = place[row["hash"]]
        drawn: set[tuple[str, str]] = set()
        for edge in row["parents"]:
            key = (edge["parent"], edge["relation"])
            if key in drawn or edge["parent"] not in place:
                continue
            drawn.add(key)
            px, py = place[edge["parent"]]
            relation = edge["relation"]
            dash = DASH.get(relation)
            style = f' stroke-dasharray="{dash}"' if dash else ""
            colour = COLOUR.get(relation, "#333")
            bend = x + 12 if relation == "merged" and px == x else x
            parts.append(
                f'<path d="M{x},{y} C{bend + 14},{y + 10} {bend + 14},{py - 10} {px},{py}" '
                f'fill="none" stroke="{colour}" stroke-width="1.6"{style}>'
                f"<title>{escape(relation)}: {row['hash'][:12]} ← {edge['parent'][:12]}</title>"
                "</path>"
            )
    for row in order:
        x, y = place[row["hash"]]
        colour = COLOUR.get(row["relation"], "#1b1b1b")
        parts.append(f'<circle cx="{x}" cy="{y}" r="6" fill="{colour}"/>')
        label = escape(_label(row, tags.get(row["hash"], [])))
        parts.append(
            f'<a href="versions/{row["hash"]}"><text x="{LEFT + 2 * LANE + 8}" y="{y + 4}">'
            f"{label}</text></a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
