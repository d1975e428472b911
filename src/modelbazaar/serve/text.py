"""Text in and out: prompts from chat messages, streaming detokenisation, stop strings.

A model with a chat template (SmolLM2-Instruct and other imported instruct models) gets its own
template. A model without one (everything `bazaar build` trains: plain language models) gets
PLAIN_CHAT_TEMPLATE, which writes the conversation as a script the model continues::

    System: You are terse.
    User: Hello
    Assistant:

and generation stops where the model starts the next turn ("\\nUser:"), as if that were a stop
string the client had sent.
"""

from __future__ import annotations

from transformers import PreTrainedTokenizerFast

PLAIN_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ message['role'] | capitalize }}: {{ message['content'] }}\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)
PLAIN_CHAT_STOP = "\nUser:"


def chat_prompt(tokenizer: PreTrainedTokenizerFast, messages: list[dict[str, str]]) -> str:
    """The text the model sees for `messages`: its own template, else the plain one."""
    return tokenizer.apply_chat_template(
        messages,
        chat_template=tokenizer.chat_template or PLAIN_CHAT_TEMPLATE,
        tokenize=False,
        add_generation_prompt=True,
    )


def encode(tokenizer: PreTrainedTokenizerFast, text: str) -> list[int]:
    """Token ids of a prompt; an empty prompt starts from the end-of-text token (a document
    boundary), as `bazaar generate` does."""
    ids = tokenizer(text, add_special_tokens=False).input_ids
    return ids or [tokenizer.eos_token_id]


class Detokenizer:
    """Text of a growing list of token ids, released only when it is whole.

    A byte-level BPE token can hold part of a UTF-8 character; decoding it alone gives U+FFFD.
    As Hugging Face's text-generation-inference does, we decode a short window of recent tokens
    twice (with and without the new ones) and release the difference only when it does not end in
    an incomplete character. Work per token is constant.
    """

    def __init__(self, tokenizer: PreTrainedTokenizerFast) -> None:
        self.tokenizer = tokenizer
        self.ids: list[int] = []
        self.prefix = 0  # window start
        self.read = 0  # tokens already released as text

    def add(self, token: int) -> str:
        """Append one token; the new text that is now complete (may be empty)."""
        self.ids.append(token)
        before = self.tokenizer.decode(self.ids[self.prefix : self.read], skip_special_tokens=True)
        after = self.tokenizer.decode(self.ids[self.prefix :], skip_special_tokens=True)
        if len(after) > len(before) and not after.endswith("\ufffd"):
            self.prefix, self.read = self.read, len(self.ids)
            return after[len(before) :]
        return ""


class StopMatcher:
    """Finds the first stop string in streamed text, holding back any tail that could still
    become one, so a client never sees part of a stop string."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = [s for s in stops if s]
        self.pending = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """Text safe to release after `text` arrived; sets `stopped` on a match."""
        if self.stopped:
            return ""
        self.pending += text
        hits = [(self.pending.find(s), s) for s in self.stops if s in self.pending]
        if hits:
            self.stopped = True
            released, self.pending = self.pending[: min(hits)[0]], ""
            return released
        hold = max((self._overlap(s) for s in self.stops), default=0)
        released = self.pending[: len(self.pending) - hold]
        self.pending = self.pending[len(self.pending) - hold :]
        return released

    def flush(self) -> str:
        """The held-back tail, when generation ended without a match."""
        released, self.pending = ("" if self.stopped else self.pending), ""
        return released

    def _overlap(self, stop: str) -> int:
        """Length of the longest tail of `pending` that is a proper prefix of `stop`."""
        for size in range(min(len(stop) - 1, len(self.pending)), 0, -1):
            if stop.startswith(self.pending[-size:]):
                return size
        return 0
