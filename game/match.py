"""A match between any mix of people and bots: `LiveMatch`, stepped from outside, and `play_match`, its loop.

`LiveMatch` is what every use drives: the terminal seat, the game window, a
fork played on from a record, and (through `play_match`) the tournament
workers. Each decision is asked of the side to move with its own view only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from game.actions import Action, ActionParseError
from game.bots.base import Bot, BotForfeit, bot_rng, bot_seed
from game.bots.teach import forfeit_detail, illegal_detail, return_problem
from game.record import now_iso
from game.engine import IllegalActionError, apply, explain_illegal, legal_actions, new_game, scores
from game.record.schema import Forfeit, Step
from game.scenario import Scenario
from game.state import Happening, State
from game.seats import BackgroundMove, BotProcess, Human, is_human
from game.view import View, view

# Defined where they belong (the bot protocol, the record's schema); importable from here as before.
__all__ = ["BotForfeit", "Forfeit", "Human", "LiveMatch", "MatchResult", "Step", "bot_rng", "bot_seed", "play_match"]


@dataclass
class MatchResult:
    """A finished (or stopped) match: the final state, every step and everything that happened."""

    scenario: Scenario
    seed: int
    players: dict[str, str]
    final: State
    steps: list[Step] = field(default_factory=list)
    happenings: list[Happening] = field(default_factory=list)
    forfeit: Forfeit | None = None

    @property
    def scores(self) -> dict[str, float]:
        """Final scores (a forfeiting side's score is what the board gave it when it forfeited)."""
        return scores(self.final)

    @property
    def outcome(self) -> str:
        """'settlement', 'peace', 'crisis', 'plain', 'forfeit', or 'unfinished'."""
        if self.forfeit is not None:
            return "forfeit"
        return self.final.outcome or "unfinished"


class LiveMatch:
    """A match in progress, driven from outside: people submit moves, bot seats are stepped.

    The terminal seat, the game window, "play on from here" and the tournament
    workers all drive this one object; `play_match` is a loop over it. Seats are
    bots (anything with `choose`) or `Human`s. With `background=True` a built-in
    bot's search runs in a process of its own, so `begin_bot_move`/`poll_bot`
    never block the caller. With an `autosaver` the record is saved after every
    person's move and every bot move, so a crash loses at most the last action.
    """

    def __init__(self, scenario: Scenario, seed: int, seats: Mapping[str, Any], *, start: State | None = None,
                 prior_steps: Sequence[Step] | None = None, prior_happenings: Sequence[Happening] | None = None,
                 checksums: bool = False, on_step: Callable[[State, Step, list[Happening]], None] | None = None,
                 autosaver: Any = None, resumed_from: Any = None, started: str | None = None,
                 background: bool = False, secret: bytes | None = None):
        missing = [s for s in scenario.side_ids if s not in seats]
        if missing:
            raise ValueError(f"no seat for {', '.join(missing)}")
        self.scenario = scenario
        self.seats = dict(seats)
        self.state = start if start is not None else new_game(scenario, seed, secret=secret)
        # With a secret the draws (and the bots' generators) come from the engine seed, which the record keeps.
        seed = self.state.seed if secret is not None and start is None else seed
        self.seed = seed
        self.steps: list[Step] = list(prior_steps or [])
        self.happenings: list[Happening] = list(prior_happenings or ())
        self.new_happenings: list[Happening] = []  # of this session only: what MatchResult reports
        if start is None:
            self.happenings.extend(self.state.happened)
            self.new_happenings.extend(self.state.happened)
        self.forfeit: Forfeit | None = None
        self.checksums = checksums or autosaver is not None
        self.on_step = on_step
        self.autosaver = autosaver
        self.resumed_from = resumed_from
        self.started = started
        self._cursors: dict[str, int] = {}
        self._rngs = {s: bot_rng(seed, s) for s in self.seats if not is_human(self.seats[s])}
        self._processes: dict[str, BotProcess] = {}
        self._pending: BackgroundMove | None = None
        # A bot gets its own derived seed, never the match seed: with the match seed it could redraw the hidden cards.
        for side, seat in self.seats.items():
            if is_human(seat):
                continue
            try:
                if background and _hostable(seat):
                    proc = self._processes[side] = BotProcess(seat.label())
                    proc.send(("reset", scenario, side, bot_seed(seed, side)))
                    reply = proc.receive()
                    if reply[0] != "ok":
                        raise RuntimeError(reply[1])
                else:
                    seat.scenario = scenario  # the match's rules: public, and what a bot values items by
                    seat.reset(side, bot_seed(seed, side))
            except BotForfeit as f:
                self.forfeit = Forfeit(side, f.kind, f.detail)
                break
        self._autosave()  # a game quit before its first move can be continued too

    # ------------------------------------------------------------ who moves, what they see

    @property
    def finished(self) -> bool:
        """Whether the match has ended (by the rules or by a forfeit)."""
        return self.state.is_over or self.forfeit is not None

    @property
    def to_move(self) -> str:
        """The side whose move it is."""
        return self.state.to_move

    @property
    def person_to_move(self) -> bool:
        """Whether a person must move now (the caller should ask them and `submit`)."""
        return not self.finished and is_human(self.seats[self.state.to_move])

    @property
    def bot_to_move(self) -> bool:
        """Whether a bot must move now (the caller should `step_bot` or `begin_bot_move`)."""
        return not self.finished and not is_human(self.seats[self.state.to_move])

    def legal(self) -> tuple[Action, ...]:
        """The legal actions of the side to move."""
        return legal_actions(self.state)

    def view(self, side: str) -> View:
        """What `side` ('us', 'dprk', 'public' or 'all') may see now."""
        return view(self.state, side)

    def preview_view(self, actions: Sequence[Action], side: str) -> View:
        """What `side` would see after these moves, computed on a copy: the match itself is not touched."""
        state = self.state
        for a in actions:
            state, _ = apply(state, a)
        return view(state, side)

    def can_advise(self, side: str) -> bool:
        """Whether `side`'s seat is a bot that can be asked "what would it take?" (never a person)."""
        seat = self.seats[side]
        return not is_human(seat) and hasattr(seat, "what_would_it_take")

    def what_would_it_take(self, side: str, channel: str, give: Sequence[str], get: Sequence[str]) -> Any:
        """`side`'s bot's answer to a deal the other side is composing (a `DealAdvice`), asked with its own view.

        A bot hosted in a process of its own is asked there, so the bot that then plays is the one that gave
        its word (`Bot.keep_word`); any other bot (a student's, behind its sandbox) is asked where it runs.
        """
        if not self.can_advise(side):
            raise ValueError(f"the {side} seat is not a bot that can be asked")
        proc = self._processes.get(side)
        if proc is None:
            return self.seats[side].what_would_it_take(view(self.state, side), channel, give, get)
        if self._pending is not None:
            raise RuntimeError("the bot is choosing a move; ask again when it has moved")
        return proc.what_would_it_take(view(self.state, side), channel, give, get)

    def take_happenings(self, reader: str = "default") -> list[Happening]:
        """What happened since this reader last asked (each reader key keeps its own place)."""
        start = self._cursors.get(reader, 0)
        self._cursors[reader] = len(self.happenings)
        return self.happenings[start:]

    # ------------------------------------------------------------ moves

    def submit(self, action: Action | str, reason: str = "") -> list[Happening]:
        """A person's move: apply it (IllegalActionError if it is not legal) and return what happened."""
        return self.submit_all([action], reason)

    def submit_all(self, actions: Sequence[Action | str], reason: str = "") -> list[Happening]:
        """Several moves of the person to move at once (a whole deal: propose, give, get, send).

        All are checked on a scratch copy first, so an illegal one leaves the match untouched.
        """
        if not self.person_to_move:
            raise IllegalActionError("it is not a person's turn" if not self.finished else "the match is over")
        side = self.state.to_move
        parsed = [Action.parse(a) if isinstance(a, str) else a for a in actions]
        state = self.state
        for a in parsed:
            if state.to_move != side or state.is_over:
                raise IllegalActionError(f"{a}: the turn passed before this move")
            if a not in legal_actions(state):
                raise IllegalActionError(f"{a}: {explain_illegal(state, a)}")
            state, _ = apply(state, a)
        out: list[Happening] = []
        for a in parsed:
            out.extend(self._apply(side, a, reason, save=False))
        self._autosave()
        return out

    def step_bot(self) -> list[Happening]:
        """Let the bot to move make one move (blocking); return what happened."""
        if not self.bot_to_move:
            return []
        move = self._pending or self.begin_bot_move()
        try:
            choice = move.wait()
        except BotForfeit as f:
            return self._forfeit_by(f)
        finally:
            self._pending = None
        return self._take_choice(choice)

    def begin_bot_move(self) -> BackgroundMove:
        """Start the bot to move thinking without blocking; `poll_bot()` finishes the move."""
        if self._pending is not None:
            return self._pending
        if not self.bot_to_move:
            raise RuntimeError("no bot is to move")
        side = self.state.to_move
        self._pending = BackgroundMove(self.seats[side], view(self.state, side), legal_actions(self.state),
                                       self._rngs[side], self._processes.get(side))
        return self._pending

    def poll_bot(self) -> list[Happening] | None:
        """Finish a started bot move if the bot has chosen: what happened, or None while it still thinks."""
        if self._pending is None:
            return None
        try:
            choice = self._pending.poll()
        except BotForfeit as f:
            self._pending = None
            return self._forfeit_by(f)
        if choice is None:
            return None
        self._pending = None
        return self._take_choice(choice)

    def run_bots(self, max_steps: int = 100_000) -> None:
        """Step bots until a person must move or the match ends."""
        for _ in range(max_steps):
            if not self.bot_to_move:
                return
            if not self._pending and not self._processes:
                self._direct_bot_move()
            else:
                self.step_bot()

    def _direct_bot_move(self) -> None:
        """The fast path of tournaments and `play_match`: ask the bot in this thread."""
        side = self.state.to_move
        try:
            choice = self.seats[side].choose(view(self.state, side), legal_actions(self.state), self._rngs[side])
        except BotForfeit as f:
            self._forfeit_by(f)
            return
        self._take_choice(choice if isinstance(choice, tuple) and len(choice) == 2 else (choice, ""))

    def _take_choice(self, choice: tuple[Any, Any]) -> list[Happening]:
        side = self.state.to_move
        action, reason = choice
        if isinstance(action, str):  # the text form is accepted as well, as from a sandboxed bot
            try:
                action = Action.parse(action)
            except ActionParseError:
                pass
        if not isinstance(action, Action):
            problem = return_problem(choice, legal_actions(self.state))[0]
            return self._set_forfeit(Forfeit(side, "garbage", problem or f"{_clip(repr(action))} is not an action"))
        legal = legal_actions(self.state)
        if action not in legal:
            return self._set_forfeit(Forfeit(side, "illegal", illegal_detail(self.state, action, legal)))
        return self._apply(side, action, str(reason)[:200])

    def _apply(self, side: str, action: Action, reason: str, save: bool = True) -> list[Happening]:
        taken_in = self.state.round
        self.state, ev = apply(self.state, action)
        step = Step(side, taken_in, str(action), reason, self.state.checksum() if self.checksums else "")
        self.steps.append(step)
        self.happenings.extend(ev)
        self.new_happenings.extend(ev)
        if self.on_step is not None:
            self.on_step(self.state, step, ev)
        if save:
            self._autosave()
        return ev

    def _forfeit_by(self, f: BotForfeit) -> list[Happening]:
        detail = forfeit_detail(self.state, legal_actions(self.state), f)  # an illegal move explained by the rules
        return self._set_forfeit(Forfeit(self.state.to_move, f.kind, detail))

    def _set_forfeit(self, forfeit: Forfeit) -> list[Happening]:
        self.forfeit = forfeit
        self._autosave()
        return []

    # ------------------------------------------------------------ results and records

    def result(self) -> MatchResult:
        """The match so far as a `MatchResult` (happenings of this session only, as `play_match` returns)."""
        labels = {s: seat.label() for s, seat in self.seats.items()}
        return MatchResult(self.scenario, self.seed, labels, self.state, list(self.steps), list(self.new_happenings),
                           self.forfeit)

    def players(self) -> dict[str, Any]:
        """Each side's player as a record stores it."""
        return {s: seat.player() if is_human(seat) else seat for s, seat in self.seats.items()}

    def record(self):
        """The record of the match so far (finished or not); a resumed match keeps its record's history."""
        from game.record import build_record, player_info, record_from_result

        base = self.resumed_from
        if base is not None:
            latest = base.takeovers[-1].players if base.takeovers else base.players
            if {s: player_info(p) for s, p in self.players().items()} == dict(latest):
                # The same people and bots carry on: no takeover to note.
                return build_record(self.scenario, self.seed, self.steps, self.state, base.players,
                                    forfeit=self.forfeit, started=base.started, ended=now_iso(),
                                    takeovers=base.takeovers, forked_from=base.forked_from,
                                    start_checksum=base.start_checksum)
        return record_from_result(self.result(), self.players(), started=self.started, resumed_from=base)

    def _autosave(self) -> None:
        if self.autosaver is not None:
            self.autosaver.save(self.record())

    def close(self) -> None:
        """End the bots' processes (a student's bot file, a bot thinking in the background)."""
        for proc in self._processes.values():
            proc.close()
        self._processes.clear()
        for seat in self.seats.values():
            getattr(seat, "close", lambda: None)()

    def __enter__(self) -> "LiveMatch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _hostable(bot: Any) -> bool:
    """Whether a bot can be rebuilt in a process of its own from its label (a built-in bot)."""
    from game.bots import BUILTIN

    return type(bot) in BUILTIN.values()


def play_match(scenario: Scenario, seed: int, players: dict[str, Bot], *, start: State | None = None,
               prior_steps: list[Step] | None = None, checksums: bool = False,
               on_step: Callable[[State, Step, list[Happening]], None] | None = None,
               max_steps: int = 100_000, secret: bytes | None = None) -> MatchResult:
    """Play a match between bots to its end; `start` (with `prior_steps`) resumes one. A loop over `LiveMatch`.

    With `secret` the hidden draws and the bots' generators come from `game.hidden.hidden_seed(seed, secret)`.
    """
    match = LiveMatch(scenario, seed, players, start=start, prior_steps=prior_steps, checksums=checksums,
                      on_step=on_step, secret=secret)
    match.run_bots(max_steps)
    return match.result()


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
