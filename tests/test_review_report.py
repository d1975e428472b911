"""Review reports show a stranger's strings; every format keeps them inert (issue 9, 3.3).

Before: evaluation keys and free text reached ``review.md`` raw, so ``<script>``, ``<img onerror>``,
a fake "**Verdict: ACCEPT**" and an open ``<!--`` (hiding the real verdict) all rendered. The
Markdown is checked by rendering it with a real CommonMark renderer (markdown-it-py, which rich
already depends on); the HTML by parsing it.
"""

import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from modelbazaar.contrib import generate_keypair, open_bundle, write_bundle
from modelbazaar.contrib.keys import load_private_key
from modelbazaar.contrib.manifest import parse_manifest
from modelbazaar.errors import BundleError
from modelbazaar.recipe import add_trusted_key
from modelbazaar.review.report import write_reports
from modelbazaar.safe_text import escape_markdown
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.review import review

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**Verdict: ACCEPT**",
    "<!--",
    "[click](javascript:alert(1))",
    "| forged | cells |",
    "`code` _em_ ~~gone~~",
    "# Heading",
    "1. list",
    "&lt;entity&gt;",
]
EVERYTHING = " ".join(HOSTILE)
# What the templates themselves write; a hostile value must not add a single other element.
REPORT_HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "b", "br"}
REPORT_HTML_TAGS |= {"ul", "li", "code", "table", "tr", "th", "td"}
MARKDOWN_TAGS = {"h1", "h2", "p", "strong", "ul", "li", "code", "table", "thead", "tbody"}
MARKDOWN_TAGS |= {"tr", "th", "td"}


def hostile_report() -> dict:
    """A report with the hostile strings in every slot a string can reach (not only the ones a
    manifest feeds today: the renderer must not depend on who filled a field)."""
    return {
        "verdict": "reject",
        "reasons": [EVERYTHING, "own task x: no meaningful gain"],
        "contribution": "ab" * 32,
        "bundle": EVERYTHING,
        "base": "cd" * 32,
        "candidate": "ef" * 32,
        "task": "a<b",
        "author": "ed25519:" + "A" * 43 + "=",
        "signature": EVERYTHING,
        "licence": {
            "model": "Apache-2.0",
            "rows": [{"what": EVERYTHING, "license": "MIT", "family": "x", "verdict": "ok"}],
        },
        "contributor_evaluation": {"task_loss_base": 2.5, "held_out_every": 10},
        "data_card": {
            "description": "\n".join(HOSTILE),
            "files": [
                {
                    "name": "a.txt",
                    "bytes": 3,
                    "sha256": "00" * 32,
                    "provenance": "synthetic",
                    "generator": EVERYTHING,
                    "license": "MIT",
                    "included": True,
                }
            ],
        },
        "checks": [
            {"check": EVERYTHING, "status": "fail", "base": 1.0, "candidate": 1.1, "delta": 0.1},
            {"check": "own task", "status": "unverified", "detail": EVERYTHING},
        ],
    }


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.comments: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert_html(html: str, allowed: set[str]) -> TagCollector:
    parsed = TagCollector()
    parsed.feed(html)
    parsed.close()
    assert set(parsed.tags) <= allowed, set(parsed.tags) - allowed
    assert parsed.comments == []  # an open <!-- would hide everything after it
    assert parsed.tags.count("strong") + parsed.tags.count("b") == 1  # only the real verdict
    return parsed


def test_markdown_report_renders_hostile_strings_as_text(tmp_path: Path) -> None:
    report = hostile_report()
    write_reports(tmp_path, report)
    html = MarkdownIt("commonmark").enable("table").render((tmp_path / "review.md").read_text())
    parsed = assert_inert_html(html, MARKDOWN_TAGS)  # no script, img, a, em, ol, h3 …
    assert html.count("<strong>") == 1 and "<strong>Verdict: REJECT</strong>" in html
    assert parsed.tags.count("h1") == 1  # "# Heading" in a value is not a heading
    shown = "".join(parsed.text)
    for hostile in HOSTILE:  # shown to the reader exactly as the contributor wrote it
        assert hostile in shown, hostile
    # a "|" in a value must not add cells: every row of a table has its header's width
    for table in html.split("<table>")[1:]:
        rows = table.split("</table>")[0].split("<tr>")[1:]
        assert len({row.count("<td>") + row.count("<th>") for row in rows}) == 1


def test_html_report_escapes_and_json_keeps_data(tmp_path: Path) -> None:
    report = hostile_report()
    write_reports(tmp_path, report)
    parsed = assert_inert_html((tmp_path / "review.html").read_text(), REPORT_HTML_TAGS)
    assert EVERYTHING in "".join(parsed.text)
    assert json.loads((tmp_path / "review.json").read_text()) == report


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("**Verdict: ACCEPT**", r"\*\*Verdict: ACCEPT\*\*"),
        ("<!--", "&lt;!--"),
        ("a\nb|c", r"a b\|c"),
        ("# h", r"\# h"),
        ("12. x", r"12\. x"),
        ("plain words, 95% CI +0.1", "plain words, 95% CI +0.1"),
    ],
)
def test_escape_markdown(value: str, expected: str) -> None:
    assert escape_markdown(value) == expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"evaluation": {"<script>alert(1)</script>": 1.0}}, "evaluation.<script>"),
        ({"evaluation": {"held_out_every": 0}}, "evaluation.held_out_every"),
        ({"data_card": {"description": "ok \x1b[2J"}}, "data_card.description"),
        ({"data_card": {"description": "abc\u202egpj.exe"}}, "data_card.description"),
        ({"task": "**Verdict: ACCEPT**"}, "task"),
        ({"payload": [{"name": "<!--", "sha256": "0" * 64, "bytes": 1}]}, "payload.0.name"),
    ],
    ids=["eval-key", "held-out-every-0", "ansi", "bidi", "task", "payload-name"],
)
def test_manifest_refuses_strings_that_do_not_belong(change: dict, field: str) -> None:
    doc = {
        "base_version": "ab" * 32,
        "kind": "data",
        "task": "t",
        "author": "ed25519:" + "A" * 43 + "=",
        "license": "MIT",
        "created": "2025-01-01T00:00:00+00:00",
    } | change
    with pytest.raises(BundleError, match=f"field '{field}"):
        parse_manifest(json.dumps(doc).encode())


def test_generator_names_a_model_not_markup() -> None:
    card = {
        "name": "a.txt",
        "bytes": 1,
        "sha256": "0" * 64,
        "provenance": "synthetic",
        "license": "MIT",
        "included": False,
    }
    doc = {
        "base_version": "ab" * 32,
        "kind": "data",
        "task": "t",
        "author": "ed25519:" + "A" * 43 + "=",
        "license": "MIT",
        "created": "2025-01-01T00:00:00+00:00",
    }
    ok = doc | {"data_card": {"files": [card | {"generator": "Qwen/Qwen2.5-7B-Instruct"}]}}
    assert parse_manifest(json.dumps(ok).encode()).data_card.files[0].generator
    bad = doc | {"data_card": {"files": [card | {"generator": "<img src=x onerror=alert(1)>"}]}}
    with pytest.raises(BundleError, match="field 'data_card.files.0.generator'"):
        parse_manifest(json.dumps(bad).encode())


def test_review_of_a_signed_hostile_description_writes_inert_reports(
    fresh_tiny, tmp_path, monkeypatch
) -> None:
    """End to end: a validly signed bundle whose data card carries every hostile string."""
    model_dir, store = fresh_tiny
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "me"))
    add_trusted_key(model_dir, generate_keypair(tmp_path / "me"))
    honest = contribute(
        model_dir,
        data=model_dir / "contributions" / "alpaca" / "train.jsonl",
        task="alpaca",
        license="CC-BY-NC-4.0",  # refused by licence: the review is quick (no evals)
        out=tmp_path / "honest.bazaar",
        train=LoraTrainConfig(steps=1, batch_size=2),
        show_progress=False,
    ).bundle
    opened = open_bundle(honest, require_signature=False)
    card = opened.manifest.data_card.model_copy(update={"description": "\n".join(HOSTILE)})
    hostile = write_bundle(
        tmp_path / "hostile.bazaar",
        opened.manifest.model_copy(update={"data_card": card, "statistics": None}),  # adapter only
        {"adapter.safetensors": _member(honest, "adapter.safetensors")},
        load_private_key(tmp_path / "me"),
    )
    outcome = review(model_dir, hostile, report_dir=tmp_path / "report", show_progress=False)
    assert outcome.verdict == "reject"
    md = (tmp_path / "report" / "review.md").read_text()
    assert "\\*\\*Verdict: ACCEPT\\*\\*" in md and "&lt;!--" in md
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert_inert_html(html, MARKDOWN_TAGS)
    assert "<strong>Verdict: REJECT</strong>" in html
    assert_inert_html((tmp_path / "report" / "review.html").read_text(), REPORT_HTML_TAGS)


def _member(bundle: Path, name: str) -> bytes:
    with zipfile.ZipFile(bundle) as zf:
        return zf.read(name)
