"""Train a byte-level BPE tokenizer with the `tokenizers` library and wrap it for transformers.

Byte-level means every byte has a symbol, so any text encodes (no unknown token). Training is
deterministic for the same texts and settings, which `bazaar verify` relies on.
"""

from collections.abc import Iterable, Iterator

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

EOS = "<|endoftext|>"  # separates documents; also used as BOS
PAD = "<|pad|>"
SPECIAL_TOKENS = [EOS, PAD]


def train_bpe(texts: Iterable[str], vocab_size: int, min_frequency: int) -> Tokenizer:
    """Train byte-level BPE.

    Example: train_bpe(["to be or not"], 300, 1).get_vocab_size() -> 266
    (256 bytes + 2 special tokens + 8 merges: all this tiny text supports).
    """
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # all 256 bytes, seen or not
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def lines(text: str) -> Iterator[str]:
    """Lines with their line ends kept, so joining the pieces gives the text back exactly."""
    yield from text.splitlines(keepends=True)


def wrap(tokenizer_json: str, chat_template: str | None = None) -> PreTrainedTokenizerFast:
    """A transformers tokenizer over the trained `tokenizer.json` text."""
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer.from_str(tokenizer_json),
        bos_token=EOS,
        eos_token=EOS,
        pad_token=PAD,
        clean_up_tokenization_spaces=False,
    )
    if chat_template:
        wrapped.chat_template = chat_template
    return wrapped
