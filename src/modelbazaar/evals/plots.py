"""The report's plots as inline SVG text (self-contained HTML: no files, no network).

Each function returns "" when there is nothing to draw. Example: `suite_values(rows)` with
rows [{"label": "wordnet_mc acc", "value": 0.3, "low": 0.2, "high": 0.4}] -> "<svg ...>".
"""

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.hashsalt"] = "modelbazaar"  # stable element ids: same data, same SVG text


def _svg(fig: plt.Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog: it is inlined into HTML


def intervals(rows: list[dict], title: str, zero_line: bool = False) -> str:
    """Horizontal point + 95% interval per row (label, value, low, high)."""
    if not rows:
        return ""
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 1.2))
    ys = list(range(len(rows)))[::-1]
    for y, r in zip(ys, rows, strict=True):
        color = r.get("color", "tab:blue")
        ax.errorbar(
            r["value"],
            y,
            xerr=[[r["value"] - r["low"]], [r["high"] - r["value"]]],
            fmt="o",
            color=color,
            capsize=3,
        )
    if zero_line:
        ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(ys, [r["label"] for r in rows])
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def training_curve(points: list[dict]) -> str:
    """Training (and validation) loss against step, from the catalogue's train_metrics rows."""
    if not points:
        return ""
    fig, ax = plt.subplots(figsize=(6.5, 3))
    ax.plot([p["step"] for p in points], [p["loss"] for p in points], label="train loss")
    val = [p for p in points if p.get("val_loss") is not None]
    if val:
        ax.plot([p["step"] for p in val], [p["val_loss"] for p in val], "o-", label="val loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss (nats/token)")
    ax.set_title("training loss")
    ax.legend()
    ax.grid(alpha=0.3)
    return _svg(fig)


def category_bars(per_category: dict[str, dict], title: str) -> str:
    """Refusal rate per hazard category (S1..S13) and over-refusal of benign look-alikes."""
    rows = [
        (code, c.get("refusal_rate", c.get("over_refusal_rate")))
        for code, c in per_category.items()
    ]
    rows = [(code, v) for code, v in rows if v is not None]
    if not rows:
        return ""
    fig, ax = plt.subplots(figsize=(6.5, 3))
    colors = ["tab:orange" if code == "benign" else "tab:green" for code, _ in rows]
    ax.bar([code for code, _ in rows], [v for _, v in rows], color=colors)
    ax.set_ylim(0, 1)
    ax.set_ylabel("refusal rate")
    ax.set_title(
        title + " (green: harmful, should be high; orange: benign, should be low)", fontsize=9
    )
    return _svg(fig)
