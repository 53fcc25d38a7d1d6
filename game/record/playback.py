"""Replaying a record as a fold of `apply`, verifying its checksums, forking it, resuming it and autosaving a match."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import game
from game.actions import Action, ActionParseError, IllegalActionError
from game.engine import apply, new_game, scores
from game.scenario import Scenario
from game.state import Happening, State
from game.record.build import build_record, player_info
from game.record.decode import _short
from game.record.files import Autosaver
from game.record.schema import (
    _first_line, ForkInfo, MAX_TAKEOVERS, now_iso, Record, RecordedStep, RecordError, Step, Takeover, VerificationError,
)


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
            wrong = step.side if step.side != state.to_move else action.side
            raise VerificationError(f"{where}: it was {state.to_move}'s move, not {wrong}'s", n)
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
    if len(record.takeovers) >= MAX_TAKEOVERS:  # checked now: the played-on record could not be saved
        raise RecordError(f"{source}: taken over {len(record.takeovers)} times already, the most a record holds; "
                          f"fork it with 'replay {source} --fork-at N --save NEW' to play on")
    rep = verify(record, source)
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
