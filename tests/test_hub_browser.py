"""The hub's pages in a real browser: Playwright for Python driving Debian's headless Chromium
(`apt-get install -y chromium`; Playwright's own browser download is not used). Each journey
saves a screenshot of every page under its tmp folder and asserts on what a person sees.

The smoke journey (browse -> model -> history -> evals -> a version's report) is in the default
run and skips, saying why, when /usr/bin/chromium is missing; the others train, review and
merge a tiny model, so they are `slow`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelbazaar.contrib import keys as ed25519
from modelbazaar.hub import actions, sync
from modelbazaar.hub.client import RemoteError
from modelbazaar.hub.protocol import approval_message, key_proof_message
from modelbazaar.hub.worker import run_worker
from tests.helpers import bazaar_exit_code
from tests.hubkit import Bundles, LiveHub, use_key
from tests.pagekit import seed_hub

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(
            "no Chromium at /usr/bin/chromium: install Debian's package "
            "(`apt-get install -y chromium`) to run the browser journeys"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


class Journey:
    """One person's tab: visit, look, screenshot (numbered, under the test's tmp folder)."""

    def __init__(self, browser, base: str, shots: Path, who: str) -> None:
        self.page = browser.new_context().new_page()
        self.base, self.shots, self.who, self.count = base, shots, who, 0
        shots.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.count += 1
        path = self.shots / f"{self.who}-{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def sees(self, *texts: str) -> None:
        body = self.page.inner_text("body")
        for text in texts:
            assert text in body, f"{self.who} does not see {text!r} on {self.page.url}"

    def log_in(self, token: str) -> None:
        self.go("/login")
        self.page.fill("#token", token)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state()


def test_smoke_browse_model_history_evals(browser, tmp_path: Path) -> None:
    seeded = seed_hub(tmp_path / "data", versions=6, contributions=3)
    hub = LiveHub(seeded.db, tmp_path, tokens=seeded.tokens).start()
    try:
        you = Journey(browser, hub.url, tmp_path / "shots", "adopter")
        you.go("/")
        you.sees("Models", "tiny", "alice")
        you.shot("models")
        you.page.get_by_role("link", name="tiny", exact=True).click()
        you.sees("Licence verdict", "Openness", "Clone and run", "bazaar clone", "verse")
        you.shot("model")
        you.page.get_by_role("link", name="History").click()
        assert you.page.locator(".graph svg").is_visible()
        you.sees("Lineage (6 versions)", "Ref moves", "alice")
        assert "merged (ties)" in you.page.inner_html(".graph")
        you.shot("history")
        you.page.get_by_role("link", name="Evals").click()
        assert you.page.locator("figure svg").first.is_visible()
        you.sees("wordnet_mc · accuracy", "95% CI")
        you.shot("evals")
        you.page.locator("table a").first.click()
        you.sees("Eval report", "accuracy", "Parents")
        you.shot("version")
        you.go("/models/nope")
        you.sees("404", "not found", "back")
        you.shot("404")
    finally:
        hub.stop()
    assert len(list((tmp_path / "shots").glob("*.png"))) == 6


def _published(hub: LiveHub, model: Path, bundles: Bundles, monkeypatch) -> None:
    use_key(hub, "bob", bundles.key)
    hub.act_as("alice", monkeypatch)
    sync.push(model, hub.model_url("tiny"), show_progress=False)
    actions.set_member(model, "bob", "contributor")


def _sign(key: Path, message: bytes) -> str:
    return base64.b64encode(ed25519.sign(ed25519.load_private_key(key), message)).decode()


@pytest.mark.slow
def test_contributor_submits_via_cli_maintainer_approves_and_merges_from_the_page(
    browser, live_hub: LiveHub, hub_model: Path, hub_bundles: Bundles, tmp_path, monkeypatch
) -> None:
    _published(live_hub, hub_model, hub_bundles, monkeypatch)
    live_hub.act_as("bob", monkeypatch)
    assert bazaar_exit_code(["submit", str(hub_bundles.verse), "-C", str(hub_model)]) == 0
    assert run_worker(live_hub.url, live_hub.tokens["ci"], tmp_path / "work", once=True) == 1
    cid = actions.contributions(hub_model)[0]["contribution"]

    bob = Journey(browser, live_hub.url, tmp_path / "shots", "bob")
    bob.log_in(live_hub.tokens["bob"])
    bob.go("/models/tiny/contributions")
    bob.sees("Queue (1)", "verse", "accepted")
    bob.shot("queue")
    bob.page.get_by_role("link", name=cid[:12]).click()
    bob.sees("Signed manifest", "Review report", "Verdict: ACCEPT", "95% CI")
    assert "Maintainer actions" not in bob.page.inner_text("body")
    bob.shot("review")

    alice = Journey(browser, live_hub.url, tmp_path / "shots", "alice")
    alice.log_in(live_hub.tokens["alice"])
    key = live_hub.keys["alice"]
    public = Path(str(key) + ".pub").read_text().strip()
    alice.go("/account")
    alice.page.fill("#public_key", public)
    alice.page.fill("#proof", _sign(key, key_proof_message("alice", public)))
    alice.page.get_by_role("button", name="Register key").click()
    alice.sees(public)
    alice.go(f"/models/tiny/contributions/{cid}")
    bundle = live_hub.get(f"/models/tiny/contributions/{cid}", "alice")["bundle"]
    alice.page.fill("#signature", _sign(key, approval_message("tiny", cid, bundle)))
    alice.page.get_by_role("button", name="Approve").click()
    alice.sees("Done: approved", "alice")
    alice.page.select_option("#method", "ties")
    alice.page.fill("#density", "0.5")
    alice.shot("approved")
    alice.page.get_by_role("button", name="Merge").click()
    alice.sees("queued")
    assert run_worker(live_hub.url, live_hub.tokens["ci"], tmp_path / "work", once=True) == 1
    alice.page.reload()
    alice.sees("merged", "→ version")
    alice.shot("merged")
    main = live_hub.get("/models/tiny")["refs"]["main"]["version"]
    alice.go("/models/tiny/history")
    assert main[:12] in alice.page.inner_text(".graph") and "contributions: verse" in (
        alice.page.inner_text(".graph")
    )
    alice.shot("history")


@pytest.mark.slow
def test_gated_request_approval_then_download(
    browser, live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    alice = Journey(browser, live_hub.url, tmp_path / "shots", "alice")
    alice.log_in(live_hub.tokens["alice"])
    alice.go("/models/tiny")
    alice.page.select_option("#visibility", "gated")
    alice.page.get_by_role("button", name="Change visibility").click()
    alice.sees("Downloads of this model need an approved access request")
    live_hub.act_as("carol", monkeypatch)
    with pytest.raises(RemoteError, match="gated"):
        sync.clone(live_hub.model_url("tiny"), tmp_path / "refused", show_progress=False)

    carol = Journey(browser, live_hub.url, tmp_path / "shots", "carol")
    carol.log_in(live_hub.tokens["carol"])
    carol.go("/models/tiny")
    carol.sees("gated", "request access")
    carol.page.get_by_role("link", name="Access", exact=True).click()
    carol.page.fill("#who", "Carol, a teacher")
    carol.page.fill("#intended_use", "a class on small language models")
    carol.page.get_by_role("button", name="Request access").click()
    carol.sees("pending")
    carol.shot("requested")

    alice.go("/models/tiny/access")
    alice.sees("Carol, a teacher", "a class on small language models")
    alice.page.fill("input[name=reason]", "welcome")
    alice.page.get_by_role("button", name="Approve carol").click()
    alice.sees("approved: welcome", "alice approved")
    alice.shot("approved")

    carol.page.reload()
    carol.sees("You may download tiny")
    carol.shot("granted")
    dest, result = sync.clone(live_hub.model_url("tiny"), tmp_path / "ok", show_progress=False)
    assert result.versions >= 1 and (dest / "bazaar.toml").exists()


@pytest.mark.slow
def test_feedback_chat_streams_then_export(
    browser, live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    bob = Journey(browser, live_hub.url, tmp_path / "shots", "bob")
    bob.log_in(live_hub.tokens["bob"])
    bob.go("/models/tiny/chat")
    bob.page.fill("#prompt", "ROMEO:")
    bob.page.get_by_role("button", name="Send").click()
    bob.page.wait_for_selector("#feedback:not([hidden])", timeout=120_000)
    answer = bob.page.inner_text("#answer")
    assert answer.strip() and answer != "(ask something)"  # the model's own words
    bob.shot("answered")
    bob.page.get_by_label("Good (+1)").check()
    bob.page.fill("#better", "But soft, what light through yonder window breaks?")
    bob.page.select_option("#license", "CC0-1.0")
    bob.page.get_by_label(re.compile("I agree")).check()
    bob.page.get_by_role("button", name="Send feedback").click()
    bob.sees("your feedback is stored")
    bob.shot("thanks")

    live_hub.act_as("alice", monkeypatch)
    args = ["feedback", "export", "romeo", "--remote", live_hub.model_url("tiny")]
    assert bazaar_exit_code([*args, "-C", str(hub_model)]) == 0
    data = (hub_model / "data" / "romeo" / "train.jsonl").read_text()
    assert "yonder window" in data and "ROMEO:" in data
    assert 'license = "CC0-1.0"' in (hub_model / "data" / "romeo.toml").read_text()
