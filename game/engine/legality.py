"""What may be done: every rule of a move, written once, and `legal_actions`, which lists what they allow.

Each rule is a `*_blocker` function that returns why a move is not allowed now,
or None when it is. The rules read a `Board` (`game.engine.board`): a `State`,
or the public board of a side's view, since everything they look at is public
to the side to move (its own draft and ruled-out cards aside). So
`legal_actions` (the engine's fast path), `explain_illegal` and the menu a
person picks from (`game.menu`) give one answer: `legal_actions` calls the same
blockers, and the item rule is one scan (`_scan`) that either just collects the
items a deal may take or also notes why each other one may not.
"""

from __future__ import annotations

from itertools import compress

from game.actions import Action, Intel
from game.engine.board import (  # noqa: F401 - _due, _waiting and latest_commitments are imported from here too
    REFUSED, Board, _blocked_items, _ch_name, _counter_blocked, _due, _nothing_why, _scan, _via, _waiting,
    deal_item_reasons, item_why, latest_commitments,
)
from game.engine.lookup import MAX_DEAL_ITEMS, SUMMIT, Tables, tables
from game.state import Commitment, Draft, Proposal, State


# ---------------------------------------------------------------- the rules of each move

def _room(items: tuple[str, ...]) -> bool:
    """Whether one side of a deal may take another item."""
    return len(items) < MAX_DEAL_ITEMS


def channel_blocker(b: Board, T: Tables, channel: str) -> str | None:
    """Why a move that needs an open channel (call, meet, exchange) cannot be made, or None."""
    ci = T.ch_idx.get(channel)
    if ci is None:
        return f"this scenario has no {channel} channel"
    if not b.is_open[ci]:
        return f"the {_ch_name(T, channel)} channel is closed"
    return None


def open_blocker(b: Board, T: Tables, channel: str, explain: bool = True) -> str | None:
    """Why opening a channel cannot be proposed now, or None."""
    ci = T.ch_idx[channel]
    if b.is_open[ci]:
        return f"the {_ch_name(T, channel)} channel is already open" if explain else REFUSED
    for p in b.proposals:
        if p.kind == "open" and p.channel == channel:
            return f"opening the {_ch_name(T, channel)} channel is already proposed" if explain else REFUSED
    ch = T.channel[channel]
    if ch.requires_channel:
        ri = T.ch_idx[ch.requires_channel]
        if not b.is_open[ri] or b.trust[ri] < ch.requires_trust:
            if not explain:
                return REFUSED
            now = f"it is {b.trust[ri]:g}" if b.is_open[ri] else "that channel is closed"
            return f"the {ch.name} channel needs {_ch_name(T, ch.requires_channel)} trust of {ch.requires_trust:g} ({now})"
    return None


def meet_blocker(b: Board, T: Tables, item: str | None, latest: dict[str, Commitment]) -> str | None:
    """Why a working-level meeting (on `item`, or on none) cannot be held now, or None."""
    why = channel_blocker(b, T, "working")
    if why is not None:
        return why
    needing = _groundwork_scan(b, T, latest)
    if item is None:
        return f"a meeting lays groundwork on an item that still needs it, such as {T.items[needing[0]].name}" \
            if needing else None
    if item in needing:
        return None
    it = T.items[item]
    if it.tier not in T.gw_tiers:
        return f"{it.name} needs no groundwork (a {it.tier} item)"
    have = b.groundwork[T.item_idx[item]]
    if have >= T.gw_needed:
        return f"{it.name} already has its groundwork ({have}/{T.gw_needed})"
    return f"{it.name} is already agreed"


def _groundwork_scan(b: Board, T: Tables, latest: dict[str, Commitment]) -> list[str]:
    """The items a meeting may lay groundwork on, in scenario order: short of it, and not agreed already."""
    need = T.gw_needed
    gw = b.groundwork
    out = []
    for i, k in zip(T.gw_items, T.gw_index):
        if gw[k] < need:
            c = latest.get(i)
            if c is None or not c.live:
                out.append(i)
    return out


def _dealable_tiers(b: Board, T: Tables, side: str, latest: dict[str, Commitment]) -> set[str]:
    """The tiers of the items either side could put in a new deal through a channel carrying every tier
    (`_scan` asked for the tiers only: it stops once every tier is found)."""
    blocked = _blocked_items(b, latest)
    ti = b.trust_index()
    found: set[str] = set()
    for giver in (side, T.other[side]):
        _scan(b, T, giver, T.all_tiers, blocked, latest, ti, tiers_found=found)
        if len(found) == len(T.all_tiers):
            break
    return found


def propose_blocker(b: Board, T: Tables, side: str, channel: str, tiers: set[str] | None = None,
                    explain: bool = True) -> str | None:
    """Why a deal cannot be started through `channel` now, or None; `tiers` = `_dealable_tiers`, if known."""
    if channel == SUMMIT:
        if not b.summit_round:
            return "a deal at the summit can be proposed only in a summit round"
    elif not b.is_open[T.ch_idx[channel]]:
        return f"the {_ch_name(T, channel)} channel is closed" if explain else REFUSED
    # An item may go through a channel when it passes the rules with every tier allowed and its tier is the
    # channel's: so one scan serves every channel.
    if tiers is None:
        tiers = _dealable_tiers(b, T, side, latest_commitments(b))
    if tiers.isdisjoint(T.tiers_of[channel]):
        if not explain:
            return REFUSED
        return _nothing_why(b, T, side, channel, _blocked_items(b, latest_commitments(b)), "a deal")
    return None


def summit_blocker(state: Board, explain: bool = True) -> str | None:
    """Why a summit cannot be proposed now, or None if it can."""
    sc = state.scenario
    T = tables(sc)
    rule = sc.summit
    ci = T.ch_idx[rule.requires_channel]
    if not state.is_open[ci] or state.trust[ci] < rule.requires_trust:
        if not explain:
            return REFUSED
        now = f"it is {state.trust[ci]:g}" if state.is_open[ci] else "that channel is closed"
        return f"a summit needs {_ch_name(T, rule.requires_channel)} trust of {rule.requires_trust:g} ({now})"
    if state.tension > rule.max_tension:
        return f"a summit needs tension of {rule.max_tension} or less (it is {state.tension})" if explain else REFUSED
    if state.round - state.last_summit <= rule.cooldown:
        return f"there was a summit in the last {rule.cooldown} rounds (in round {state.last_summit})" if explain \
            else REFUSED
    if state.summit_next:
        return "a summit is already planned"
    if any(p.kind == "summit" for p in state.proposals):
        return "a summit is already proposed"
    if state.round >= sc.rounds:
        return "no round is left to hold a summit in"
    return None


def summit_accept_blocker(state: Board) -> str | None:
    """Why a waiting summit proposal cannot be accepted now, or None."""
    if state.summit_next:
        return "a summit is already planned"
    if state.round >= state.scenario.rounds:
        return "no round is left to hold a summit in"
    return None


def pressure_blocker(b: Board, T: Tables, side: str, move: str) -> str | None:
    """Why a pressure move cannot be made (only an unknown one cannot: each is always there to take), or None."""
    if move not in T.pressure[side]:
        return f"{side} has no pressure move {move!r}"
    return None


def _reversible(T: Tables, c: Commitment, side: str) -> bool:
    """Whether a commitment is one `side` may withdraw: its own, verified in force and reversible."""
    return c.giver == side and c.status == "verified" and T.items[c.item].reversible


def reverse_blocker(b: Board, T: Tables, side: str, item: str) -> str | None:
    """Why `side` cannot withdraw `item` now, or None."""
    it = T.items[item]
    if it.giver != side:
        return f"{it.name} is not {T.side[side].name}'s to withdraw"
    if not it.reversible:
        return f"{it.name} cannot be withdrawn once given"
    for c in b.commitments:
        if c.item == item and _reversible(T, c, side):
            return None
    c = latest_commitments(b).get(item)
    if c is None:
        return f"{it.name} was never given"
    if c.status == "pending":
        return f"{it.name} is promised, not yet implemented"
    if c.status == "claimed":
        return f"only a verified item can be withdrawn: {it.name} is claimed, not verified"
    return f"{it.name} is not in force ({c.status})"


def _checkable(c: Commitment, other: str) -> bool:
    """Whether a commitment is an open claim of the other side, so intelligence may check it."""
    return c.giver == other and c.status == "claimed"


def _cards_left(b: Board, T: Tables, side: str, deck: str) -> int:
    """How many of the other side's cards in `deck` `side` has not ruled out (their own card among them)."""
    n = len(T.deck_pos[deck][2])
    for d, _ in b.ruled_out[T.sides.index(side)]:
        if d == deck:  # each ruled-out card is in the list once
            n -= 1
    return n


def intel_blocker(b: Board, T: Tables, side: str, move_id: str, target: str | None) -> str | None:
    """Why an intelligence move (with its target) cannot be made now, or None."""
    move = T.intel[side].get(move_id)
    if move is None:
        return f"{side} has no intelligence move {move_id!r}"
    if move.kind == "rule_out":
        if target is not None:
            return f"'{move_id}' rules out a card: it takes no target"
        if _cards_left(b, T, side, move.deck) < 2:
            return f"every {T.sc.deck_by_id[move.deck].name.lower()} card but one is ruled out: the last is theirs"
        return None
    if target is None:
        return f"'{move_id}' checks a claim: name the item"
    other = T.other[side]
    for c in b.commitments:
        if c.item == target and _checkable(c, other):
            return None
    return f"{T.items[target].name} is not an unverified claim of {T.side[other].name}'s"


def gift_blocker(b: Board, T: Tables, side: str, item: str, latest: dict[str, Commitment]) -> str | None:
    """Why `side` cannot give `item` at once and free now, or None."""
    name = T.items[item].name
    if (side, item) not in b.gifts:
        return f"no event lets {T.side[side].name} give {name} free this round"
    c = latest.get(item)
    if c is not None and c.live:
        return f"{name} is already agreed"
    return None


def accept_blocker(b: Board, T: Tables, p: Proposal) -> str | None:
    """Why a waiting proposal cannot be accepted now, or None."""
    if p.kind == "open":
        return f"the {_ch_name(T, p.channel)} channel is already open" if b.is_open[T.ch_idx[p.channel]] else None
    if p.kind == "summit":
        return summit_accept_blocker(b)
    latest = latest_commitments(b)
    blocked = {i for i, c in latest.items() if c.live}
    ti = b.trust_index()
    tiers = T.tiers_of[p.channel]
    for giver, items in ((p.sender, p.give), (p.receiver, p.get)):
        why: dict[str, int] = {}
        _scan(b, T, giver, tiers, blocked, latest, ti, why)
        for i in items:
            if i in why:
                return f"{T.items[i].name} can no longer go {_via(T, p.channel)}: " \
                       f"{item_why(b, T, i, why[i], p.channel, latest, ti)}"
    return None


def counter_blocker(b: Board, T: Tables, p: Proposal, explain: bool = True) -> str | None:
    """Why a waiting proposal cannot be countered now, or None."""
    if p.kind != "deal":
        return "only a deal can be countered"
    if p.counter:
        return "a counter cannot be countered: accept or reject it"
    latest = latest_commitments(b)
    return _nothing_why(b, T, p.receiver, p.channel, _counter_blocked(b, latest, p), "a counter", explain)


def settle_blocker(b: Board, T: Tables, side: str, verb: str, item: str, latest: dict[str, Commitment],
                   c: Commitment | None = None) -> str | None:
    """Why `side` cannot settle its due promise of `item` by `verb` ('implement', 'fake' or 'break'), or None.

    `c` is the promise due now (`_due(b, side)`), if the caller has it."""
    if c is None:
        c = _due(b, side)
    it = T.items[item]
    if c.item != item:
        return f"the promise due now is {T.items[c.item].name}: settle it first"
    if verb == "break":
        return None
    if verb == "fake" and it.verifiable:
        return f"{it.name} is verifiable: it cannot be claimed without being done"
    for r in it.requires:
        rc = latest.get(r)
        if rc is None or not rc.publicly_in_force:
            return f"{it.name} needs {T.items[r].name} in force ({'never agreed' if rc is None else rc.status}): " \
                   f"it can only be broken"
    return None


def draft_item_blocker(b: Board, T: Tables, side: str, item: str, give: bool) -> str | None:
    """Why `item` cannot be added to the draft now, as an item `side` gives (`give`) or asks for, or None."""
    d = b.draft
    it = T.items[item]
    other = T.other[side]
    if give and it.giver != side:
        return f"{it.name} is {T.side[other].name}'s to give: ask for it with 'get'"
    if not give and it.giver != other:
        return f"{it.name} is yours to give: offer it with 'give'"
    if not _room(d.give if give else d.get):
        return f"the deal already has {MAX_DEAL_ITEMS} items {'to give' if give else 'to ask for'}, the most it may"
    return deal_item_reasons(b, it.giver, d.channel, _blocked_items(b, latest_commitments(b)))[item]


def send_blocker(d: Draft) -> str | None:
    """Why the draft cannot be sent now, or None."""
    return None if d.give or d.get else "an empty deal cannot be sent: add an item first"


def cancel_blocker(d: Draft) -> str | None:
    """Why the draft cannot be dropped, or None."""
    return "a counter must be sent once begun: it cannot be cancelled" if d.counter else None


# ---------------------------------------------------------------- legal actions

def legal_actions(state: State) -> tuple[Action, ...]:
    """Every legal action of the side to move, in a stable order (empty when the game is over)."""
    cached = state.__dict__.get("_legal")
    if cached is not None:
        return cached
    T = tables(state.scenario)
    side = state.to_move
    phase = state.phase
    out: list[Action] = []
    if phase == "over":
        pass
    elif phase == "answer":
        p = _waiting(state, side)
        if accept_blocker(state, T, p) is None:
            out.append(T.accept[side])
        out.append(T.reject[side])
        if p.kind == "deal" and counter_blocker(state, T, p, False) is None:
            out.append(T.counter[side])
    elif phase == "settle":
        c = _due(state, side)
        latest = latest_commitments(state)
        for verb, acts in (("implement", T.implement), ("fake", T.fake), ("break", T.brk)):
            if settle_blocker(state, T, side, verb, c.item, latest, c) is None:
                out.append(acts[side, c.item])
    elif phase == "draft":
        d = state.draft
        latest = latest_commitments(state)
        blocked = _blocked_items(state, latest)
        ti = state.trust_index()
        tiers = T.tiers_of[d.channel]
        if _room(d.give):
            out.extend(T.give[side, i] for i in _scan(state, T, side, tiers, blocked, latest, ti))
        if _room(d.get):
            out.extend(T.get[side, i] for i in _scan(state, T, T.other[side], tiers, blocked, latest, ti))
        if send_blocker(d) is None:
            out.append(T.send[side])
        if cancel_blocker(d) is None:
            out.append(T.cancel[side])
    else:  # act
        out.append(T.pass_[side])
        out.extend(_act_actions(state, T, side))
    result = tuple(out)
    state.__dict__["_legal"] = result
    return result


def _act_actions(state: State, T: Tables, side: str) -> list[Action]:
    out: list[Action] = []
    latest = latest_commitments(state)
    is_open = state.is_open
    for ci, c in enumerate(T.channels):
        if not is_open[ci] and open_blocker(state, T, c, False) is None:
            out.append(T.open[side, c])
    if T.hot is not None and channel_blocker(state, T, "hotline") is None:
        out.append(T.call[side])
    if T.work is not None and channel_blocker(state, T, "working") is None:  # then meet_blocker = the groundwork rule
        needing = _groundwork_scan(state, T, latest)
        if needing:
            out.extend([T.meet[side, i] for i in needing])
        else:
            out.append(T.meet_plain[side])  # meet_blocker(state, T, None, latest): no item needs groundwork
    if T.exch is not None and channel_blocker(state, T, "exchange") is None:
        out.append(T.exchange[side])
    channels = list(compress(T.channels, is_open))
    if state.summit_round:
        channels.append(SUMMIT)
    if channels:
        tiers = _dealable_tiers(state, T, side, latest)
        for c in channels:
            if propose_blocker(state, T, side, c, tiers, False) is None:
                out.append(T.propose[side, c])
    if summit_blocker(state, False) is None:
        out.append(T.summit[side])
    out.extend(T.press[side])  # every pressure move is always there (pressure_blocker refuses only unknown ones)
    for c in state.commitments:
        if c.status == "verified" and _reversible(T, c, side):  # the status test first only saves calls
            out.append(T.reverse[side, c.item])
    other = T.other[side]
    for move in T.side[side].intelligence:
        if move.kind == "rule_out":
            if intel_blocker(state, T, side, move.id, None) is None:
                out.append(_intel_action(T, side, move.id, None))
        else:
            for c in state.commitments:
                if c.status == "claimed" and _checkable(c, other):  # the status test first only saves calls
                    out.append(_intel_action(T, side, move.id, c.item))
    for gside, item in state.gifts:
        if gside == side and gift_blocker(state, T, side, item, latest) is None:
            out.append(T.gift[side, item])
    return out


_intel_cache: dict[tuple[int, str, str, str | None], Intel] = {}


def _intel_action(T: Tables, side: str, move: str, target: str | None) -> Intel:
    key = (id(T), side, move, target)
    a = _intel_cache.get(key)
    if a is None:
        a = _intel_cache[key] = Intel(side, move, target)
    return a


def _rule_out_candidates(state: State, T: Tables, side: str, deck_id: str) -> list[str]:
    """Cards of the other side's deck that are not its card and not yet ruled out, in deck order (for the draw)."""
    other_i, k, card_ids = T.deck_pos[deck_id]
    true_card = state.agendas[other_i][k]
    done = state.ruled_out[T.sides.index(side)]
    return [c for c in card_ids if c != true_card and (deck_id, c) not in done]
