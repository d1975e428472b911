"""Personal data and secrets in donated text: precise patterns, validated where a check exists.

Kinds: ``email``, ``phone`` (9–15 digits in phone layout), ``ip`` (IPv4 with valid octets, IPv6
validated by ``ipaddress``), ``card`` (13–19 digits that pass the Luhn check and start like a
card), ``secret`` (AWS, GitHub, Slack, Google and ``sk-`` API keys, private-key blocks, JWTs,
``password = …``-style assignments of a long high-entropy value). No model is downloaded:
presidio and scrubadub need spaCy models or fetch data; these patterns are measured instead on
the labelled sample shipped beside this module (``pii_sample.jsonl``; see ``measure``).

Example: ``[f.kind for f in find_pii("mail jo@example.org or 4111 1111 1111 1111")]``
-> ``["email", "card"]``; ``redact("jo@example.org")`` -> ``"j…@e…g"``.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"
)
PHONE = re.compile(  # the whole run of digit groups; its digit count is checked after
    r"(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,8}(?:[ .-]\d{1,8}){1,5}(?![\w-])"
)
IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.])"
)
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
SECRETS = [
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),  # GitHub token
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),  # Slack token
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),  # Google API key
    re.compile(r"\bsk-[A-Za-z0-9_-]{20,}\b"),  # OpenAI-style secret key
    re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY( BLOCK)?-----"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),  # JWT
]
ASSIGNED = re.compile(
    r"(?i)\b(?:api[_-]?key|secret|token|passw(?:or)?d|pwd)\b\s*[:=]\s*[\"']?([^\s\"']{12,})"
)
VERSION_BEFORE = re.compile(r"(?i)(?:version|v|release|build)\s*$")  # "v1.2.3.4" is no IP


@dataclass(frozen=True)
class PiiFinding:
    kind: str  # email | phone | ip | card | secret
    start: int
    end: int
    redacted: str  # safe to print in a report


def redact(value: str) -> str:
    """Enough to recognise the kind, never enough to recover the value."""
    if "@" in value:
        user, _, domain = value.partition("@")
        return f"{user[:1]}…@{domain[:1]}…{domain[-1:]}"
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9 and len(digits) >= len(value) // 2:
        return f"…{digits[-2:]} ({len(digits)} digits)"
    return f"{value[:4]}… ({len(value)} chars)"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def isbn13_ok(digits: str) -> bool:
    """An ISBN-13 (978/979 prefix, weights 1,3,1,3…): a book number, not a phone number."""
    if len(digits) != 13 or not digits.startswith(("978", "979")):
        return False
    return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def entropy(value: str) -> float:
    """Shannon entropy in bits per character: random keys ~4+, words and paths ~3."""
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def _candidates(text: str) -> list[tuple[str, re.Match[str]]]:
    found: list[tuple[str, re.Match[str]]] = [("email", m) for m in EMAIL.finditer(text)]
    found += [("secret", m) for pattern in SECRETS for m in pattern.finditer(text)]
    for m in ASSIGNED.finditer(text):
        if entropy(m.group(1)) >= 3.5 and re.search(r"\d", m.group(1)):
            found.append(("secret", m))
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and digits[0] in "3456" and luhn_ok(digits):
            found.append(("card", m))
    for m in IPV4.finditer(text):
        if not VERSION_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            found.append(("ip", m))
    for m in IPV6.finditer(text):
        if m.group().count(":") >= 2 and _is_ipv6(m.group()):
            found.append(("ip", m))
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        groups = re.findall(r"\d+", m.group())
        decimal = "." in m.group() and any(not 2 <= len(g) <= 4 for g in groups[-3:])
        if 9 <= len(digits) <= 15 and not isbn13_ok(digits) and not decimal:
            if not _arithmetic(text, m):
                found.append(("phone", m))  # "3.14159265" is a decimal, "202.555.0187" a phone
    return found


def _arithmetic(text: str, match: re.Match[str]) -> bool:
    """True when a phone-shaped run is a sum: "100-50-30-15=5", "<<450000-2000=448000>>"
    (GSM8K's worked answers); a phone number is never an operand of = + * / × ÷."""
    after, before = (
        text[match.end() : match.end() + 3],
        text[max(0, match.start() - 3) : match.start()],
    )
    return bool(re.match(r"\s*[=+*/×÷]", after) or re.search(r"[=+*/×÷<]\s*$", before))


def _is_ipv6(value: str) -> bool:
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return len([g for g in value.split(":") if g]) >= 3 or address.is_loopback


def find_pii(text: str) -> list[PiiFinding]:
    """Findings in text order; a span claimed by an earlier kind (email, secret, card) wins."""
    findings: list[PiiFinding] = []
    for kind, match in _candidates(text):
        if any(f.start < match.end() and match.start() < f.end for f in findings):
            continue  # e.g. the digits of a card are not also a phone number
        findings.append(PiiFinding(kind, match.start(), match.end(), redact(match.group())))
    return sorted(findings, key=lambda f: f.start)


def labelled_sample() -> list[dict]:
    """The shipped labelled sample: {"text": ..., "pii": [kinds present]} per line."""
    raw = resources.files("modelbazaar.data").joinpath("pii_sample.jsonl").read_text("utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def measure(sample: list[dict]) -> dict[str, dict[str, float]]:
    """Precision and recall per kind on a labelled sample (a kind counted once per text)."""
    stats: dict[str, Counter[str]] = {}
    for row in sample:
        got, want = {f.kind for f in find_pii(row["text"])}, set(row["pii"])
        for kind in got | want:
            counter = stats.setdefault(kind, Counter())
            counter["tp" if kind in got and kind in want else "fp" if kind in got else "fn"] += 1
    return {
        kind: {
            "precision": c["tp"] / max(1, c["tp"] + c["fp"]),
            "recall": c["tp"] / max(1, c["tp"] + c["fn"]),
            "support": c["tp"] + c["fn"],
        }
        for kind, c in sorted(stats.items())
    }
