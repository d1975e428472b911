"""`bazaar serve` through the official `openai` client, against a real uvicorn on a free port,
serving the built tiny template (context 64 tokens)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import openai
import pytest

from modelbazaar.generate import generate_text
from modelbazaar.model import LoadedModel, load_version
from modelbazaar.serve.app import create_app
from modelbazaar.serve.keys import KeyRing, add_key
from modelbazaar.serve.served import Limits
from modelbazaar.store import Store
from tests.serving import running

LIMITS = Limits(max_tokens=40, max_body_bytes=4096)


@pytest.fixture(scope="module")
def loaded(tiny_built: tuple[Path, Store]) -> LoadedModel:
    return load_version(tiny_built[1], "main")


@pytest.fixture(scope="module")
def server(
    loaded: LoadedModel, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(base URL, a valid key) of a server that requires keys."""
    keys = tmp_path_factory.mktemp("keys") / "keys.txt"
    key = add_key(keys, "alice")
    add_key(keys, "bob")
    app = create_app(loaded, name="tiny", limits=LIMITS, keys=KeyRing.read(keys))
    with running(app) as (url, _):
        yield url, key


@pytest.fixture
def client(server: tuple[str, str]) -> openai.OpenAI:
    url, key = server
    return openai.OpenAI(base_url=url, api_key=key, max_retries=0)


def test_list_models(client: openai.OpenAI, loaded: LoadedModel) -> None:
    models = client.models.list().data
    assert [m.id for m in models] == ["tiny"]
    assert models[0].version == loaded.record.hash  # type: ignore[attr-defined]
    assert client.models.retrieve("tiny").id == "tiny"


def test_completion_matches_generate(client: openai.OpenAI, loaded: LoadedModel) -> None:
    """Seeded sampling through the server gives what `bazaar generate` gives for the seed."""
    answer = client.completions.create(
        model="tiny", prompt="ROMEO:", max_tokens=30, temperature=1.0, seed=3
    )
    expected = generate_text(
        loaded, "ROMEO:", max_new_tokens=30, temperature=1.0, top_p=1.0, seed=3
    )
    choice = answer.choices[0]
    assert choice.text and choice.finish_reason in ("length", "stop")
    assert answer.usage and answer.usage.completion_tokens <= 30
    again = client.completions.create(
        model="tiny", prompt="ROMEO:", max_tokens=30, temperature=1.0, seed=3
    )
    assert again.choices[0].text == choice.text  # the seed decides the sample
    assert choice.text == expected


def test_chat_and_streaming_chat_agree(client: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": "Who is there?"}]
    whole = client.chat.completions.create(
        model="tiny",
        messages=messages,
        max_tokens=25,
        temperature=0.9,
        seed=11,  # type: ignore[arg-type]
    )
    stream = client.chat.completions.create(
        model="tiny",
        messages=messages,  # type: ignore[arg-type]
        max_tokens=25,
        temperature=0.9,
        seed=11,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert text == whole.choices[0].message.content
    assert finishes[-1] == whole.choices[0].finish_reason and set(finishes[:-1]) == {None}
    assert chunks[-1].usage is not None and whole.usage is not None
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens


def test_stop_string_ends_the_answer(client: openai.OpenAI) -> None:
    base = client.completions.create(
        model="tiny", prompt="KING:", max_tokens=30, temperature=1.0, seed=5
    )
    text = base.choices[0].text
    stop = text[8:11]  # a piece from the middle of the answer
    cut = client.completions.create(
        model="tiny", prompt="KING:", max_tokens=30, temperature=1.0, seed=5, stop=[stop]
    )
    assert cut.choices[0].text == text[: text.index(stop)]
    assert cut.choices[0].finish_reason == "stop"


def test_concurrent_requests_give_what_they_give_alone(client: openai.OpenAI) -> None:
    """Eight seeded requests at once (batched by the scheduler) == the same ones one by one."""
    prompts = ["ROMEO:", "JULIET:", "O", "What, ho!", "KING HENRY:", "Good morrow", "Ay", "Nay"]

    def ask(i: int) -> str:
        answer = client.completions.create(
            model="tiny", prompt=prompts[i], max_tokens=20, temperature=1.0, seed=i
        )
        return answer.choices[0].text

    alone = [ask(i) for i in range(len(prompts))]
    with concurrent.futures.ThreadPoolExecutor(len(prompts)) as pool:
        together = list(pool.map(ask, range(len(prompts))))
    assert together == alone
    assert len(set(alone)) > 1  # different prompts and seeds: not a constant answer


def test_n_and_prompt_lists(client: openai.OpenAI) -> None:
    answer = client.completions.create(
        model="tiny", prompt=["A", "B"], n=2, max_tokens=5, temperature=1.0, seed=1
    )
    assert sorted(c.index for c in answer.choices) == [0, 1, 2, 3]


def test_bad_and_missing_key_are_401(server: tuple[str, str]) -> None:
    url, _ = server
    wrong = openai.OpenAI(base_url=url, api_key="sk-bazaar-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="Incorrect API key"):
        wrong.models.list()
    response = httpx.get(f"{url}/models")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_unknown_model_is_404_listing_served(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError, match="Known: tiny"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])


def test_prompt_longer_than_context_is_400(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="maximum context length is 64 tokens"):
        client.completions.create(model="tiny", prompt="to be or not " * 30)
    with pytest.raises(openai.BadRequestError, match="Lower max_tokens to"):
        client.completions.create(model="tiny", prompt="to be or not " * 10, max_tokens=40)


def test_limits_are_4xx(client: openai.OpenAI, server: tuple[str, str]) -> None:
    with pytest.raises(openai.BadRequestError, match="limit of 40"):
        client.completions.create(model="tiny", prompt="A", max_tokens=41)
    with pytest.raises(openai.BadRequestError, match="max_tokens 50 is over"):
        client.chat.completions.create(
            model="tiny", messages=[{"role": "user", "content": "A"}], max_completion_tokens=50
        )
    with pytest.raises(openai.BadRequestError, match="presence_penalty"):
        client.completions.create(model="tiny", prompt="A", presence_penalty=1.0)
    url, key = server
    big = httpx.post(
        f"{url}/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": "tiny", "prompt": "x" * 5000},
    )
    assert big.status_code == 413 and "4,096 bytes" in big.json()["error"]["message"]

    def undeclared() -> Iterator[bytes]:  # chunked: no Content-Length to refuse up front
        yield b'{"model": "tiny", "prompt": "'
        yield from [b"x" * 500] * 10
        yield b'"}'

    streamed = httpx.post(
        f"{url}/completions",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        content=undeclared(),
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "request_too_large"


def test_malformed_json_is_422_naming_the_field(server: tuple[str, str]) -> None:
    url, key = server
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    broken = httpx.post(f"{url}/chat/completions", headers=headers, content=b'{"model": "tiny", ')
    assert broken.status_code == 422 and "not valid JSON" in broken.json()["error"]["message"]
    wrong = httpx.post(
        f"{url}/chat/completions",
        headers=headers,
        json={"model": "tiny", "messages": [{"role": "robot", "content": "hi"}]},
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["param"] == "messages.0.role"
    image = {"type": "image_url", "image_url": {"url": "x"}}
    parts = httpx.post(
        f"{url}/chat/completions",
        headers=headers,
        json={"model": "tiny", "messages": [{"role": "user", "content": [image]}]},
    )
    assert "messages.0.content.0.type: Input should be 'text'" in parts.json()["error"]["message"]
    missing = httpx.post(f"{url}/completions", headers=headers, json={"model": "tiny"})
    assert missing.json()["error"]["message"] == "prompt: field required"


def test_moderations_need_a_guard(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="--guard"):
        client.moderations.create(input="hello")
