"""Making a record from a match (its players, steps and checksums) and writing its text form."""

from __future__ import annotations

import json
import math
from typing import Any, Mapping, Sequence

from pydantic import ValidationError

import game
from game.actions import Action
from game.engine import apply, new_game, scores
from game.scenario import Scenario
from game.state import State
from game.record.decode import _validation_message
from game.record.schema import (
    ForfeitInfo, ForkInfo, FORMAT, FORMAT_VERSION, now_iso, Player, Record, RecordedStep, RecordError, _remember,
    _SCENARIO_DATA, _SCENARIOS, Takeover,
)


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
    """A record from its parts; `steps` are `Step`s (the match loop's) or `RecordedStep`s (checksums are filled if missing).

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
