"""The game's vocabularies as enums, and the catalogue of happenings: each kind and the data it carries.

Every enum is a `StrEnum` whose values are the strings the game has always
used, so a member equals its string (`Phase.ACT == "act"`), serializes to it
(JSON, records, tournament files) and every file format stays as it was.

A happening (`game.state.Happening`) is data only: its kind, the round, who
may see it (`to`: None for everyone, or one side id) and `data`, whose keys
for each kind are listed in `DATA_KEYS`. The English is the narrator's
(`game.narrator`); the engine writes none.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from types import SimpleNamespace


class Phase(StrEnum):
    """What the side to move must do now."""

    ANSWER = "answer"   # answer a proposal
    SETTLE = "settle"   # implement, fake or break a promise now due
    ACT = "act"         # spend action points
    DRAFT = "draft"     # compose a deal (after propose or counter)
    OVER = "over"       # the game has ended


class Outcome(StrEnum):
    """How a game (the first four) or a match (all six) ended."""

    SETTLEMENT = "settlement"
    PEACE = "peace"
    CRISIS = "crisis"
    PLAIN = "plain"
    FORFEIT = "forfeit"         # a match: a seat misbehaved
    UNFINISHED = "unfinished"   # a match stopped before the game ended


class CommitmentStatus(StrEnum):
    """What became of an agreed item."""

    PENDING = "pending"     # agreed, not yet settled
    VERIFIED = "verified"   # implemented and seen
    CLAIMED = "claimed"     # reported implemented, not yet verified
    BROKEN = "broken"
    EXPOSED = "exposed"     # a false claim found out
    REVERSED = "reversed"   # withdrawn after being in force
    FALLEN = "fallen"       # a prerequisite fell


class ForfeitKind(StrEnum):
    """Why a seat lost a match by misbehaving."""

    ILLEGAL = "illegal"     # answered with an action that is not legal now
    CRASH = "crash"         # raised an exception
    TIMEOUT = "timeout"     # took longer than its time limit
    MEMORY = "memory"       # went over its memory limit
    EXIT = "exit"           # its process ended
    GARBAGE = "garbage"     # answered with something that is not an action


class Cause(StrEnum):
    """Why trust or tension moved, or how a channel opened."""

    CALL = "hotline call"
    MEETING = "working-level meeting"
    EXCHANGE = "cultural exchange"
    PRESSURE = "pressure"
    KEPT = "promise kept"
    GIFT = "gift"
    BROKEN = "broken promise"
    REVERSAL = "reversal"
    EXPOSED = "false claim exposed"
    DEAL = "deal signed"
    ITEM = "item"           # an item's own tension effect (data: item)
    SUMMIT = "summit"
    EVENT = "event"         # an event card (the round's EVENT happening names it)
    AGREED = "agreed"       # a channel opened by agreement
    UNUSED = "unused"       # decay of a channel not used this round
    DIFFUSION = "diffusion"
    DRIFT = "drift"


class Verdict(StrEnum):
    """The debrief's one-word judgement of the final scores."""

    BOTH_AHEAD = "both_ahead"
    BOTH_LOST = "both_lost"
    NEITHER = "neither"         # both scored exactly nothing
    EXPLOITED = "exploited"     # one ahead, the other below zero
    ONE_AHEAD = "one_ahead"     # one ahead, the other at zero or in between


class HappeningKind(StrEnum):
    """Every kind of thing that happens; `DATA_KEYS` lists what each carries."""

    ROUND = "round"
    TURN = "turn"
    EVENT = "event"
    SUMMIT = "summit"
    LEGITIMACY = "legitimacy"
    AVERTED = "averted"
    DEFUSED = "defused"
    GIFT_OFFER = "gift_offer"
    VALUE = "value"
    REVEAL = "reveal"
    ACTION_POINTS = "action_points"
    TIE = "tie"
    ACTION = "action"
    PROPOSAL = "proposal"
    DRAFT = "draft"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COUNTERING = "countering"
    DEAL = "deal"
    COMMITMENT = "commitment"
    GROUNDWORK = "groundwork"
    PRESSURE = "pressure"
    INTEL = "intel"
    KEPT = "kept"
    CLAIMED = "claimed"
    TRUTH = "truth"
    VERIFIED = "verified"
    EXPOSED = "exposed"
    BROKEN = "broken"
    REVERSED = "reversed"
    FALLEN = "fallen"
    TRUST = "trust"
    CHANNEL_OPENED = "channel_opened"
    TENSION = "tension"
    CRISIS = "crisis"
    SETTLEMENT = "settlement"
    ROUND_END = "round_end"
    GAME_OVER = "game_over"
    REVEAL_AGENDA = "reveal_agenda"


K = HappeningKind

# The fields of a commitment, carried by every happening about one.
COMMITMENT_KEYS = ("item", "giver", "receiver", "channel", "agreed", "due", "status")

# The data keys each kind of happening always carries (a value may be None where it does not apply, as the
# item of a meeting held on no item). Trust and tension moves carry before and after; a channel is an id of
# the scenario's channels (or "summit"), an item an item id, a side a side id, a card an event or agenda card id.
DATA_KEYS: dict[HappeningKind, tuple[str, ...]] = {
    # round: the board as the round begins (trust and open per channel id)
    K.ROUND: ("round", "rounds", "tension", "trust", "open"),
    K.TURN: ("side", "ap"),
    K.EVENT: ("card",),
    K.SUMMIT: ("summits", "channel"),
    K.LEGITIMACY: ("side", "before", "after"),
    # averted: the event's tension (amount) did not happen because item is in force
    K.AVERTED: ("card", "item", "amount"),
    # defused: a trusted channel halved the event's spike from amount to halved
    K.DEFUSED: ("card", "channel", "trust", "amount", "halved"),
    K.GIFT_OFFER: ("side", "item"),
    K.VALUE: ("side", "tag", "amount", "cause"),
    # reveal: an event's look at the unverified claims found none (result "none", item None) or saw nothing
    # of item through the clouds (result "clouds"); a look that succeeds is a VERIFIED or EXPOSED happening
    K.REVEAL: ("card", "result", "item"),
    K.ACTION_POINTS: ("side", "ap"),
    K.TIE: ("a", "b", "before", "after"),
    # action: a move with no kind of its own; verb is the action's verb (pass, call, meet, exchange, cancel, intel)
    K.ACTION: ("side", "action", "verb", "channel", "item"),
    # proposal: kind "open" (a channel), "summit" or "deal" (give/get from the sender's point of view)
    K.PROPOSAL: ("side", "action", "receiver", "proposal", "channel", "give", "get", "counter"),
    # draft: a private step of composing a deal: "start" (channel), "give" or "get" (item)
    K.DRAFT: ("side", "step", "channel", "item"),
    # accepted: an "open" or "summit" proposal (a deal accepted is a DEAL); at: the summit's round
    K.ACCEPTED: ("side", "sender", "proposal", "channel", "at"),
    K.REJECTED: ("side", "sender", "proposal", "channel"),
    K.COUNTERING: ("side", "sender", "channel"),
    K.DEAL: ("side", "sender", "proposal", "channel", "give", "get"),
    K.COMMITMENT: COMMITMENT_KEYS,
    K.GROUNDWORK: ("side", "item", "before", "after", "needed"),
    K.PRESSURE: ("side", "action", "move"),
    # intel: a private result: "ruled_out" (the other side's card in deck is not card) or "inconclusive" (item)
    K.INTEL: ("side", "move", "result", "deck", "card", "item"),
    # kept: an item given, "implemented" (a due promise) or as a "gift" (at once, no deal)
    K.KEPT: ("side", "action", "how") + COMMITMENT_KEYS,
    K.CLAIMED: ("side",) + COMMITMENT_KEYS,
    # truth: whether a claim was really done, for the claimant only
    K.TRUTH: ("side", "item", "done"),
    # verified / exposed: a claim checked by "intelligence", "inspectors" or "the satellite pass"
    K.VERIFIED: ("by",) + COMMITMENT_KEYS,
    K.EXPOSED: ("by",) + COMMITMENT_KEYS,
    # broken: a promise broken when due ("break") or by a pressure move that breaks it ("pressure")
    K.BROKEN: ("side", "how") + COMMITMENT_KEYS,
    K.REVERSED: ("side", "action") + COMMITMENT_KEYS,
    # fallen: an item that needed `because`, which was withdrawn, broken or exposed
    K.FALLEN: ("because",) + COMMITMENT_KEYS,
    K.TRUST: ("channel", "before", "after", "cause"),
    K.CHANNEL_OPENED: ("channel", "trust", "cause"),
    # tension: cause ITEM names the item; other causes carry item None
    K.TENSION: ("before", "after", "cause", "item"),
    K.CRISIS: ("tension", "outcome"),
    K.SETTLEMENT: ("items", "outcome"),
    # round_end: the board after the round's bookkeeping (trust and open per channel id)
    K.ROUND_END: ("round", "tension", "trust", "open", "trust_index"),
    K.GAME_OVER: ("outcome", "scores", "verdict", "winner", "loser"),
    K.REVEAL_AGENDA: ("side", "cards"),
}

assert set(DATA_KEYS) == set(HappeningKind)  # a new kind must say what it carries


def members(enum: type[Enum]) -> SimpleNamespace:
    """An enum's members as plain attributes (`members(Phase).ACT is Phase.ACT`), for the engine's hot path.

    On Python 3.11 looking a member up on its enum class (`Phase.ACT`) costs
    about half a microsecond, a tenth of an `apply`; these lookups cost none.
    """
    return SimpleNamespace(**enum.__members__)


KIND = members(HappeningKind)
PHASE = members(Phase)
STATUS = members(CommitmentStatus)
OUTCOME = members(Outcome)
CAUSE = members(Cause)
