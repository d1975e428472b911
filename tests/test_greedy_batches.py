"""Generation batches are bounded in padded tokens, so one long prompt cannot inflate a batch."""

from modelbazaar.evals.greedy import PADDED_TOKENS_PER_ROW, token_budget_batches


def test_a_long_prompt_goes_alone_and_order_is_longest_first() -> None:
    assert token_budget_batches([900, 60, 50, 40], 4) == [[0], [1, 2, 3]]
    assert token_budget_batches([40, 60, 50], 2) == [[1, 2], [0]]


def test_every_batch_keeps_within_the_budget_and_size() -> None:
    lengths = [(i * 37) % 700 + 1 for i in range(100)]
    batches = token_budget_batches(lengths, 16)
    assert sorted(i for b in batches for i in b) == list(range(100))  # each prompt once
    for batch in batches:
        width = max(lengths[i] for i in batch)
        assert len(batch) <= 16
        assert len(batch) == 1 or len(batch) * width <= 16 * PADDED_TOKENS_PER_ROW
