"""Why an action is not legal: `why_not(board, action)`, from the same rule functions as `legal_actions`.

`why_not` answers None exactly for the actions `legal_actions` lists (a
property test plays random games to hold it to that) and otherwise names the
rule that refuses the action. It reads a `Board`, so it works on a `State` and
on a side's view alike; `explain_illegal(state, action)` is it for a state.
"""

from __future__ import annotations

from game.actions import (
    Accept, Action, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, Implement, Intel, Meet,
    OpenChannel, Pass, Pressure, Propose, ProposeSummit, Reject, Reverse, Send,
)
from game.engine.legality import (
    Board, _waiting, accept_blocker, cancel_blocker, channel_blocker, counter_blocker, draft_item_blocker,
    gift_blocker, intel_blocker, latest_commitments, meet_blocker, open_blocker, pressure_blocker, propose_blocker,
    reverse_blocker, send_blocker, settle_blocker, summit_blocker,
)
from game.engine.lookup import SUMMIT, tables
from game.state import State

# The phase each kind of action belongs to (every other kind is taken in the 'act' phase).
PHASE_OF: dict[type, str] = {
    Accept: "answer", Reject: "answer", Counter: "answer", Implement: "settle", Break: "settle", Fake: "settle",
    Give: "draft", Get: "draft", Send: "draft", Cancel: "draft",
}
_NOW = {"answer": "a proposal is waiting for an answer", "settle": "a promise has fallen due",
        "draft": "a deal is being drafted (give, get, send or cancel)", "act": "it is time to act"}


def why_not(b: Board, action: object) -> str | None:
    """Why `action` is not legal on board `b`, or None when it is (then it is in `legal_actions`)."""
    if b.phase == "over":
        return "the game is over"
    if not isinstance(action, Action):
        return f"{action!r} is not an action"
    T = tables(b.scenario)
    side = action.side
    if side not in T.sides:
        return f"there is no side {side!r}"
    if side != b.to_move:
        return f"it is {b.to_move}'s turn"
    kind = type(action)
    want = PHASE_OF.get(kind, "act")
    if want != b.phase:
        return f"'{action.verb}' is not possible now: {_NOW[b.phase]}"
    item = getattr(action, "item", None)
    if item is not None and item not in T.items:
        return f"there is no item {item!r}"
    target = getattr(action, "target", None)
    if target is not None and target not in T.items:
        return f"there is no item {target!r}"
    channel = getattr(action, "channel", None)
    if kind in (OpenChannel, Propose) and channel not in T.ch_idx and not (kind is Propose and channel == SUMMIT):
        return f"there is no channel {channel!r}"
    latest = latest_commitments(b)
    if kind is Pass:
        return None
    if kind is OpenChannel:
        return open_blocker(b, T, channel)
    if kind is Call:
        return channel_blocker(b, T, "hotline")
    if kind is Meet:
        return meet_blocker(b, T, item, latest)
    if kind is Exchange:
        return channel_blocker(b, T, "exchange")
    if kind is Propose:
        return propose_blocker(b, T, side, channel)
    if kind is ProposeSummit:
        return summit_blocker(b)
    if kind is Pressure:
        return pressure_blocker(b, T, side, action.move)
    if kind is Reverse:
        return reverse_blocker(b, T, side, item)
    if kind is Intel:
        return intel_blocker(b, T, side, action.move, target)
    if kind is Gift:
        return gift_blocker(b, T, side, item, latest)
    if kind in (Accept, Reject, Counter):
        p = _waiting(b, side)
        if kind is Accept:
            return accept_blocker(b, T, p)
        return None if kind is Reject else counter_blocker(b, T, p)
    if kind in (Implement, Fake, Break):
        return settle_blocker(b, T, side, action.verb, item, latest)
    if kind in (Give, Get):
        return draft_item_blocker(b, T, side, item, kind is Give)
    if kind is Send:
        return send_blocker(b.draft)
    if kind is Cancel:
        return cancel_blocker(b.draft)
    return f"'{action}' is not a move of this game"


def explain_illegal(state: State, action: Action) -> str:
    """A plain-English reason why an action is not legal in this state ('' if it is legal)."""
    return why_not(state, action) or ""
