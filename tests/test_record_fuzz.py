"""Fuzz: mutated records either load and verify, or fail with RecordError (how long they take: bench/records.py)."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from game.record import RecordError, load_record, parse_record, verify

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
# 600 cases (it was 1200): the test counts what was made rather than trusting a big total: every kind of mutation
# at least 10 times and every variant of huge_list, deep and steps at least once
CASES = 600
KINDS = {"flip", "truncate", "splice", "wrong_type", "huge_number", "huge_list", "deep", "unknown_key", "drop_key",
         "steps", "long_string", "scenario_number", "garbage"}
ODD_VALUES = [None, True, False, 0, -1, 7, 2.5, "", "x", "us", [], {}, [1, 2], {"a": 1}, [[[]]], "0" * 16]
HUGE_NUMBERS = ["9" * 41, "-" + "9" * 400, "9" * 5000, "1e999", "-1e999", "1e308", "NaN", "Infinity", "-Infinity",
                str(2 ** 64), str(-(2 ** 63) - 1), "1" + "0" * 39, "0.000000000000000000000000000000000001"]


def _paths(node, prefix=()):
    """Every (path, value) in parsed JSON, containers included."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _pick(rng, data, want=None):
    paths = [p for p, v in _paths(data) if p and (want is None or isinstance(v, want))]
    return rng.choice(paths)


MARK = "__FUZZ_RAW__"


def _with_raw(data, path, raw: str) -> bytes:
    """The JSON text of `data` with the value at `path` replaced by raw JSON text (for what json.dumps cannot write).

    It changes `data`: callers pass their own copy."""
    _set(data, path, MARK)
    return json.dumps(data).replace(json.dumps(MARK), raw, 1).encode()


def mutate(rng: random.Random, text: bytes, data: dict) -> tuple[str, bytes]:
    """One mutated record: (what was done, the bytes)."""
    kind = rng.choice(["flip", "flip", "truncate", "splice", "wrong_type", "wrong_type", "huge_number", "huge_list",
                       "deep", "unknown_key", "drop_key", "steps", "steps", "long_string", "scenario_number", "garbage"])
    if kind == "flip":
        b = bytearray(text)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= rng.randint(1, 255)
        return kind, bytes(b)
    if kind == "truncate":
        return kind, text[:rng.randrange(len(text))]
    if kind == "splice":
        i, j = sorted(rng.randrange(len(text)) for _ in range(2))
        return kind, text[:i] + text[j:] + (text[i:j] if rng.random() < 0.5 else b"")
    if kind == "garbage":
        return kind, bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
    data = json.loads(json.dumps(data))  # a fresh copy (plain JSON values: faster than copy.deepcopy)
    if kind == "wrong_type":
        path = _pick(rng, data)
        _set(data, path, rng.choice(ODD_VALUES))
        return f"{kind} {path}", json.dumps(data).encode()
    if kind == "huge_number":
        path = _pick(rng, data, (int, float, str)) if rng.random() < 0.8 else _pick(rng, data)
        return f"{kind} {path}", _with_raw(data, path, rng.choice(HUGE_NUMBERS))
    if kind == "huge_list":
        choice = rng.randrange(4)
        if choice == 0:
            data["steps"] = data["steps"] * rng.choice([20, 150, 400])
        elif choice == 1:
            data["scenario"]["items"] = data["scenario"]["items"] * rng.choice([10, 100])
        else:
            path = _pick(rng, data)
            _set(data, path, [rng.choice(ODD_VALUES)] * rng.choice([1000, 100_000]))
        return f"{kind} {choice}", json.dumps(data).encode()
    if kind == "deep":
        depth = rng.choice([30, 49, 60, 1000, 100_000])
        path = _pick(rng, data)
        raw = ("[" * depth + "]" * depth) if rng.random() < 0.5 else ('{"a":' * depth + "1" + "}" * depth)
        return f"{kind} {depth} {path}", _with_raw(data, path, raw)
    if kind == "unknown_key":
        paths = [p for p, v in _paths(data) if isinstance(v, dict)]
        path = rng.choice(paths)
        node = data
        for key in path:
            node = node[key]
        node[rng.choice(["x", "colour", "__class__", "steps", "eval"])] = rng.choice(ODD_VALUES)
        return f"{kind} {path}", json.dumps(data).encode()
    if kind == "drop_key":
        paths = [p for p, v in _paths(data) if p and isinstance(p[-1], str)]
        path = rng.choice(paths)
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        return f"{kind} {path}", json.dumps(data).encode()
    if kind == "steps":
        steps = data["steps"]
        i, j = rng.randrange(len(steps)), rng.randrange(len(steps))
        op = rng.randrange(5)
        if op == 0:
            steps[i], steps[j] = steps[j], steps[i]
        elif op == 1:
            del steps[i]
        elif op == 2:
            steps.insert(i, dict(steps[j]))
        elif op == 3:
            steps[i]["action"] = rng.choice(["us pass", "dprk pass", "us", "", "us propose hotline", "dprk fake x",
                                             "us give " + "a" * 150, "us  send", "all pass"])
        else:
            steps[i]["side"] = rng.choice(["us", "dprk", "all", "rok"])
        return f"{kind} {op} {i}", json.dumps(data).encode()
    if kind == "long_string":
        path = _pick(rng, data, str)
        _set(data, path, rng.choice(["é" * 1000, "a" * 200_000, "\u0000\ud7ff", "'; import os #"]))
        return f"{kind} {path}", json.dumps(data).encode()
    # scenario_number: a plausible edit of the rules inside the record
    path = _pick(rng, data["scenario"], int)
    _set(data["scenario"], path, rng.choice([0, 1, 3, 99, -5]))
    return f"{kind} {path}", json.dumps(data).encode()


@pytest.mark.heavy
def test_mutated_records_load_or_fail_with_record_error():
    sources = [GOLDEN / "peace_verifier_reciprocator.json", GOLDEN / "forfeit_random_quitter.json"]
    bases = [(p.read_bytes(), json.loads(p.read_bytes())) for p in sources]
    rng = random.Random(20260105)
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for n in range(CASES):
        text, data = bases[n % len(bases)]
        what, blob = mutate(rng, text, data)
        kind = what.split()[0]
        kinds[kind] += 1
        if kind in ("huge_list", "deep", "steps"):
            kinds[" ".join(what.split()[:2])] += 1
        try:
            verify(parse_record(blob, "fuzz.json"), "fuzz.json")
            outcomes["verified"] += 1
        except RecordError as err:
            message = str(err)
            assert message.startswith("fuzz.json") and "\n" not in message, (what, message)
            outcomes["RecordError"] += 1
        except Exception as err:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {n} ({what}) raised {err.__class__.__name__}: {err}")
    assert sum(outcomes.values()) == CASES
    variants = {f"huge_list {c}" for c in range(4)} | {f"deep {d}" for d in (30, 49, 60, 1000, 100000)} \
        | {f"steps {op}" for op in range(5)}
    assert all(kinds[k] >= 10 for k in KINDS) and all(kinds[v] >= 1 for v in variants), kinds
    assert outcomes["RecordError"] > CASES // 2 and outcomes["verified"] > 0, outcomes


def test_mutated_files_through_load_record(tmp_path):
    text = (GOLDEN / "crisis_random.json").read_bytes()
    rng = random.Random(7)
    path = tmp_path / "m.json"
    for _ in range(50):
        what, blob = mutate(rng, text, json.loads(text))
        path.write_bytes(blob)
        try:
            verify(load_record(path), str(path))
        except RecordError as err:
            assert str(err).startswith(str(path)), (what, str(err))
