"""The guard's outputs: P(unsafe) and one probability per MLCommons hazard S1..S14.

S1..S13 are the hazards of Llama Guard 3 1B (names in ``safety/hazards.py``); S14 (code
interpreter abuse) is Llama Guard 3 8B's extra category. No shipped dataset has an S14 example,
so its output stays near zero until someone contributes data for it.

Example: sort_codes({"S10", "S2", "S1"}) -> ["S1", "S2", "S10"] (by number, as Llama Guard prints).
"""

from __future__ import annotations

from collections.abc import Iterable

from modelbazaar.safety.hazards import hazard_names

CODES: tuple[str, ...] = tuple(f"S{i}" for i in range(1, 15))
OUTPUTS: tuple[str, ...] = ("unsafe", *CODES)  # column order of the guard's head
S14_NAME = "Code Interpreter Abuse"


def code_names() -> dict[str, str]:
    """S-code -> name for S1..S14."""
    return {**hazard_names(), "S14": S14_NAME}


def sort_codes(codes: Iterable[str]) -> list[str]:
    return sorted(set(codes), key=lambda code: int(code[1:]))
