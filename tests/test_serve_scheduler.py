"""The scheduler batches for real and gives the tokens one-at-a-time generation gives.

The model here has random weights (seeded): its greedy tokens vary from step to step and prompt
to prompt, so a row reading another row's cache, a wrong position or a padding leak changes the
output (the 30-step tiny build mostly predicts newlines, which would hide such bugs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import torch
from transformers import LlamaConfig, LlamaForCausalLM

from modelbazaar.serve.batch import PaddedBatch
from modelbazaar.serve.sampling import Sampling, generator_for, next_tokens, top_p_filter
from modelbazaar.serve.scheduler import Event, Scheduler, Sequence

PAD, EOS = 1, 0


@pytest.fixture(scope="module")
def model() -> LlamaForCausalLM:
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=256,
        hidden_size=64,
        intermediate_size=176,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=96,
        pad_token_id=PAD,
        eos_token_id=EOS,
        bos_token_id=EOS,
    )
    return LlamaForCausalLM(config).eval()


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """One intra-op thread: on a shared 2-core machine two threads mostly wait for each other."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def prompts() -> list[list[int]]:
    generator = torch.Generator().manual_seed(1)
    lengths = [3, 17, 8, 1, 30, 12, 5, 22]
    return [torch.randint(2, 256, (n,), generator=generator).tolist() for n in lengths]


def sequential(model: LlamaForCausalLM, prompt: list[int], new: int) -> list[int]:
    """transformers' own greedy generation, one prompt at a time (EOS disabled)."""
    ids = torch.tensor([prompt])
    with torch.no_grad():
        out = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=new,
            min_new_tokens=new,
            do_sample=False,
            pad_token_id=PAD,
            eos_token_id=EOS,
        )
    return out[0, len(prompt) :].tolist()


def run_batched(model: LlamaForCausalLM, jobs: list[tuple[list[int], int]]) -> list[list[int]]:
    """Submit job i once the scheduler has run 2·i decode steps: each joins a running batch."""
    scheduler = Scheduler(model, eos_ids=set(), pad_id=PAD, context=96, max_batch=8)
    done = threading.Semaphore(0)

    def sink(event: Event) -> None:
        if event.finish_reason is not None:
            done.release()

    sequences = [Sequence(p, Sampling(max_tokens=n, temperature=0), sink) for p, n in jobs]
    scheduler.start()
    for i, sequence in enumerate(sequences):
        # Arrivals counted in decode steps, not seconds: a fast idle machine finished each
        # sequence before a 10 ms-later one arrived, and nothing ever shared a batch.
        deadline = time.monotonic() + 30
        while scheduler.stats.steps < 2 * i and time.monotonic() < deadline:
            time.sleep(0.0005)
        scheduler.submit(sequence)
    for _ in sequences:
        assert done.acquire(timeout=60)
    scheduler.stop()
    assert scheduler.stats.rows_decoded > 2 * scheduler.stats.steps  # several rows per step
    return [s.generated for s in sequences]


def test_batched_greedy_equals_sequential(model: LlamaForCausalLM) -> None:
    jobs = [(p, n) for p, n in zip(prompts(), [24, 6, 12, 16, 10, 20, 4, 9], strict=True)]
    expected = [sequential(model, p, n) for p, n in jobs]
    assert run_batched(model, jobs) == expected
    assert len({tuple(e) for e in expected}) == len(expected)  # the outputs differ


def test_sequences_stop_at_eos_and_context(model: LlamaForCausalLM) -> None:
    prompt = prompts()[4]  # 30 tokens
    scheduler = Scheduler(model, eos_ids=set(), pad_id=PAD, context=40)
    finished: list[str] = []
    sequence = Sequence(
        prompt,
        Sampling(max_tokens=100, temperature=0),
        lambda e: finished.append(e.finish_reason or ""),
    )
    scheduler.start()
    scheduler.submit(sequence)
    deadline = time.monotonic() + 30
    while not any(finished) and time.monotonic() < deadline:
        time.sleep(0.01)
    scheduler.stop()
    assert len(sequence.generated) == 10 and finished[-1] == "length"  # 30 + 10 = context


def test_cache_budget_makes_requests_wait(model: LlamaForCausalLM) -> None:
    """A budget for one row's worst case: the others wait, and all still finish."""
    scheduler = Scheduler(model, eos_ids=set(), pad_id=PAD, context=96)
    one_row = (len(prompts()[0]) + 10) * scheduler.token_bytes
    scheduler.cache_bytes = one_row
    done = threading.Semaphore(0)
    sequences = [
        Sequence(
            p, Sampling(max_tokens=10, temperature=0), lambda e: e.finish_reason and done.release()
        )
        for p in [prompts()[0]] * 4
    ]
    scheduler.start()
    for sequence in sequences:
        scheduler.submit(sequence)
    for _ in sequences:
        assert done.acquire(timeout=60)
    scheduler.stop()
    assert all(len(s.generated) == 10 for s in sequences)
    assert scheduler.stats.rows_decoded == scheduler.stats.steps  # one row at a time
    assert scheduler.stats.prefills == 4


def test_cancel_drops_the_row(model: LlamaForCausalLM) -> None:
    scheduler = Scheduler(model, eos_ids=set(), pad_id=PAD, context=96)
    events: list[Event] = []
    sequence = Sequence(prompts()[0], Sampling(max_tokens=90, temperature=0), events.append)
    scheduler.cancel(sequence)
    scheduler.start()
    scheduler.submit(sequence)
    time.sleep(0.3)
    scheduler.stop()
    assert events == [Event(None, "cancelled")] and sequence.generated == []


def test_keep_trims_columns_no_row_uses() -> None:
    batch = PaddedBatch()
    from transformers import DynamicCache

    cache = DynamicCache()
    cache.update(torch.arange(2 * 1 * 5 * 1.0).view(2, 1, 5, 1), torch.zeros(2, 1, 5, 1), 0)
    mask = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])
    batch.add(["short", "long"], cache, mask, torch.tensor([7, 8]))
    batch.keep([0])
    assert batch.rows == ["short"] and batch.mask.tolist() == [[1, 1]]
    assert cache.layers[0].keys.flatten().tolist() == [3.0, 4.0]


def test_top_p_keeps_the_nucleus() -> None:
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05], [0.05, 0.15, 0.3, 0.5]]))
    kept = torch.isfinite(top_p_filter(logits, torch.tensor([[0.7], [0.1]]))).tolist()
    assert kept == [[True, True, False, False], [False, False, False, True]]


def test_samples_follow_the_seed_not_the_batch() -> None:
    """A row's draw depends on its own generator only; it matches torch.multinomial's."""
    logits = torch.randn(3, 50, generator=torch.Generator().manual_seed(0))
    settings = [Sampling(8, temperature=0.7), Sampling(8, temperature=0), Sampling(8, top_p=0.9)]
    together = next_tokens(logits, settings, [generator_for(s) for s in (1, 2, 3)])
    alone = next_tokens(logits[2:], settings[2:], [generator_for(3)])
    assert together[2] == alone[0] and together[1] == int(logits[1].argmax())
    probabilities = (logits[0] / 0.7).softmax(-1)
    expected = torch.multinomial(probabilities, 1, generator=generator_for(1))
    assert together[0] == int(expected)
