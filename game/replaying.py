"""The replay viewer's model (no pygame): a saved match opened once, then scrubbed step by step as a reader saw it.

`open_replay(path)` loads and verifies a record and keeps the state after
every action (`Replay.states`), so `set_step(i)` is a list lookup. A record
that fails verification opens anyway, with `divergence` set, and shows the
match only up to the last good action; a file that is not a usable record
raises `ReplayOpenError` with one line.

A perspective is what one reader saw at that moment: 'public' (the room
during the match), 'us' or 'dprk' (the same view and narration the player
had: game.view and game.narrator decide what is hidden) or 'everything'
(the spectator: cards and the truth of claims revealed). A bot's stated
reason is shown to its own side at once and to everyone else only once the
match is over, since a reason such as 'claiming X without doing it' would
give away the truth of a claim.

The log's numbers are action numbers: entry N is the N-th action, the N that
`replay --fork-at N` takes, and the step index after it. `play_on(at, ...)`
forks the match after action `at` for new players; `start_match` turns such a
record into a `LiveMatch`. The saved-games list and comparing two matches are
in `game.replay_files` (re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from game.debrief import Moment, RoundRow, key_moments, round_rows
from game.engine import agenda_cards, new_game, scores, tables
from game.happenings import HappeningKind as K
from game.narrator import debrief_verdict, narrate
from game.record import (
    Player, Record, RecordError, Takeover, VerificationError, fork, load_record, player_from_label, player_info, replay,
    resume, verify,
)
from game.scenario import Scenario
from game.state import State
from game.transcript import step_lines
from game.view import PUBLIC, SPECTATOR, View, reason_visible, view

PERSPECTIVES = ("public", "us", "dprk", "everything")

EVERYTHING = "everything"

# The happenings a timeline marks beside every action and round (all public: markers are the same for every reader).
_MARKED = {K.SUMMIT: "summit", K.BROKEN: "broken", K.REVERSED: "broken", K.EXPOSED: "exposed", K.DEAL: "deal",
           K.EVENT: "event", K.GAME_OVER: "end"}


class ReplayOpenError(Exception):
    """A file the viewer cannot open (unreadable, not a record, invalid); the message is one line naming it."""


class PlayOnError(ValueError):
    """A fork that cannot be played on (the game was over there, an unknown bot...); the message is one line."""


@dataclass(frozen=True)
class Divergence:
    """Where a record stops replaying as recorded: action `at` (1-based; 0 the new game), or its ending (`at_end`)."""

    at: int
    message: str          # one line, as `replay --verify` prints it
    at_end: bool = False  # every action replays, but the recorded outcome, scores or forfeit do not match


@dataclass(frozen=True)
class Marker:
    """One point on the timeline: the state after `index` actions, what happened there, and words for a tooltip."""

    index: int
    round: int
    kind: str          # "action" | "round" | "summit" | "broken" | "exposed" | "event" | "deal" | "end"
    side: str | None
    label: str


@dataclass(frozen=True)
class LogEntry:
    """One numbered line of the log: action `number` (the --fork-at N), what it did as narrated, the bot's reason."""

    number: int
    round: int
    side: str
    lines: list[str]
    reason: str


def _reader(perspective: str) -> str:
    """The narrator's and the view's reader for a perspective ('everything' is the spectator, 'all')."""
    return SPECTATOR if perspective == EVERYTHING else perspective


class ReplaySession:
    """A loaded record, replayed once; every step's state is kept so set_step is O(1)."""

    def __init__(self, record: Record, states: list[State], source: str, divergence: Divergence | None = None):
        self.record = record
        self.scenario: Scenario = record.scenario_model()
        self.source = source
        self.states = states
        self.divergence = divergence
        self.last = len(states) - 1
        self.step = 0
        self.perspective = "public"
        self.players = {side: record.players[side].label() for side in self.scenario.side_ids}
        self.names = {s.id: s.name for s in self.scenario.sides}
        self._said: dict[str, list] = {}   # reader -> game.transcript.step_lines, narrated once
        self._logs: dict[str, list[LogEntry]] = {}
        self._opening: dict[str, list[str]] = {}
        self._round_starts = self._find_round_starts()
        self.markers = self._build_markers()
        self._moments: list[tuple[int, Moment]] | None = None

    # ------------------------------------------------------------ moving

    def set_step(self, i: int) -> int:
        """Show the state after `i` actions (clamped into 0..last); returns the new step."""
        self.step = max(0, min(int(i), self.last))
        return self.step

    def set_perspective(self, p: str) -> None:
        """Show the match as `p` saw it (one of PERSPECTIVES); ValueError for an unknown one."""
        if p not in PERSPECTIVES:
            raise ValueError(f"no perspective {p!r}: choose one of {', '.join(PERSPECTIVES)}")
        self.perspective = p

    def _at(self, i: int | None) -> int:
        return self.step if i is None else max(0, min(int(i), self.last))

    def _persp(self, p: str | None) -> str:
        p = self.perspective if p is None else p
        if p not in PERSPECTIVES:
            raise ValueError(f"no perspective {p!r}: choose one of {', '.join(PERSPECTIVES)}")
        return p

    def state(self, i: int | None = None) -> State:
        """The engine's state after `i` actions (default: the shown step); the whole truth, for no reader's eyes."""
        return self.states[self._at(i)]

    def ended(self, i: int | None = None) -> bool:
        """Whether step `i` is the end of the match (game over, or the recorded forfeit after the last action)."""
        i = self._at(i)
        if self.states[i].is_over:
            return True
        return (i == self.last == len(self.record.steps) and self.record.forfeit is not None
                and (self.divergence is None or self.divergence.at_end))

    def view(self, i: int | None = None, perspective: str | None = None) -> View:
        """What the perspective's reader saw at step `i`: game.view's View ('everything' is the spectator's view)."""
        return view(self.state(i), _reader(self._persp(perspective)))

    # ------------------------------------------------------------ rounds

    def _find_round_starts(self) -> dict[int, int]:
        starts: dict[int, int] = {}
        for i, s in enumerate(self.states):
            if s.round >= 1 and s.round not in starts:
                starts[s.round] = i
        return starts

    def round_start(self, rnd: int) -> int:
        """The step where round `rnd` begins (its event drawn); the nearest shown round if `rnd` is out of range."""
        if not self._round_starts:
            return 0
        rounds = sorted(self._round_starts)
        rnd = max(rounds[0], min(int(rnd), rounds[-1]))
        return self._round_starts.get(rnd, 0)

    def next_round(self, i: int | None = None) -> int:
        """The step where the next round begins after step `i` (the last step if none does)."""
        i = self._at(i)
        return next((s for s in sorted(self._round_starts.values()) if s > i), self.last)

    def prev_round(self, i: int | None = None) -> int:
        """The start of step `i`'s round, or of the round before if `i` is already its start (0 before round 1)."""
        i = self._at(i)
        return max((s for s in self._round_starts.values() if s < i), default=0)

    # ------------------------------------------------------------ the timeline

    def _build_markers(self) -> list[Marker]:
        public = self._narrated(PUBLIC)
        out: list[Marker] = []
        seen_round = 0
        for i, s in enumerate(self.states):
            if s.round != seen_round and s.round >= 1:
                seen_round = s.round
                out.append(Marker(i, s.round, "round", None, f"Round {s.round} of {self.scenario.rounds}"))
            if i > 0:
                step = self.record.steps[i - 1]
                words = self._public_words(public[i], step.side, i)
                out.append(Marker(i, step.round, "action", step.side, f"{i}. {words}"))
            for h in s.happened:
                kind = _MARKED.get(h.kind)
                if kind is None or h.to is not None:
                    continue
                words = narrate(h, self.scenario, PUBLIC)
                if words:
                    out.append(Marker(i, h.round or s.round, kind, h.data.get("side") or h.data.get("giver"),
                                      words if len(words) <= 90 else words[:87] + "..."))
        if self.ended(self.last) and not self.states[self.last].is_over and self.record.forfeit is not None:
            f = self.record.forfeit
            out.append(Marker(self.last, self.states[self.last].round, "end", f.side,
                              f"{self.names.get(f.side, f.side)} forfeits ({f.kind})"))
        return out

    def _public_words(self, lines, side: str, index: int) -> str:
        if lines.first is not None:
            return lines.lines[lines.first].strip()
        return self._unseen(side, any(h.kind == K.DRAFT for h in self.states[index].happened))

    def _unseen(self, side: str, drafting: bool) -> str:
        """An action the reader saw nothing of, in the words the live window uses."""
        name = self.names.get(side, side)
        return f"{name} makes a move the room does not see yet (a deal being drafted)" if drafting else f"{name} moves"

    # ------------------------------------------------------------ the log

    def opening(self, perspective: str | None = None) -> list[str]:
        """The lines before the first action (round 1 and its event), as the perspective's reader saw them."""
        p = self._persp(perspective)
        if p not in self._opening:
            self._entries(p)
        return list(self._opening[p])

    def _narrated(self, reader: str) -> list:
        """The transcript split by step for one reader (the markers and the public log share the room's)."""
        if reader not in self._said:
            self._said[reader] = step_lines(self.states, reader, scenario=self.scenario)
        return self._said[reader]

    def _entries(self, p: str) -> list[LogEntry]:
        """Every action's entry for a perspective, narrated once and kept (reasons not yet filtered)."""
        if p in self._logs:
            return self._logs[p]
        reader = _reader(p)
        said = self._narrated(reader)
        self._opening[p] = [ln.strip() for ln in said[0].lines if _kept(ln)]
        out = []
        for n in range(1, self.last + 1):
            step = self.record.steps[n - 1]
            lines = [ln.strip() for ln in said[n].lines if _kept(ln)]
            if said[n].first is None:  # drafting is quiet in a transcript; in the log the drafter sees its steps
                drafts = [h for h in self.states[n].happened if h.kind == K.DRAFT]
                own = [t for t in (narrate(h, self.scenario, reader, verbose=True) for h in drafts) if t]
                lines = (own or [self._unseen(step.side, bool(drafts))]) + lines
            out.append(LogEntry(n, step.round, step.side, lines, step.reason))
        self._logs[p] = out
        return out

    def log(self, upto: int | None = None, perspective: str | None = None) -> list[LogEntry]:
        """The log entries 1..upto (default: the shown step) as the perspective's reader saw them then."""
        upto = self._at(upto)
        p = self._persp(perspective)
        entries = self._entries(p)[:upto]
        reader = SPECTATOR if p == EVERYTHING else p
        over = self.ended(upto)
        return [e if not e.reason or reason_visible(e.side, reader, over) else replace(e, reason="")
                for e in entries]

    # ------------------------------------------------------------ charts

    def _all_moments(self) -> list[tuple[int, Moment]]:
        if self._moments is None:
            out: list[tuple[int, Moment]] = []
            for i in range(len(self.states)):
                lo = max(0, i - 1)
                # The pair's first state restates its own round's event: that was counted at its own step.
                out += [(i, m) for m in key_moments(self.states[lo:i + 1])
                        if i == 0 or m.kind != "event" or m.round != self.states[lo].round]
            self._moments = out
        return self._moments

    def series(self, upto: int | None = None) -> dict[str, Any]:
        """Trust per channel, trust index and tension at the start of each round up to step `upto` (and the end).

        `rows` and `moments` have the debrief's shapes (game.debrief RoundRow, Moment), so the debrief's
        charts draw them; every value here is public.
        """
        upto = self._at(upto)
        starts = [i for i in sorted(self._round_starts.values()) if i <= upto]
        rows: list[RoundRow] = [_row(self.states[i]) for i in starts]
        points = list(starts)
        if self.ended(upto):
            rows.append(replace(_row(self.states[upto]), round=0))  # round 0 marks the end, as in the debrief
            points.append(upto)
        names = [name for name, _ in rows[0].trust] if rows else [c.id.capitalize() for c in self.scenario.channels]
        return {
            "rounds": [r.round for r in rows],
            "steps": points,
            "trust": {name: [dict(r.trust)[name] for r in rows] for name in names},
            "trust_index": [r.trust_index for r in rows],
            "tension": [r.tension for r in rows],
            "rows": tuple(rows),
            "moments": tuple(m for i, m in self._all_moments() if i <= upto),
        }

    # ------------------------------------------------------------ what the header says

    def summary(self, i: int | None = None, perspective: str | None = None) -> dict[str, Any]:
        """Who played, the round, and the outcome and scores once step `i` is the end (what that reader knew before)."""
        i = self._at(i)
        p = self._persp(perspective)
        s = self.states[i]
        ended = self.ended(i)
        out: dict[str, Any] = {
            "scenario": self.scenario.name, "sides": dict(self.names), "players": dict(self.players),
            "takeovers": [(t.at, {side: pl.label() for side, pl in t.players.items()}) for t in self.record.takeovers],
            "forked_from": self.record.forked_from, "step": i, "last": self.last, "actions": len(self.record.steps),
            "round": s.round, "rounds": self.scenario.rounds, "to_move": None if ended else s.to_move,
            "ended": ended, "outcome": None, "scores": {}, "verdict": "", "forfeit": None, "cards": {},
            "divergence": self.divergence.message if self.divergence else None,
            "seed": self.record.seed if (ended or p == EVERYTHING) else None,  # the seed gives every hidden draw
            "perspective": p, "revealed": p == EVERYTHING or ended,
        }
        if ended:
            final = scores(s)
            forfeit = self.record.forfeit if not s.is_over else None
            out.update(outcome="forfeit" if forfeit else str(s.outcome), scores=final,
                       verdict=debrief_verdict(self.scenario, final),
                       forfeit=(forfeit.side, forfeit.kind, forfeit.detail) if forfeit else None)
        elif p == EVERYTHING:
            out["scores"] = scores(s)  # so far, the truth: only the spectator sees it
        elif p != PUBLIC:
            out["scores"] = {p: view(s, p).my_score}  # as that side saw it (the other's claims believed)
        for side in tables(self.scenario).sides:
            if ended or p in (EVERYTHING, side):
                out["cards"][side] = [c.name for c in agenda_cards(s, side)]
        return out

    # ------------------------------------------------------------ playing on, comparing

    def play_on(self, at: int, players: Mapping[str, Any]) -> Record:
        """A new, unfinished record holding the first `at` actions, noting the fork and the players who take over.

        `players` maps each side to a `Player`, a dict like {'kind': 'human', 'name': 'Ana'}, a label ('human',
        'human:Ana', any bot spec) or the window's seat choice (kind/name/bot). Raises PlayOnError (one line).
        """
        if not 0 <= at <= self.last:
            raise PlayOnError(f"cannot play on after action {at}: this replay shows actions 0 to {self.last}")
        sides = self.scenario.side_ids
        if set(players) != set(sides):
            raise PlayOnError(f"play on: choose a player for each side ({', '.join(sides)})")
        try:
            chosen = {side: player_of(players[side]) for side in sides}
            forked = fork(self.record, at, source=self.source)
            takeover = Takeover(at=at, players=chosen)
        except (RecordError, ValueError, TypeError) as err:
            raise PlayOnError(_one_line(err)) from None
        return forked.model_copy(update={"takeovers": [*forked.takeovers, takeover]})

    def compare(self, other: "ReplaySession") -> "Comparison":
        """Both matches side by side: players, outcomes, scores and charts (see game.replay_files.compare)."""
        from game.replay_files import compare

        return compare(self, other)


def _kept(line: str) -> bool:
    """A transcript line the log keeps: not blank, not a turn header (the entry says whose move it was)."""
    text = line.strip()
    return bool(text) and not text.startswith("-- ")


def _row(s: State) -> RoundRow:
    return round_rows([s])[0] if s.round >= 1 else RoundRow(0, s.tension, (), s.trust_index())


def _one_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else err.__class__.__name__)[:300]


def player_of(choice: Any) -> Player:
    """A record's `Player` from a Player, a dict, a label ('human', 'human:Ana', a bot spec) or a seat choice."""
    if isinstance(choice, Player):
        return choice
    if isinstance(choice, Mapping):
        return Player.model_validate(dict(choice), strict=False)
    if isinstance(choice, str):
        kind, _, name = choice.partition(":")
        if kind in ("human", "person"):
            return Player(kind="human", name=(name.strip() or "player")[:200])
        if not choice.strip():
            raise ValueError("play on: an empty player")
        return player_from_label(choice.strip())
    kind = getattr(choice, "kind", None)
    if kind in ("person", "human"):
        return Player(kind="human", name=(str(getattr(choice, "name", "")).strip() or "player")[:200])
    if kind == "bot" and getattr(choice, "bot", ""):
        return player_from_label(str(choice.bot).strip())
    raise TypeError(f"play on: cannot tell who plays from {choice!r}")


def open_replay(path: Path | str) -> ReplaySession:
    """Load and replay a record; ReplayOpenError (one line) if unusable, `divergence` set if it fails verification."""
    source = str(path)
    try:
        record = load_record(path)
    except RecordError as err:
        raise ReplayOpenError(_one_line(err)) from None
    return session_of(record, source)


def session_of(record: Record, source: str = "record") -> ReplaySession:
    """A replay of a record in memory (a fork just made, a match just played), verified as `open_replay` does."""
    try:
        rep = verify(record, source)
        return ReplaySession(record, rep.states, source)
    except VerificationError as err:
        message, index = _one_line(err), err.index
    try:
        if index is None:  # every action replays; the ending does not match what the file says
            return ReplaySession(record, replay(record, source=source).states, source,
                                 Divergence(len(record.steps), message, at_end=True))
        good = max(index - 1, 0)
        if index == 0:  # the new game itself differs: show it as this program deals it, and nothing after
            states = [new_game(record.scenario_model(), record.seed)]
        else:
            states = replay(record, upto=good, source=source).states
        return ReplaySession(record, states, source, Divergence(index, message))
    except RecordError as again:
        raise ReplayOpenError(_one_line(again)) from None


def start_match(record: Record, *, source: str = "record", autosaver: Any = None, background: bool = True) -> Any:
    """A `game.match.LiveMatch` playing on from an unfinished record (a `play_on` fork) with its latest players.

    Raises PlayOnError (one line) if the record cannot be resumed or a bot cannot be made. The live match's
    record keeps the fork and the takeover (`LiveMatch.record()`), and autosaves with `autosaver` if given.
    """
    from game.bots import BotSpecError, make_bot
    from game.match import LiveMatch
    from game.seats import Human

    try:
        resumed = resume(record, source)
    except RecordError as err:
        raise PlayOnError(_one_line(err)) from None
    latest = record.players_at(len(record.steps))
    seats: dict[str, Any] = {}
    for side in resumed.scenario.side_ids:
        p = latest[side]
        if p.kind == "human":
            seats[side] = Human(p.name if p.name != "player" else "")
            continue
        try:
            seats[side] = make_bot(p.label(), time_limit=2.0)
        except BotSpecError as err:
            raise PlayOnError(f"{p.label()!r}: {_one_line(err)}") from None
    takeovers = list(record.takeovers)
    if takeovers and takeovers[-1].at == len(record.steps):
        # Noted as the seats describe themselves (a student's bot file by its class and file), so the live
        # match's record sees the same players carrying on and notes no second takeover at the same action.
        infos = {side: player_info(seat.player() if isinstance(seat, Human) else seat) for side, seat in seats.items()}
        takeovers[-1] = Takeover(at=takeovers[-1].at, players=infos)
        record = record.model_copy(update={"takeovers": takeovers})
    return LiveMatch(resumed.scenario, resumed.seed, seats, start=resumed.state, prior_steps=resumed.prior_steps,
                     prior_happenings=resumed.happenings, autosaver=autosaver, resumed_from=record,
                     background=background)


from game.replay_files import Comparison, ReplayListing, compare, find_original, list_replays  # noqa: E402

__all__ = ["PERSPECTIVES", "Comparison", "Divergence", "LogEntry", "Marker", "PlayOnError", "ReplayListing",
           "ReplayOpenError", "ReplaySession", "compare", "find_original", "list_replays", "open_replay",
           "player_of", "session_of", "start_match"]
