"""`bazaar serve` with a guard: prompts checked before generation, answers after (streamed ones a
window at a time), "content_filter" instead of errors, /v1/moderations in OpenAI's format, and
`serve --guard` refusing to start when the guard cannot load.

KeywordGuard below is a TEST DOUBLE for `modelbazaar.safety.guard.Guard`, which another team
builds in parallel (a trained classifier over the MLCommons hazards). It satisfies the same
interface (`serve.guarding.GuardLike`) with deterministic keyword rules so these tests can say
exactly which text must be blocked; the real guard's quality is measured by its own tests and
bench.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import openai
import pytest

from modelbazaar.generate import generate_text
from modelbazaar.model import LoadedModel, load_version
from modelbazaar.serve.app import create_app
from modelbazaar.serve.guarding import GuardNotAvailable
from modelbazaar.serve.served import Limits
from modelbazaar.store import Store
from tests.helpers import bazaar_exit_code
from tests.serving import running

PROMPT, SEED = "ROMEO:", 3


@dataclass(frozen=True)
class KeywordVerdict:
    flagged: bool
    codes: list[str]
    scores: dict[str, float]


@dataclass
class KeywordGuard:
    """Flags a text holding one of `words` (word -> hazard code), for the role it is set for."""

    user_words: dict[str, str]
    assistant_words: dict[str, str]
    threshold: float = 0.5
    calls: list[tuple[str, list[str]]] = field(default_factory=list)

    def check(self, texts: list[str], role: str = "user") -> list[KeywordVerdict]:
        self.calls.append((role, list(texts)))
        if any("crash" in t for t in texts):
            raise RuntimeError("guard model exploded")
        words = self.user_words if role == "user" else self.assistant_words
        verdicts = []
        for text in texts:
            codes = sorted({code for word, code in words.items() if word in text})
            scores = {f"S{i}": (0.9 if f"S{i}" in codes else 0.01) for i in range(1, 15)}
            verdicts.append(KeywordVerdict(bool(codes), codes, scores))
        return verdicts


@pytest.fixture(scope="module")
def loaded(tiny_built: tuple[Path, Store]) -> LoadedModel:
    return load_version(tiny_built[1], "main")


@pytest.fixture(scope="module")
def answer(loaded: LoadedModel) -> str:
    """The unguarded answer to PROMPT with SEED (the server gives the same: test_serve_api)."""
    return generate_text(loaded, PROMPT, max_new_tokens=40, temperature=1.0, top_p=1.0, seed=SEED)


@pytest.fixture(scope="module")
def banned(answer: str) -> str:
    """A 3-character piece that first occurs 20+ characters into the answer."""
    start = next(i for i in range(20, len(answer) - 3) if answer.find(answer[i : i + 3]) == i)
    return answer[start : start + 3]


@pytest.fixture(scope="module")
def guarded(loaded: LoadedModel, banned: str) -> Iterator[tuple[openai.OpenAI, KeywordGuard]]:
    guard = KeywordGuard({"bomb": "S9", "hate them": "S10"}, {banned: "S1"})
    app = create_app(loaded, name="tiny", guard=guard, limits=Limits(guard_window=8))
    with running(app) as (url, _):
        yield openai.OpenAI(base_url=url, api_key="unused", max_retries=0), guard


def test_prompt_blocked_before_generation(
    guarded: tuple[openai.OpenAI, KeywordGuard], loaded: LoadedModel
) -> None:
    client, _ = guarded
    for stream in (False, True):
        before = _prefills(client)
        response = client.chat.completions.with_raw_response.create(
            model="tiny",
            messages=[{"role": "user", "content": "how do I build a bomb"}],
            stream=stream,
        )
        assert response.status_code == 200
        if stream:
            chunks = list(response.parse())
            finish = chunks[-1].choices[0].finish_reason
            assert not "".join(c.choices[0].delta.content or "" for c in chunks)
        else:
            completion = response.parse()
            finish = completion.choices[0].finish_reason
            assert completion.choices[0].message.content == ""
            assert completion.content_filter == {"stage": "prompt", "hazard_codes": ["S9"]}  # type: ignore[attr-defined]
        assert finish == "content_filter"
        assert _prefills(client) == before  # the model never saw the prompt


def test_answer_checked_after_generation(
    guarded: tuple[openai.OpenAI, KeywordGuard], answer: str, banned: str
) -> None:
    client, _ = guarded
    whole = client.completions.create(
        model="tiny", prompt=PROMPT, max_tokens=40, temperature=1.0, seed=SEED
    )
    assert whole.choices[0].finish_reason == "content_filter"
    assert whole.choices[0].text == ""  # nothing of a flagged answer is returned
    clean = client.completions.create(
        model="tiny", prompt=PROMPT, max_tokens=5, temperature=1.0, seed=SEED
    )
    assert clean.choices[0].text == answer[: len(clean.choices[0].text)] != ""
    assert clean.choices[0].finish_reason == "length"


def test_streamed_answer_checked_per_window(
    guarded: tuple[openai.OpenAI, KeywordGuard], answer: str, banned: str
) -> None:
    client, guard = guarded
    guard.calls.clear()
    chunks = list(
        client.completions.create(
            model="tiny", prompt=PROMPT, max_tokens=40, temperature=1.0, seed=SEED, stream=True
        )
    )
    shown = "".join(c.choices[0].text for c in chunks)
    # Failed once in ~5 full runs, flagged in the first window: the served text then differed
    # from the in-process answer. The messages below say how, should it happen again.
    windows = [texts[0] for role, texts in guard.calls if role == "assistant"]
    seen = f"shown {shown!r}, windows {windows!r}, in-process {answer!r}, banned {banned!r}"
    assert chunks[-1].choices[0].finish_reason == "content_filter", seen
    assert banned not in shown and answer.startswith(shown), seen
    assert len(shown) >= 8, seen  # windows before the flagged one were released
    assert len(windows) >= 2 and banned in windows[-1], seen


def test_guard_failure_is_content_filter_not_500(
    guarded: tuple[openai.OpenAI, KeywordGuard],
) -> None:
    client, _ = guarded
    completion = client.chat.completions.create(
        model="tiny", messages=[{"role": "user", "content": "crash the guard"}]
    )
    assert completion.choices[0].finish_reason == "content_filter"
    assert "guard model exploded" in completion.content_filter["error"]  # type: ignore[attr-defined]


def test_moderations_in_openai_format(guarded: tuple[openai.OpenAI, KeywordGuard]) -> None:
    client, _ = guarded
    result = client.moderations.create(input=["how to build a bomb", "good morrow"])
    flagged, clean = result.results
    assert flagged.flagged and not clean.flagged
    assert flagged.categories.illicit_violent and not flagged.categories.violence
    assert flagged.category_scores.illicit_violent == pytest.approx(0.9)
    assert flagged.categories.model_extra["S9"] is True  # type: ignore[index]
    assert flagged.category_scores.hate == pytest.approx(0.01)
    single = client.moderations.create(input="I hate them all")
    assert single.results[0].categories.hate and single.results[0].categories.harassment


def test_long_texts_are_checked_whole(guarded: tuple[openai.OpenAI, KeywordGuard]) -> None:
    """A classifier reads a few hundred tokens: a long text is checked in overlapping segments,
    so a hazard at its end is found, and one cut by a segment boundary too."""
    client, guard = guarded
    guard.calls.clear()
    late = "a fair and peaceful day " * 150 + "now build a bomb"
    assert len(late) > 3000
    assert client.moderations.create(input=late).results[0].flagged
    assert max(len(t) for _, texts in guard.calls for t in texts) <= 1000
    for cut in range(990, 1000):  # "bomb" across the first boundary
        text = "x" * cut + "bomb" + "y" * 1500
        assert client.moderations.create(input=text).results[0].flagged, cut


def _prefills(client: openai.OpenAI) -> int:
    """Prefill passes the scheduler has run (from /metrics)."""
    text = httpx.get(str(client.base_url).replace("/v1/", "/metrics")).text
    return int(next(line.split()[1] for line in text.splitlines() if "prefill" in line))


def test_serve_guard_refuses_to_start_without_a_guard(
    tiny_built: tuple[Path, Store], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "modelbazaar.safety.guard", None)  # import fails
    code = bazaar_exit_code(["serve", "main", "-C", str(tiny_built[0]), "--guard"])
    assert code == 2
    assert "cannot start with --guard" in capsys.readouterr().err


def test_serve_guard_refuses_a_guard_that_cannot_load(
    tiny_built: tuple[Path, Store], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    fake = types.ModuleType("modelbazaar.safety.guard")

    class GuardUnavailable(Exception):
        pass

    def load_guard(source: object = None, int8: bool = False) -> object:
        raise GuardUnavailable("guard weights not built: run `bazaar build` in templates/guard")

    fake.GuardUnavailable, fake.load_guard = GuardUnavailable, load_guard  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "modelbazaar.safety.guard", fake)
    code = bazaar_exit_code(["serve", "main", "-C", str(tiny_built[0]), "--guard"])
    assert code == 2
    assert "guard weights not built" in " ".join(capsys.readouterr().err.split())


@pytest.mark.slow  # builds a tiny guard (~10 s on an idle machine)
def test_the_real_guard_behind_serve(
    loaded: LoadedModel, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The project's guard (a tiny build of templates/guard), loaded through serve's lazy loader:
    /v1/moderations carries its 14 scores in OpenAI's shape, and guarded chat still answers."""
    from modelbazaar.serve.guarding import load_guard
    from modelbazaar.workflows.build import build
    from tests.test_guard import make_tiny_guard

    folder = make_tiny_guard(tmp_path_factory.mktemp("real-guard") / "guard")
    build(folder, show_progress=False)
    guard = load_guard(folder)
    texts = ["How do I make a pipe bomb?", "How can I kill a Python process?"]
    direct = guard.check(texts)
    with running(create_app(loaded, name="tiny", guard=guard)) as (url, _):
        client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0)
        results = client.moderations.create(input=texts).results
        for result, verdict in zip(results, direct, strict=True):
            assert result.flagged == verdict.flagged
            scores = result.category_scores.model_extra or {}
            assert scores["S9"] == pytest.approx(verdict.scores["S9"], abs=1e-6)
            assert result.category_scores.violence == pytest.approx(verdict.scores["S1"], abs=1e-6)
        answer = client.chat.completions.create(
            model="tiny", messages=[{"role": "user", "content": "Good morrow"}], max_tokens=8
        )
        assert answer.choices[0].finish_reason in ("stop", "length", "content_filter")
    with pytest.raises(GuardNotAvailable, match="guard did not load"):
        load_guard(tmp_path_factory.mktemp("empty"))
