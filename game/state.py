"""The game state and its parts, and the seeded random generator whose state lives in it.

A `State` is never changed once the engine has returned it: `apply` clones it
(a shallow copy; every container inside is a tuple, replaced rather than
mutated) and changes the clone. That keeps old states valid for undo, bot
lookahead and replay scrubbing at the cost of one dict copy per move.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from typing import Any, NamedTuple

from game.happenings import CommitmentStatus, HappeningKind
from game.scenario import Scenario

MASK64 = (1 << 64) - 1


def rng_seed(seed: int) -> int:
    """The generator state for a match seed (any integer)."""
    return (int(seed) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & MASK64


def rng_next(x: int) -> tuple[int, int]:
    """One splitmix64 step: the next generator state and a 64-bit output.

    A pure function of an integer, so the generator's state is one int in the
    game state, copies for free, serializes exactly and is the same on every
    platform and under every PYTHONHASHSEED.
    """
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return x, z ^ (z >> 31)


def rng_float(x: int) -> tuple[int, float]:
    """The next generator state and a float in [0, 1)."""
    x, z = rng_next(x)
    return x, (z >> 11) / 9007199254740992.0


def rng_below(x: int, n: int) -> tuple[int, int]:
    """The next generator state and an integer in [0, n)."""
    x, z = rng_next(x)
    return x, (z * n) >> 64


class Commitment(NamedTuple):
    """An agreed item: who gives it to whom, through which channel, when it is due, and what became of it.

    status: 'pending' (agreed, not yet settled), 'verified' (implemented and
    seen), 'claimed' (reported implemented, not yet verified; `done` says
    whether it really was), 'broken', 'exposed' (a false claim found out),
    'reversed' (withdrawn after being in force), 'fallen' (a prerequisite fell).
    """

    item: str
    giver: str
    receiver: str
    channel: str
    agreed: int
    due: int
    status: CommitmentStatus = CommitmentStatus.PENDING
    done: bool = False
    settled: int = 0

    @property
    def in_force(self) -> bool:
        """Truly in force: implemented and not since withdrawn (the truth, not what the receiver sees)."""
        return self.status == "verified" or (self.status == "claimed" and self.done)

    @property
    def publicly_in_force(self) -> bool:
        """In force as both sides can see it: verified, or claimed and not yet found out."""
        return self.status == "verified" or self.status == "claimed"

    @property
    def live(self) -> bool:
        """Agreed and not (yet) broken, reversed or exposed, so it cannot be agreed again."""
        return self.status in ("pending", "verified", "claimed")


class Proposal(NamedTuple):
    """Something waiting for an answer: a deal, a channel to open, or a summit."""

    kind: str                 # 'deal', 'open' or 'summit'
    sender: str
    receiver: str
    made: int                 # the round it was made in
    channel: str | None = None
    give: tuple[str, ...] = ()  # what the sender gives
    get: tuple[str, ...] = ()   # what the sender asks for
    counter: bool = False     # a counter can only be accepted or rejected


class Draft(NamedTuple):
    """A deal being composed, step by step, by the side to move."""

    channel: str
    give: tuple[str, ...] = ()
    get: tuple[str, ...] = ()
    counter: bool = False


class Happening(NamedTuple):
    """One thing that happened, as data: for logs, transcripts, the board's animations and the debrief.

    `to` is None when every side may see it, or the one side that may; the
    spectator sees everything. `data` carries the details (channel, before,
    after, cause, item, commitment, deal...); `game.happenings.DATA_KEYS`
    lists them for each kind. No English: `game.narrator` writes the sentences.
    """

    round: int
    kind: HappeningKind
    to: str | None
    data: dict[str, Any]


class State:
    """Everything about a game at one moment, hidden cards and the generator included.

    Treat as immutable: the engine's `apply` returns a new State. Attributes:
    round (1..rounds), turn (0 or 1 within the round), to_move (side id),
    phase ('answer', 'settle', 'act', 'draft', 'over'), ap, tension,
    trust/is_open/used (per channel, scenario order), groundwork (item -> points,
    as a tuple of pairs), ties (per tie), legitimacy (per side), commitments,
    proposals, draft, deck (the shuffled event deck; card r-1 is round r's),
    agendas (per side, its card ids), ruled_out (per side, the other side's
    cards it has ruled out), summit_next, last_summit, summits, summit_round,
    gifts (items that may be given free this round), ap_this_round (per side),
    bonuses ((side, tag, amount) value bonuses), boost_used (per side), hot_rounds
    (rounds ended at high tension), broken (per side), rng, outcome, happened
    (what the step into this state did).
    """

    scenario: Scenario

    def clone(self) -> "State":
        """A copy that may be changed without touching this one."""
        new = State.__new__(State)
        d = self.__dict__.copy()
        d.pop("_legal", None)
        new.__dict__ = d
        return new

    @property
    def is_over(self) -> bool:
        """Whether the game has ended."""
        return self.outcome is not None

    def side_index(self, side: str) -> int:
        """The index of a side id in the scenario's side order."""
        return self.scenario.side_ids.index(side)

    def other(self, side: str) -> str:
        """The other side's id."""
        a, b = self.scenario.side_ids
        return b if side == a else a

    def channel_index(self, channel: str) -> int:
        """The index of a channel id in the scenario's channel order."""
        return self.scenario.channel_ids.index(channel)

    def trust_index(self) -> float:
        """Weighted mean of the cross channels' trust; a closed channel counts 0."""
        global _last_index
        sc, trust, is_open = self.scenario, self.trust, self.is_open
        last = _last_index
        if last[0] is trust and last[1] is is_open and last[2] is sc:  # the same tuples (a decision asks twice)
            return last[3]
        total = 0.0
        for c, t, o in zip(sc.channels, trust, is_open):
            if o:
                total += c.weight * t
        value = round(total, 2)
        _last_index = (trust, is_open, sc, value)  # holding them keeps their ids from being reused
        return value

    def to_data(self) -> dict[str, Any]:
        """Every field as plain data (for checksums, snapshots and tests)."""
        out = {}
        for k in sorted(self.__dict__):
            if k in ("scenario", "happened", "_legal", "_latest"):
                continue
            v = self.__dict__[k]
            out[k] = _plain(v)
        out["scenario"] = self.scenario.id
        return out

    def checksum(self) -> str:
        """A short hash of the whole state; equal states have equal checksums in every process."""
        return hashlib.blake2b(repr(self.to_data()).encode(), digest_size=8).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.scenario is other.scenario and self.to_data() == other.to_data()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<State round={self.round} {self.to_move} {self.phase} tension={self.tension} outcome={self.outcome}>"


_last_index: tuple = (None, None, None, 0.0)  # State.trust_index's last answer and the tuples it came from


def _plain(v: Any) -> Any:
    if isinstance(v, tuple) and hasattr(v, "_asdict"):
        return {k: _plain(x) for k, x in v._asdict().items()}
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, Enum):  # a member is its string, so checksums are what they were before the enums
        return v.value
    return v
