"""Match records: a versioned JSON file per match; saving (atomically), loading (safely), replaying and verifying.

A record is the scenario (embedded whole, with its id and content hash, so an
old record replays after `rules/` changes), the seed, who played each side,
and the action log with a checksum of the state after every action; the
outcome, scores and times are kept for reading, and a replay recomputes them.
Replay is a fold of `apply` over the logged actions: nothing else is trusted.

Records are untrusted input (teachers collect them from students), so loading
caps the file size, refuses deep nesting and huge numbers before parsing,
validates with pydantic models that forbid unknown keys, and raises
`RecordError` (a `ValueError`) with one line naming the file and the problem.
A record that parses but does not replay to its checksums raises
`VerificationError`, a `RecordError` naming the first action that differs.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import accumulate
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Mapping, NamedTuple, Sequence

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

import game
from game.actions import Action, ActionParseError, IllegalActionError
from game.engine import apply, new_game, scores
from game.scenario import Scenario, ScenarioError, default_scenario, parse_scenario
from game.state import Happening, State

FORMAT = "crossroads-record"
FORMAT_VERSION = 1
MAX_BYTES = 5_000_000        # a 12-round record is about 30 KB; anything near this is not a real record
MAX_DEPTH = 48               # a record nests about 8 deep (the scenario's event effects are the deepest)
MAX_NUMBER_DIGITS = 40       # longer numbers are refused before Python turns them into ints
MAX_STEPS = 10_000           # far more than any scenario allows (100 rounds of about 30 actions at most)
MAX_LIST = 1_000             # any other list or object: a scenario has about 20 items and 20 event kinds
MAX_VALUES = 300_000         # values in the whole file (a 12-round record has about 3,000)
OUTCOMES = ("settlement", "peace", "crisis", "plain", "forfeit", "unfinished")


class RecordError(ValueError):
    """A record that cannot be used: unreadable, not a record, invalid; the message is one line naming the file."""


class VerificationError(RecordError):
    """A well-formed record that does not replay as recorded (an illegal action or a differing checksum)."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index  # the 1-based number of the first action that differs (None: not an action)


# ---------------------------------------------------------------- the file format

def _iso_time(text: str) -> str:
    datetime.fromisoformat(text)  # a ValueError becomes a validation error naming the field
    return text


Text = Annotated[str, Field(max_length=200)]
Ident = Annotated[str, Field(min_length=1, max_length=64)]
Checksum = Annotated[str, Field(pattern=r"^[0-9a-f]{8,64}$")]
Timestamp = Annotated[str, Field(max_length=40), AfterValidator(_iso_time)]
ParamValue = bool | int | float | str | None
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Player(_Model):
    """Who played a side: a person (by name) or a bot (by name and parameters)."""

    kind: Literal["human", "bot"] = Field(description="'human' for a person at the keyboard, 'bot' for a program.")
    name: Annotated[str, Field(min_length=1, max_length=200)] = Field(description="The person's name or the bot's name.")
    params: dict[Ident, ParamValue] = Field(default_factory=dict, max_length=64,
                                            description="A bot's parameters (as on the command line).")
    source: Text = Field("", description="A bot that is not built in: its file, class and parameters, as given.")

    def label(self) -> str:
        """The name with its parameters, as the command line writes a bot ('mcts:iterations=400')."""
        if self.source:
            return self.source
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))


class RecordedStep(_Model):
    """One action of the log: who took it, in which round, its text form, and the state's checksum after it."""

    side: Ident = Field(description="The side that acted.")
    round: int = Field(ge=0, le=1000, description="The round it was taken in.")
    action: Text = Field(description="The action's text form, e.g. 'us propose working'.")
    checksum: Checksum = Field(description="`State.checksum()` of the state after the action.")
    reason: Text = Field("", description="The bot's stated reason, if it gave one (not part of the replay).")


class ForfeitInfo(_Model):
    """A side that lost the match by misbehaving (a student's bot that crashed, timed out, or cheated)."""

    side: Ident = Field(description="The forfeiting side.")
    kind: Ident = Field(description="'illegal', 'crash', 'timeout', 'memory', 'exit' or 'garbage'.")
    detail: Annotated[str, Field(max_length=1000)] = Field("", description="What went wrong, in one line.")


class Takeover(_Model):
    """Players who took over a resumed match from action `at` on (the first `at` actions were played before)."""

    at: int = Field(ge=0, le=MAX_STEPS, description="How many actions had been played when these players took over.")
    players: dict[Ident, Player] = Field(max_length=8, description="The players from then on, per side.")


class ForkInfo(_Model):
    """Where a forked record came from: the first `at` actions of a record that had `of` actions."""

    at: int = Field(ge=0, le=MAX_STEPS)
    of: int = Field(ge=0, le=MAX_STEPS)
    source: Text = Field("", description="The file name of the record it was forked from.")


class Record(_Model):
    """A match record: enough to replay the match exactly, plus what it ended in for reading."""

    format: Literal["crossroads-record"] = Field(FORMAT, description="Marks the file as a Crossroads match record.")
    format_version: Literal[1] = Field(FORMAT_VERSION, description="The record format's version.")
    game_version: Annotated[str, Field(max_length=40)] = Field(description="The Crossroads version that wrote it.")
    scenario_id: Ident = Field(description="The scenario's id.")
    scenario_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="`Scenario.content_hash` of the embedded scenario.")
    seed: int = Field(ge=-(2 ** 63), lt=2 ** 64, description="The match seed.")
    players: dict[Ident, Player] = Field(max_length=8, description="Who started each side.")
    takeovers: list[Takeover] = Field(default_factory=list, max_length=100,
                                      description="Players who took over when the match was resumed.")
    forked_from: ForkInfo | None = Field(None, description="Set when this record was forked from another.")
    outcome: Literal["settlement", "peace", "crisis", "plain", "forfeit", "unfinished"] = Field(
        description="How the match ended, or 'unfinished'.")
    scores: dict[Ident, FiniteFloat] = Field(max_length=8, description="Each side's score at the end (or so far).")
    forfeit: ForfeitInfo | None = Field(None, description="The side that forfeited, if one did.")
    started: Timestamp | None = Field(None, description="When the match started (ISO 8601; not part of the replay).")
    ended: Timestamp | None = Field(None, description="When it ended or was saved (ISO 8601; not part of the replay).")
    start_checksum: Checksum = Field(description="`State.checksum()` of the new game, before any action.")
    steps: list[RecordedStep] = Field(max_length=MAX_STEPS, description="The action log, in order.")
    scenario: dict[str, Any] = Field(description="The whole scenario the match was played under, as data.")

    _scenario: Scenario | None = PrivateAttr(None)

    def scenario_model(self) -> Scenario:
        """The embedded scenario as a validated `Scenario` (parsed once, and checked against its hash)."""
        if self._scenario is None:
            self._scenario = _scenario_of(self.scenario, self.scenario_hash, self.scenario_id, "<record>")
        return self._scenario

    @property
    def finished(self) -> bool:
        """Whether the match ended (an unfinished record can be resumed)."""
        return self.outcome != "unfinished"

    def players_at(self, step: int) -> dict[str, Player]:
        """Who was playing each side when action number `step` (0-based) was taken."""
        current = dict(self.players)
        for t in self.takeovers:
            if t.at <= step:
                current.update(t.players)
        return current


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string (for a record's times; never used by the rules)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- building records

_SCENARIO_DATA: "OrderedDict[str, dict[str, Any]]" = OrderedDict()
_SCENARIOS: "OrderedDict[str, Scenario]" = OrderedDict()
_CACHE_SIZE = 8


def _remember(cache: OrderedDict, key: str, value: Any) -> Any:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return value


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as JSON-ready data, as a record embeds it (computed once per scenario)."""
    key = scenario.content_hash
    data = _SCENARIO_DATA.get(key)
    if data is None:
        data = _remember(_SCENARIO_DATA, key, scenario.model_dump(mode="json"))
        _remember(_SCENARIOS, key, scenario)
    return data


def player_info(player: Any) -> Player:
    """A `Player` for a bot object, a `Player`, or a dict like {'kind': 'human', 'name': 'Ana'}."""
    if isinstance(player, Player):
        return player
    if isinstance(player, Mapping):
        return Player.model_validate(dict(player), strict=False)
    name = getattr(player, "name", None)
    if isinstance(name, str) and name:
        params = {str(k)[:64]: _plain_param(v) for k, v in sorted(getattr(player, "params", {}).items())}
        info = Player(kind="bot", name=name[:200], params=params)
        label = player.label() if callable(getattr(player, "label", None)) else ""
        if isinstance(label, str) and label and label != info.label():
            info = info.model_copy(update={"source": label[:200]})  # a student's bot: keep its file and class
        return info
    raise TypeError(f"cannot describe {player!r} as a player")


def player_from_label(label: str) -> Player:
    """A bot `Player` from a label such as 'random' or 'mcts:iterations=400' (as `MatchResult.players` holds)."""
    name, _, rest = label.partition(":")
    parts = [p for p in rest.split(",") if p]
    if not name or any("=" not in p or not p.partition("=")[0].strip() for p in parts):
        return Player(kind="bot", name=(label or "?")[:200])  # e.g. 'mybot.py:MyBot': the label is the name
    params = {p.partition("=")[0].strip()[:64]: _number_or_text(p.partition("=")[2].strip()) for p in parts}
    return Player(kind="bot", name=name[:200], params=params)


def _number_or_text(value: str) -> Any:
    for conv in (int, float):
        try:
            v = conv(value)
            if isinstance(v, float) and not math.isfinite(v):
                break
            return v
        except ValueError:
            pass
    return value[:200]


def _plain_param(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)) and not (isinstance(v, int) and abs(v) >= 2 ** 63):
        return v[:200] if isinstance(v, str) else v
    if isinstance(v, float) and math.isfinite(v):
        return v
    return str(v)[:200]


def build_record(scenario: Scenario, seed: int, steps: Sequence[Any], final: State, players: Mapping[str, Any], *,
                 forfeit: Any = None, started: str | None = None, ended: str | None = None,
                 takeovers: Sequence[Takeover] = (), forked_from: ForkInfo | None = None,
                 start_checksum: str | None = None) -> Record:
    """A record from its parts; `steps` are `game.match.Step`s or `RecordedStep`s (checksums are filled if missing).

    Raises RecordError if the parts cannot make a valid record (say, a seed beyond 64 bits).
    """
    logged = [s if isinstance(s, RecordedStep) else
              RecordedStep(side=s.side, round=s.round, action=s.action, checksum=s.checksum or "0" * 16,
                           reason=(s.reason or "")[:200]) for s in steps]
    start = new_game(scenario, seed)
    if any(not getattr(s, "checksum", "") for s in steps):
        logged = _with_checksums(start, logged)
    if forfeit is not None:
        outcome = "forfeit"
        forfeit = ForfeitInfo(side=forfeit.side, kind=forfeit.kind, detail=(forfeit.detail or "")[:1000])
    else:
        outcome = final.outcome or "unfinished"
    try:
        record = Record(
            game_version=game.__version__, scenario_id=scenario.id, scenario_hash=scenario.content_hash, seed=seed,
            players={side: player_info(p) for side, p in players.items()}, takeovers=list(takeovers),
            forked_from=forked_from, outcome=outcome, scores={k: float(v) for k, v in scores(final).items()},
            forfeit=forfeit, started=started, ended=ended, start_checksum=start_checksum or start.checksum(),
            steps=logged, scenario=scenario_data(scenario))
    except ValidationError as err:
        raise RecordError(f"cannot make a record of this match: {_validation_message(err)}") from None
    record._scenario = scenario
    return record


def _with_checksums(start: State, steps: list[RecordedStep]) -> list[RecordedStep]:
    state, out = start, []
    for s in steps:
        state, _ = apply(state, Action.parse(s.action))
        out.append(s.model_copy(update={"checksum": state.checksum()}))
    return out


def record_from_result(result: Any, players_info: Mapping[str, Any] | None = None, *, started: str | None = None,
                       ended: str | None = None, resumed_from: Record | None = None) -> Record:
    """The record of a `MatchResult` (finished, stopped early, or forfeited).

    `players_info` maps each side to a `Player`, a bot object, or a dict such
    as {'kind': 'human', 'name': 'Ana'}; without it the result's bot labels are
    used. For a resumed match pass the record it resumed (`resumed_from`): its
    players stay the starting players and these become a takeover.
    """
    if players_info is None:
        players_info = {side: player_from_label(label) for side, label in result.players.items()}
    players = {side: player_info(p) for side, p in players_info.items()}
    takeovers: list[Takeover] = []
    forked = None
    if resumed_from is not None:
        takeovers = list(resumed_from.takeovers) + [Takeover(at=len(resumed_from.steps), players=players)]
        players = dict(resumed_from.players)
        started = started or resumed_from.started
        forked = resumed_from.forked_from
    return build_record(result.scenario, result.seed, result.steps, result.final, players, forfeit=result.forfeit,
                        started=started, ended=ended if ended is not None else now_iso(), takeovers=takeovers,
                        forked_from=forked)


# ---------------------------------------------------------------- writing

def record_json(record: Record) -> str:
    """The record's text: readable header lines, one line per action, the scenario compact at the end."""
    data = record.model_dump(mode="json", exclude_defaults=True)
    data = {"format": FORMAT, "format_version": FORMAT_VERSION, **data}
    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        value = data[key]
        comma = "," if n < len(keys) - 1 else ""
        if key == "steps" and value:
            lines.append(f' "steps": [')
            lines.extend(f"  {_compact(s)}," for s in value[:-1])
            lines.append(f"  {_compact(value[-1])}")
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def _write_chunk(fd: int, data: bytes) -> int:
    """Write some of `data` to a file descriptor (one `os.write`); a seam tests use to fail a write half way."""
    return os.write(fd, data)


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Replace the file at `path` with `data` so that a crash at any moment leaves the old file or the new one.

    Writes a temporary file in the same folder, flushes and fsyncs it, then
    `os.replace`s it over `path` and fsyncs the folder (where the platform
    allows; Windows does not, quietly). A process killed mid-write cannot
    remove its temporary file; the next save to the same path sweeps it.
    """
    path = Path(path)
    tmp = _write_temp(path, data)
    _commit(tmp, path)


def _write_temp(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path` (flushed and fsynced); removed again if anything fails."""
    sweep_temp_files(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                n = _write_chunk(fd, view)
                if n <= 0:
                    raise OSError(errno.EIO, "write made no progress")
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def _commit(tmp: Path, path: Path, before: Callable[[], None] | None = None) -> None:
    """Move a written temporary file over `path` (after `before`, if given) and fsync the folder."""
    try:
        if before is not None:
            before()
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(path.parent)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows cannot open a folder; its os.replace is as durable as it gets there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_STALE_SECONDS = 600


def temp_files(path: str | os.PathLike) -> list[Path]:
    """Temporary files of unfinished saves to `path` (normally none; a killed process may leave one)."""
    path = Path(path)
    try:
        return sorted(p for p in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"))
    except OSError:
        return []


def glob_escape(name: str) -> str:
    """A file name with glob's special characters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def sweep_temp_files(path: str | os.PathLike) -> None:
    """Remove temporary files of earlier saves to `path` whose writer is gone (dead, or stale for 10 minutes)."""
    path = Path(path)
    for tmp in temp_files(path):
        parts = tmp.name[len(path.name) + 2:].split(".")
        pid = int(parts[0]) if parts and parts[0].isdigit() else None
        if pid == os.getpid():
            continue  # another thread of ours may be writing it
        try:
            if not (_pid_gone(pid) or time.time() - tmp.stat().st_mtime > _STALE_SECONDS):
                continue
            tmp.unlink()
        except OSError:
            pass


def _pid_gone(pid: int | None) -> bool:
    if pid is None or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def save_record(record: Record, path: str | os.PathLike) -> Path:
    """Write a record to `path` atomically (the old file or the new one, never a torn one); returns the path."""
    path = Path(path)
    write_atomic(path, record_json(record).encode("utf-8"))
    return path


class Autosaver:
    """Autosaves of one game: `save(record)` after every action keeps the newest `keep` (default 3) files.

    The files are `<folder>/<stem>.autosave1.json` (newest) to
    `<stem>.autosave3.json` (oldest). Each save writes the new record to a
    temporary file first, then rotates the older ones and moves it into place,
    so a crash at any moment loses at most the last action. The game window's
    Continue uses `latest()`.
    """

    def __init__(self, folder: str | os.PathLike, stem: str = "game", keep: int = 3):
        if keep < 1:
            raise ValueError("keep at least one autosave")
        if not stem or any(c in stem for c in "/\\") or stem.startswith("."):
            raise ValueError(f"autosave stem {stem!r}: use a plain file name")
        self.folder = Path(folder)
        self.stem = stem
        self.keep = keep

    def path(self, n: int = 1) -> Path:
        """The file of the n-th newest autosave (1 = the newest)."""
        return self.folder / f"{self.stem}.autosave{n}.json"

    def save(self, record: Record) -> Path:
        """Autosave a record as the newest, shifting the older ones down and dropping the oldest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        newest = self.path(1)
        tmp = _write_temp(newest, record_json(record).encode("utf-8"))

        def rotate() -> None:
            for n in range(self.keep - 1, 0, -1):
                if self.path(n).exists():
                    os.replace(self.path(n), self.path(n + 1))

        _commit(tmp, newest, before=rotate)
        return newest

    def paths(self) -> list[Path]:
        """The autosave files that exist, newest first."""
        return [self.path(n) for n in range(1, self.keep + 1) if self.path(n).exists()]

    def latest(self) -> tuple[Path, Record] | None:
        """The newest autosave that loads (skipping damaged ones), with its path; None if there is none."""
        for p in self.paths():
            try:
                return p, load_record(p)
            except RecordError:
                continue
        return None

    def clear(self) -> None:
        """Delete this game's autosaves (for example once the finished match has been saved for good)."""
        for p in self.paths():
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        sweep_temp_files(self.path(1))


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


class _Refused(ValueError):
    pass


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
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
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
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RecordError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RecordError(f"{path}: is a folder, not a record") from None
    except OSError as err:
        raise RecordError(f"{path}: cannot be read ({err.strerror or err.__class__.__name__})") from None
    return parse_record(data, str(path))


def _scenario_of(data: dict[str, Any], recorded_hash: str, recorded_id: str, source: str) -> Scenario:
    """The embedded scenario as a `Scenario`: reused when already known by its hash, else validated and hashed."""
    try:
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as err:
        raise RecordError(f"{source}: scenario: not plain data ({_first_line(err)})") from None
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    known = _SCENARIOS.get(digest)
    if known is None:
        default = _default_or_none()
        if default is not None and default.content_hash == digest:
            known = default
    if known is not None:
        scenario = known
    else:
        try:
            scenario = parse_scenario(data, f"{source}: scenario")
        except ScenarioError as err:
            raise RecordError(_first_line(err)) from None
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as err:
            raise RecordError(f"{source}: scenario: invalid ({_first_line(err)})") from None
    if scenario.content_hash != recorded_hash:
        raise VerificationError(f"{source}: the embedded scenario does not match its recorded hash "
                                f"(the file was edited or damaged)")
    if scenario.id != recorded_id:
        raise RecordError(f"{source}: scenario_id {recorded_id!r} is not the embedded scenario's id {scenario.id!r}")
    _remember(_SCENARIOS, scenario.content_hash, scenario)
    return scenario


def _default_or_none() -> Scenario | None:
    try:
        return default_scenario()
    except ScenarioError:
        return None


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


def _first_line(err: Any) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else err.__class__.__name__)[:300]


def _json_type(v: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(v), type(v).__name__)


def _short(v: Any) -> str:
    text = json.dumps(v) if isinstance(v, (int, float, str, bool, type(None))) else _json_type(v)
    return text if len(text) <= 30 else text[:27] + "..."


# ---------------------------------------------------------------- replaying

class Replay(NamedTuple):
    """A replayed record: the final state, every happening in order, and the state after each action.

    `states[0]` is the new game and `states[i]` the state after the first i
    actions, so a viewer scrubs with `state_at(i)`; `states[i].happened` is
    what action i did (for `states[0]`, the game's opening).
    """

    final: State
    happenings: list[Happening]
    states: list[State]

    def state_at(self, i: int) -> State:
        """The state after the first `i` actions (0: the new game)."""
        return self.states[i]

    def happenings_until(self, i: int) -> list[Happening]:
        """Everything that happened up to and including action `i`."""
        out: list[Happening] = []
        for s in self.states[:i + 1]:
            out.extend(s.happened)
        return out

    @property
    def actions(self) -> int:
        """How many actions were replayed."""
        return len(self.states) - 1


def replay(record: Record, *, upto: int | None = None, source: str = "record") -> Replay:
    """Recompute every state from the scenario, seed and actions, checking every checksum on the way.

    Raises VerificationError naming the first action (1-based) that cannot be
    read, is illegal at its point, was taken by the wrong side or in the wrong
    round, or leaves a state whose checksum differs from the recorded one.
    `upto` stops after that many actions.
    """
    try:
        return _replay(record, upto, source)
    except VerificationError as err:
        if record.game_version == game.__version__:
            raise
        raise VerificationError(f"{err} (recorded by Crossroads {record.game_version}, this is "
                                f"{game.__version__})", err.index) from None


def _replay(record: Record, upto: int | None, source: str) -> Replay:
    scenario = record.scenario_model()
    state = new_game(scenario, record.seed)
    if state.checksum() != record.start_checksum:
        raise VerificationError(f"{source}: the new game differs from the recorded one (checksum "
                                f"{state.checksum()} instead of {record.start_checksum})", 0)
    states = [state]
    happenings = list(state.happened)
    steps = record.steps if upto is None else record.steps[:upto]
    for n, step in enumerate(steps, 1):
        where = f"{source}: action {n} of {len(record.steps)} ({_short(step.action)})"
        try:
            action = Action.parse(step.action)
        except ActionParseError as err:
            raise VerificationError(f"{where}: not an action ({_first_line(err)})", n) from None
        if state.is_over:
            raise VerificationError(f"{where}: the game was already over ({state.outcome})", n)
        if step.side != state.to_move or action.side != state.to_move:
            raise VerificationError(f"{where}: it was {state.to_move}'s move, not {step.side}'s", n)
        if step.round != state.round:
            raise VerificationError(f"{where}: recorded in round {step.round}, but it is round {state.round}", n)
        try:
            state, ev = apply(state, action)
        except IllegalActionError as err:
            raise VerificationError(f"{where}: illegal at that point ({_first_line(err)})", n) from None
        if state.checksum() != step.checksum:
            raise VerificationError(f"{where}: the state differs after it (checksum {state.checksum()}, "
                                    f"recorded {step.checksum})", n)
        states.append(state)
        happenings.extend(ev)
    return Replay(state, happenings, states)


def verify(record: Record, source: str = "record") -> Replay:
    """Replay a whole record and check its ending too (outcome, scores, forfeit); returns the replay.

    Raises VerificationError on the first difference.
    """
    rep = replay(record, source=source)
    final = rep.final
    if record.forfeit is not None:
        if final.is_over:
            raise VerificationError(f"{source}: records a forfeit by {record.forfeit.side}, but the game was over")
        if record.forfeit.side != final.to_move:
            raise VerificationError(f"{source}: records a forfeit by {record.forfeit.side}, "
                                    f"but it was {final.to_move}'s move")
    outcome = "forfeit" if record.forfeit is not None else (final.outcome or "unfinished")
    if outcome != record.outcome:
        raise VerificationError(f"{source}: records the outcome {record.outcome!r}, but the actions end in {outcome!r}")
    got = scores(final)
    for side, value in record.scores.items():
        if abs(got.get(side, math.nan) - value) > 1e-6:
            raise VerificationError(f"{source}: records {side}'s score as {value:g}, but the actions give "
                                    f"{got.get(side, math.nan):g}")
    return rep


def fork(record: Record, n: int, *, source: str = "") -> Record:
    """A new, unfinished record holding the first `n` actions of `record` (verified on the way), to play on from.

    Raises RecordError if `n` is out of range or the game was already over after `n` actions.
    """
    if not 0 <= n <= len(record.steps):
        raise RecordError(f"{source or 'record'}: cannot fork at {n}: the record has {len(record.steps)} actions")
    rep = replay(record, upto=n, source=source or "record")
    if rep.final.is_over:
        raise RecordError(f"{source or 'record'}: the game is over after {n} actions ({rep.final.outcome}); "
                          f"fork earlier to play on")
    scenario = record.scenario_model()
    takeovers = [t for t in record.takeovers if t.at < n]
    origin = ForkInfo(at=n, of=len(record.steps), source=Path(source).name[:200] if source else "")
    return build_record(scenario, record.seed, record.steps[:n], rep.final, record.players, started=now_iso(),
                        ended=now_iso(), takeovers=takeovers, forked_from=origin,
                        start_checksum=record.start_checksum)


@dataclass
class Resumption:
    """What `play_match` needs to continue an unfinished record: the scenario, seed, state and earlier steps."""

    record: Record
    replay: Replay
    prior_steps: list[Any] = field(default_factory=list)

    @property
    def scenario(self) -> Scenario:
        """The record's scenario."""
        return self.record.scenario_model()

    @property
    def seed(self) -> int:
        """The record's seed."""
        return self.record.seed

    @property
    def state(self) -> State:
        """The state to play on from."""
        return self.replay.final

    @property
    def happenings(self) -> list[Happening]:
        """Everything that happened before the match was saved."""
        return list(self.replay.happenings)

    def play_args(self) -> dict[str, Any]:
        """Keyword arguments for `play_match` to continue from here (with checksums for the new record)."""
        return {"start": self.state, "prior_steps": list(self.prior_steps), "checksums": True}


def resume(record: Record, source: str = "record") -> Resumption:
    """Verify an unfinished record and get ready to continue it; RecordError if it is finished or ended by forfeit."""
    if record.outcome == "forfeit":
        raise RecordError(f"{source}: the match ended by forfeit ({record.forfeit.side if record.forfeit else '?'}); "
                          f"fork it with 'replay {source} --fork-at N --save NEW' to play on")
    if record.finished:
        raise RecordError(f"{source}: the match is over ({record.outcome}); nothing to resume")
    rep = verify(record, source)
    from game.match import Step

    prior = [Step(s.side, s.round, s.action, s.reason, s.checksum) for s in record.steps]
    return Resumption(record, rep, prior)


def on_step_autosave(autosaver: Autosaver, scenario: Scenario, seed: int, players: Mapping[str, Any], *,
                     prior_steps: Sequence[Any] = (), started: str | None = None,
                     base: Record | None = None) -> Callable[[State, Any, list[Happening]], None]:
    """An `on_step` callback for `play_match` that autosaves the record after every action.

    `base` is the record being resumed, if any (its players and takeovers are kept).
    """
    steps: list[RecordedStep] = [s if isinstance(s, RecordedStep) else
                                 RecordedStep(side=s.side, round=s.round, action=s.action, checksum=s.checksum,
                                              reason=(s.reason or "")[:200]) for s in prior_steps]
    infos = {side: player_info(p) for side, p in players.items()}
    takeovers: list[Takeover] = []
    if base is not None:
        takeovers = list(base.takeovers) + [Takeover(at=len(base.steps), players=infos)]
        infos = dict(base.players)
        started = started or base.started
    started = started or now_iso()

    def hook(state: State, step: Any, happenings: list[Happening]) -> None:
        steps.append(RecordedStep(side=step.side, round=step.round, action=step.action,
                                  checksum=step.checksum or state.checksum(), reason=(step.reason or "")[:200]))
        autosaver.save(build_record(scenario, seed, steps, state, infos, started=started, ended=now_iso(),
                                    takeovers=takeovers))

    return hook
