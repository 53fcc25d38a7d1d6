"""Loading a record safely: size, depth and number caps before parsing, then validation with one-line errors."""

from __future__ import annotations

import json
import math
import os
import re
import stat
from itertools import accumulate
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game.record.schema import (
    _first_line, FORMAT, FORMAT_VERSION, MAX_BYTES, MAX_DEPTH, MAX_LIST, MAX_NUMBER_DIGITS, MAX_STEPS, MAX_VALUES,
    Record, RecordedStep, RecordError, _scenario_of,
)


# ---------------------------------------------------------------- reading

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _max_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (strings skipped), without parsing it."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if len(brackets) <= MAX_DEPTH:
        return len(brackets)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)))


def _value_count(text: str) -> int:
    """About how many values JSON text holds (commas and openings outside strings), without parsing it."""
    bare = _STRING.sub('""', text)
    return bare.count(",") + bare.count("[") + bare.count("{")


class _Refused(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different (JSON allows repeats; a record that has them is ambiguous)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise _Refused(f"a repeated key {dup[:40]!r}")
    return out


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused(f"a number with {len(text)} digits")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise _Refused(f"a number {len(text)} characters long")
    v = float(text)
    if not math.isfinite(v):
        raise _Refused(f"a number too large ({text[:20]})")
    return v


def _parse_constant(text: str) -> Any:
    raise _Refused(f"{text} (JSON has no such number)")


def decode_json(data: bytes, source: str) -> Any:
    """Parse untrusted JSON bytes: size, nesting and number limits first; one-line RecordError otherwise."""
    if len(data) > MAX_BYTES:
        raise RecordError(f"{source}: too large to be a record ({len(data):,} bytes; at most {MAX_BYTES:,})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RecordError(f"{source}: not a record (not UTF-8 text at byte {err.start})") from None
    if _max_depth(text) > MAX_DEPTH:
        raise RecordError(f"{source}: not a record (nested more than {MAX_DEPTH} levels deep)")
    if _value_count(text) > MAX_VALUES:  # before parsing: a file of a million tiny objects would take gigabytes
        raise RecordError(f"{source}: not a record (more than {MAX_VALUES:,} values)")
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as err:
        what = "empty file" if not text.strip() else f"line {err.lineno} column {err.colno}: {err.msg}"
        raise RecordError(f"{source}: not a record (invalid JSON: {what})") from None
    except _Refused as err:
        raise RecordError(f"{source}: not a record (refused {err})") from None
    except (ValueError, RecursionError) as err:
        raise RecordError(f"{source}: not a record ({_first_line(err)})") from None


def parse_record(data: bytes | str, source: str = "<record>") -> Record:
    """Validate a record given as JSON text or bytes (with its scenario) or raise RecordError naming `source`."""
    raw = decode_json(data.encode("utf-8") if isinstance(data, str) else bytes(data), source)
    return record_from_data(raw, source)


def record_from_data(raw: Any, source: str = "<record>") -> Record:
    """Validate a record given as parsed JSON data or raise RecordError naming `source`."""
    if not isinstance(raw, dict):
        raise RecordError(f"{source}: not a record (a record is a JSON object, this is a {_json_type(raw)})")
    if raw.get("format") != FORMAT:
        raise RecordError(f"{source}: not a Crossroads match record (no \"format\": \"{FORMAT}\")")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise RecordError(f"{source}: record format version {version} is newer than this program reads "
                              f"({FORMAT_VERSION}); update Crossroads")
        raise RecordError(f"{source}: unknown record format version {_short(version)} "
                          f"(this program reads version {FORMAT_VERSION})")
    _check_sizes(raw, source)
    steps = raw.get("steps")
    if isinstance(steps, list):
        # Validated one by one first, so that thousands of bad steps fail at the first, not after collecting all.
        for i, step in enumerate(steps):
            try:
                RecordedStep.model_validate(step)
            except ValidationError as err:
                raise RecordError(f"{source}: steps[{i}]{_validation_message(err, nested=True)}") from None
    try:
        record = Record.model_validate(raw)
    except ValidationError as err:
        raise RecordError(f"{source}: {_validation_message(err)}") from None
    except (ValueError, TypeError, RecursionError) as err:
        raise RecordError(f"{source}: invalid record ({_first_line(err)})") from None
    record._scenario = _scenario_of(record.scenario, record.scenario_hash, record.scenario_id, source)
    _check_consistency(record, source)
    return record


def load_record(path: str | os.PathLike) -> Record:
    """Read and validate a record file (size-capped, safely parsed) or raise RecordError naming the file."""
    path = Path(path)
    try:
        # Opened without blocking and checked before reading: a FIFO or a device as a "record" would wait forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb", closefd=True) as f:
            mode = os.fstat(f.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(path)
            if not stat.S_ISREG(mode):
                raise RecordError(f"{path}: not a regular file, so not a record")
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RecordError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RecordError(f"{path}: is a folder, not a record") from None
    except OSError as err:
        raise RecordError(f"{path}: cannot be read ({err.strerror or err.__class__.__name__})") from None
    return parse_record(data, str(path))


def _check_consistency(record: Record, source: str) -> None:
    """Cross-field checks a schema cannot express: sides exist, the outcome agrees with the forfeit."""
    sides = record.scenario_model().side_ids
    known = set(sides)

    def need(cond: bool, problem: str) -> None:
        if not cond:
            raise RecordError(f"{source}: {problem}")

    need(set(record.players) == known, f"players: name each side once ({', '.join(sides)})")
    for t in record.takeovers:
        need(set(t.players) <= known, f"takeovers: unknown side in {sorted(t.players)}")
        need(t.at <= len(record.steps), f"takeovers: at {t.at} is after the last action ({len(record.steps)})")
    need(set(record.scores) == known, f"scores: give each side's score once ({', '.join(sides)})")
    for n, s in enumerate(record.steps, 1):
        if s.side not in known:
            raise RecordError(f"{source}: steps[{n - 1}]: unknown side {s.side!r}")
    need((record.forfeit is not None) == (record.outcome == "forfeit"),
         "outcome 'forfeit' and a forfeit entry go together")
    need(record.forfeit is None or record.forfeit.side in known, "forfeit: unknown side")


def _check_sizes(raw: Any, source: str) -> None:
    """Refuse absurdly long lists and objects before validation (pydantic would report every bad entry)."""
    count = 0
    stack: list[tuple[Any, str]] = [(raw, "")]
    while stack:
        node, where = stack.pop()
        limit = MAX_STEPS if where == "steps" else MAX_LIST
        if len(node) > limit:
            what = "entries" if isinstance(node, list) else "keys"
            raise RecordError(f"{source}: {where or 'the record'}: {len(node):,} {what} (at most {limit:,})")
        count += len(node)
        if count > MAX_VALUES:
            raise RecordError(f"{source}: not a record (more than {MAX_VALUES:,} values)")
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in children:
            if isinstance(value, (dict, list)):
                stack.append((value, f"{where}[{key}]" if isinstance(key, int) else
                              (f"{where}.{key}" if where else str(key))))


def _validation_message(err: ValidationError, nested: bool = False) -> str:
    errors = err.errors()
    first = errors[0]
    where = ""
    for key in first["loc"]:
        where += f"[{key}]" if isinstance(key, int) else (f".{key}" if where or nested else str(key))
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    msg = _first_line(first["msg"])
    if first["type"] == "extra_forbidden":
        msg = "unknown field"
    if nested:
        return f"{where}: {msg}{more}"
    return f"{where}: {msg}{more}" if where else f"{msg}{more}"


def _json_type(v: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(v), type(v).__name__)


def _short(v: Any) -> str:
    text = json.dumps(v) if isinstance(v, (int, float, str, bool, type(None))) else _json_type(v)
    return text if len(text) <= 30 else text[:27] + "..."
