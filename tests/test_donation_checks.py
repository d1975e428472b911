"""The checks a data donation goes through: documents, duplicates, contamination, PII, quality."""

from __future__ import annotations

import json

import pytest

from modelbazaar.data.documents import Document, read_documents
from modelbazaar.data.overlap import contaminated, duplicates
from modelbazaar.data.pii import find_pii, labelled_sample, luhn_ok, measure, redact
from modelbazaar.data.quality import quality
from modelbazaar.errors import DataError

SONNET = (
    "Shall I compare thee to a summer's day? Thou art more lovely and more temperate: "
    "rough winds do shake the darling buds of May, and summer's lease hath all too short a date. "
    "Sometime too hot the eye of heaven shines, and often is his gold complexion dimm'd; and "
    "every fair from fair sometime declines, by chance or nature's changing course untrimm'd; "
    "but thy eternal summer shall not fade, nor lose possession of that fair thou ow'st."
)


def test_documents_from_text_and_jsonl() -> None:
    assert [d.text for d in read_documents("a.txt", b"one\n\n\ntwo\nlines\n")] == [
        "one",
        "two\nlines",
    ]
    rows = read_documents("q.jsonl", b'{"prompt": "2+2=", "response": "4"}\n\n{"t": ["x"]}\n')
    assert [(d.id, d.text) for d in rows] == [("q.jsonl:1", "2+2=\n4"), ("q.jsonl:3", "x")]


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("bin.txt", b"ab\x00cd", "bin.txt is binary"),
        ("latin.txt", "café".encode("latin-1"), "latin.txt is not UTF-8"),
        ("bad.jsonl", b'{"a": 1}\n{oops\n', "bad.jsonl line 2 is not JSON"),
        ("list.jsonl", b"[1, 2]\n", "list.jsonl line 1: expected a JSON object"),
        ("deep.jsonl", ("[" * 100_000 + "]" * 100_000).encode(), "nested deeper than"),
    ],
)
def test_bad_files_are_refused_naming_file_and_line(name: str, raw: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_documents(name, raw)


def test_exact_and_near_duplicates_inside_and_against_the_corpus() -> None:
    edited = SONNET.replace("lovely", "lovelie")  # one word changed: a near duplicate
    donated = [
        Document("d:1", SONNET.upper()),  # same words, other case: an exact duplicate
        Document("d:2", edited),
        Document("d:3", "A wholly new paragraph about ships, harbours and the grey North Sea."),
        Document("d:4", "A wholly new paragraph about ships, harbours and the grey North Sea!"),
    ]
    report = duplicates(donated, corpus=[SONNET])
    assert report.exact_corpus == ["d:1"]
    assert report.near_corpus == ["d:2"]
    assert report.exact_inside == ["d:4"]  # punctuation differs only
    assert report.share == pytest.approx(0.75)
    fresh = duplicates([Document("x", "Entirely different words here, nothing shared at all.")], [])
    assert fresh.share == 0.0


def test_thirteen_gram_contamination_names_document_and_suite() -> None:
    question = "Natalia sold clips to 48 of her friends in April, and then she sold half as many"
    donated = [Document("d:1", "Intro. " + question + " in May."), Document("d:2", SONNET)]
    found = contaminated(donated, {"gsm8k": [question], "wordnet": ["a short gloss"]})
    assert [(doc, suite) for doc, suite, _ in found] == [("d:1", "gsm8k")]
    assert len(found[0][2].split()) == 13
    twelve = " ".join(question.split()[:12])  # 12 shared words are not contamination
    assert contaminated([Document("d", twelve)], {"gsm8k": [question]}) == []


def test_pii_kinds_validation_and_redaction() -> None:
    text = "mail jo@example.org, card 4111 1111 1111 1111, bad card 4111 1111 1111 1112"
    findings = find_pii(text)
    assert [f.kind for f in findings] == ["email", "card"]
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert "example.org" not in redact("jo@example.org")
    assert "1111 1111" not in findings[1].redacted
    assert [f.kind for f in find_pii("v1.2.3.4 and 10.0.0.1")] == ["ip"]


def test_pii_precision_on_the_shipped_labelled_sample() -> None:
    sample = labelled_sample()
    assert len(sample) >= 50 and sum(not row["pii"] for row in sample) >= 20  # hard negatives
    scores = measure(sample)
    assert set(scores) == {"email", "phone", "ip", "card", "secret"}
    for kind, score in scores.items():
        assert score["precision"] >= 0.9, (kind, score)
        assert score["recall"] >= 0.8, (kind, score)


def test_pii_measure_counts_false_positives() -> None:
    wrong = [{"text": "plain words only", "pii": ["email"]}, {"text": "a@b.io", "pii": []}]
    scores = measure(wrong)
    assert scores["email"] == {"precision": 0.0, "recall": 0.0, "support": 1}


def test_quality_languages_lengths_and_flags() -> None:
    docs = [
        Document("en", SONNET),
        Document("fr", "Le petit prince demanda encore une fois de dessiner un mouton pour lui."),
        Document("empty", "ok ok"),
        Document("loop", "\n".join(["buy now and save"] * 6 + ["unique line"])),
    ]
    report = quality(docs)
    assert report.languages["en"] >= 0.25 and report.languages["fr"] == 0.25
    assert report.near_empty == ["empty"] and report.repeated_lines == ["loop"]
    assert report.length["min"] == 5 and report.length["max"] == len(SONNET)
    assert report.low_quality_share == 0.5
    assert json.dumps(report.length)  # plain numbers, ready for a JSON report
