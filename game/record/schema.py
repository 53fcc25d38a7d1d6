"""The record file's schema (pydantic models, errors, limits) and the in-memory `Step` and `Forfeit` of a match."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from datetime import datetime, timezone
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

from game.happenings import ForfeitKind, Outcome
from game.scenario import default_scenario, parse_scenario, Scenario, ScenarioError


FORMAT = "crossroads-record"


FORMAT_VERSION = 1


MAX_BYTES = 5_000_000        # a 12-round record is about 30 KB; anything near this is not a real record


MAX_DEPTH = 48               # a record nests about 8 deep (the scenario's event effects are the deepest)


MAX_NUMBER_DIGITS = 40       # longer numbers are refused before Python turns them into ints


MAX_STEPS = 10_000           # far more than any scenario allows (100 rounds of about 30 actions at most)


MAX_LIST = 1_000             # any other list or object: a scenario has about 20 items and 20 event kinds


MAX_TAKEOVERS = 100          # a record resumed more often than this is refused before play, not after
MAX_VALUES = 300_000         # values in the whole file (a 12-round record has about 3,000)


OUTCOMES = tuple(o.value for o in Outcome)  # ("settlement", "peace", "crisis", "plain", "forfeit", "unfinished")


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
    # Not validated against ForfeitKind: a new kind of failure must still save its record, never lose it.
    kind: Ident = Field(description="'illegal', 'crash', 'timeout', 'memory', 'exit' or 'garbage' (ForfeitKind).")
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
    takeovers: list[Takeover] = Field(default_factory=list, max_length=MAX_TAKEOVERS,
                                      description="Players who took over when the match was resumed.")
    forked_from: ForkInfo | None = Field(None, description="Set when this record was forked from another.")
    outcome: Literal["settlement", "peace", "crisis", "plain", "forfeit", "unfinished"] = Field(
        description="How the match ended, or 'unfinished' (the values of game.happenings.Outcome).")
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


def _first_line(err: Any) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else err.__class__.__name__)[:300]


# ---------------------------------------------------------------- a match's steps in memory

@dataclass
class Forfeit:
    """A seat that lost the match by misbehaving: which side, what kind of failure, and the detail."""

    side: str
    kind: ForfeitKind | str   # 'illegal', 'crash', 'timeout', 'memory', 'exit', 'garbage'
    detail: str = ""


@dataclass
class Step:
    """One applied action: who took it, in which round, its text form and an optional reason.

    The match loop's plain form (a checksum only when asked for); `RecordedStep` is the same step as the
    file stores it, validated and always with its checksum.
    """

    side: str
    round: int
    action: str
    reason: str = ""
    checksum: str = ""
