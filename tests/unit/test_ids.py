"""new_id: OCAPI-shaped random ids, every character of the alphabet equally likely."""
import random
import string
from collections import Counter

import pytest

from shared import ids
from shared.ids import new_id, random_ids

ALPHABET = set(string.ascii_letters + string.digits)


def test_ids_have_the_length_asked_and_only_letters_and_digits():
    for length in (1, 10, 26, 64):
        value = new_id(length)
        assert len(value) == length and set(value) <= ALPHABET
    assert len(new_id()) == 26


def test_ids_differ():
    assert len({new_id() for _ in range(1000)}) == 1000


def test_every_character_is_about_equally_likely():
    counts = Counter("".join(new_id(62) for _ in range(2000)))  # 2,000 expected per character
    assert set(counts) == ALPHABET
    assert min(counts.values()) > 1700 and max(counts.values()) < 2300


def test_bytes_past_the_last_whole_round_of_the_alphabet_are_dropped(monkeypatch: pytest.MonkeyPatch):
    # 248..255 would favour the first 8 characters; they are skipped and more bytes are read.
    reads = iter([bytes([248, 255, 0, 61]), bytes([62, 123, 247, 1, 2])])
    monkeypatch.setattr(ids.secrets, "token_bytes", lambda n: next(reads))
    # First read: 0 -> "a", 61 -> "9"; second: 62 -> "a", 123 -> "9", 247 -> "9" (then cut at 5).
    assert new_id(5) == "a9a99"


def test_ids_from_a_seeded_generator_repeat_end_to_end():
    block = random_ids(1000, 26, random.Random(7).randbytes)
    assert len(block) == 26_000 and set(block.decode()) <= ALPHABET
    assert block == random_ids(1000, 26, random.Random(7).randbytes)
    assert block != random_ids(1000, 26, random.Random(8).randbytes)
