"""The board the rules read, and the item rule: which items may go into a deal, and why the others may not.

A `Board` is a `State`, or the public board of a side's view (`game.view.board`):
every rule of `game.engine.legality` reads only what both provide.
"""

from __future__ import annotations

from typing import Any, Protocol

from game.engine.lookup import SUMMIT, Tables, tables
from game.scenario import Scenario
from game.state import Commitment, Draft, Proposal


class Board(Protocol):
    """What the rules read. A `State` is one; so is a view's board (`game.view.board`).

    Per channel (scenario order): `is_open`, `trust`; per item (scenario order):
    `groundwork`; `ruled_out` per side; commitments and proposals need the fields
    the engine's `Commitment` and `Proposal` have (`live`, `publicly_in_force`...).
    `last_summit` is the round of the last summit, far in the past when there was none.
    """

    scenario: Scenario
    round: int
    phase: str
    to_move: str
    tension: int
    is_open: tuple[bool, ...]
    trust: tuple[float, ...]
    groundwork: tuple[int, ...]
    commitments: tuple[Any, ...]
    proposals: tuple[Any, ...]
    draft: Draft | None
    summit_next: int
    last_summit: int
    summit_round: bool
    gifts: tuple[tuple[str, str], ...]
    ruled_out: tuple[tuple[tuple[str, str], ...], ...]

    def trust_index(self) -> float:
        """Weighted mean trust of the channels."""


def latest_commitments(state: Board) -> dict[str, Commitment]:
    """Each item's most recent commitment, by item id (do not change the dict: it is shared)."""
    # Cached on the state and carried by clones: it stays valid while the commitments tuple is the same object.
    cached = state.__dict__.get("_latest")
    if cached is not None and cached[0] is state.commitments:
        return cached[1]
    latest = {c.item: c for c in state.commitments}
    state.__dict__["_latest"] = (state.commitments, latest)
    return latest


def _due(state: Board, side: str) -> Commitment | None:
    """The first of a side's commitments that has fallen due and is not settled."""
    for c in state.commitments:
        if c.giver == side and c.status == "pending" and c.due <= state.round:
            return c
    return None


def _waiting(state: Board, side: str) -> Proposal | None:
    """The first proposal waiting for a side's answer."""
    for p in state.proposals:
        if p.receiver == side:
            return p
    return None


def _via(T: Tables, channel: str) -> str:
    return "at the summit" if channel == SUMMIT else f"through the {T.channel[channel].name} channel"


def _ch_name(T: Tables, channel: str) -> str:
    return T.channel[channel].name


# What a rule called with explain=False returns for a refusal: the same rule, without wording the reason
# (legal_actions' fast path asks only whether, and refusals are common).
REFUSED = "refused"


# ---------------------------------------------------------------- the item rule

# Why an item may not go into a deal (the scan notes a code; `item_why` words it).
_BLOCKED, _TIER, _TRUST, _GROUNDWORK, _PREREQ = 1, 2, 3, 4, 5


def _scan(b: Board, T: Tables, giver: str, tiers: frozenset[str], blocked: set[str], latest: dict[str, Commitment],
          ti: float, why: dict[str, int] | None = None, tiers_found: set[str] | None = None) -> list[str]:
    """The items `giver` may put in a deal carrying `tiers`, in scenario order; with `why`, note each refusal's code.

    With `tiers_found`, only which tiers have an item is wanted: each item let through adds its tier to it, an
    item of a tier found already is not looked at, and the scan stops once every tier of `tiers` is found.
    """
    need_gw = T.gw_needed
    groundwork = b.groundwork
    out = []
    for item_id, tier, min_trust, gw_index, requires in T.deal_info[giver]:
        if tiers_found is not None and tier in tiers_found:
            continue
        if item_id in blocked:
            code = _BLOCKED
        elif tier not in tiers:
            code = _TIER
        elif ti < min_trust:
            code = _TRUST
        elif gw_index >= 0 and groundwork[gw_index] < need_gw:
            code = _GROUNDWORK
        else:
            code = 0
            for r in requires:
                c = latest.get(r)
                if c is None or not c.publicly_in_force:
                    code = _PREREQ
                    break
        if not code:
            out.append(item_id)
            if tiers_found is not None:
                tiers_found.add(tier)
                if len(tiers_found) == len(tiers):
                    break
        elif why is not None:
            why[item_id] = code
    return out


def _blocked_items(state: Board, latest: dict[str, Commitment]) -> set[str]:
    """Items that cannot go into a new deal: live commitments and items in pending proposals or the draft."""
    blocked = {i for i, c in latest.items() if c.live}
    for p in state.proposals:
        blocked.update(p.give)
        blocked.update(p.get)
    if state.draft is not None:
        blocked.update(state.draft.give)
        blocked.update(state.draft.get)
    return blocked


def _counter_blocked(state: Board, latest: dict[str, Commitment], p: Proposal) -> set[str]:
    """Items a counter to `p` cannot take: live commitments and items of the other proposals (p goes away)."""
    blocked = {i for i, c in latest.items() if c.live}
    for q in state.proposals:
        if q is not p:
            blocked.update(q.give)
            blocked.update(q.get)
    return blocked


def deal_item_reasons(b: Board, giver: str, channel: str, blocked: set[str]) -> dict[str, str | None]:
    """For each item `giver` gives, in scenario order: why it cannot go into a deal through `channel`, or None."""
    T = tables(b.scenario)
    latest = latest_commitments(b)
    ti = b.trust_index()
    why: dict[str, int] = {}
    _scan(b, T, giver, T.tiers_of[channel], blocked, latest, ti, why)
    return {i: (item_why(b, T, i, why[i], channel, latest, ti) if i in why else None) for i in T.items_of[giver]}


def item_why(b: Board, T: Tables, item: str, code: int, channel: str, latest: dict[str, Commitment], ti: float) -> str:
    """Words a refusal code of `_scan` for one item."""
    it = T.items[item]
    name = it.name
    if code == _BLOCKED:
        return blocked_why(b, T, item, latest)
    if code == _TIER:
        return f"{name} is a {it.tier} item, and {_carries(T, channel)}"
    if code == _TRUST:
        return f"{name} needs a trust index of {it.min_trust:g} (it is {ti:g})"
    if code == _GROUNDWORK:
        have = b.groundwork[T.item_idx[item]]
        return f"{name} needs groundwork {T.gw_needed} from working-level meetings first (it has {have})"
    for r in it.requires:
        c = latest.get(r)
        if c is None or not c.publicly_in_force:
            now = "never agreed" if c is None else {"pending": "promised, not yet implemented"}.get(c.status, c.status)
            return f"{name} needs {T.items[r].name} in force first ({now})"
    raise ValueError(f"no refusal code {code} for {item}")


_CARRIES: dict[tuple[int, str], str] = {}


def _carries(T: Tables, channel: str) -> str:
    """'the X channel carries only soft, technical items' (worded once per channel: refusals are common)."""
    key = (id(T), channel)
    text = _CARRIES.get(key)
    if text is None:
        carried = ", ".join(t.id for t in T.sc.tiers if t.id in T.tiers_of[channel])
        where = "the summit" if channel == SUMMIT else f"the {_ch_name(T, channel)} channel"
        text = _CARRIES[key] = f"{where} carries only {carried} items"
    return text


def blocked_why(b: Board, T: Tables, item: str, latest: dict[str, Commitment]) -> str:
    """Why an item is taken: promised already, in a proposal on the table, or in the draft."""
    name = T.items[item].name
    c = latest.get(item)
    if c is not None and c.live:
        if c.status == "pending":
            return f"{name} is already promised (due in round {c.due})"
        return f"{name} is already given ({'verified' if c.status == 'verified' else 'claimed'})"
    for p in b.proposals:
        if item in p.give or item in p.get:
            return f"{name} is already on the table in {T.side[p.sender].name}'s proposal"
    return f"{name} is already in this deal"


def _nothing_why(b: Board, T: Tables, side: str, channel: str, blocked: set[str], what: str,
                 explain: bool = True) -> str | None:
    """Why no item of either side could go into a deal through `channel`, or None if one could."""
    latest = latest_commitments(b)
    ti = b.trust_index()
    why: dict[str, int] | None = {} if explain else None
    tiers = T.tiers_of[channel]
    if _scan(b, T, side, tiers, blocked, latest, ti, why) or _scan(b, T, T.other[side], tiers, blocked, latest, ti, why):
        return None
    if why is None:
        return REFUSED
    counts = [sum(1 for c in why.values() if c == code) for code in range(1, 6)]
    words = ("already promised or on the table", "of a tier it cannot carry", "above the trust index",
             f"short of groundwork {T.gw_needed}", "waiting for a prerequisite")
    parts = [f"{n} {w}" for n, w in zip(counts, words) if n]
    return f"no item can go into {what} {_via(T, channel)} now: " + ", ".join(parts)
