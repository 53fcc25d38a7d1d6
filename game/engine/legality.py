"""What may be done: eligible deal items, what blocks a move, `legal_actions` and `explain_illegal`."""

from __future__ import annotations

from game.actions import (
    Accept, Action, Break, Cancel, Counter, Fake, Get, Give, Implement, Intel, OpenChannel, Pressure, Propose,
    ProposeSummit, Reject, Send,
)
from game.state import Commitment, Proposal, State
from game.engine.lookup import MAX_DEAL_ITEMS, SUMMIT, Tables, tables


def latest_commitments(state: State) -> dict[str, Commitment]:
    """Each item's most recent commitment, by item id (do not change the dict: it is shared)."""
    # Cached on the state and carried by clones: it stays valid while the commitments tuple is the same object.
    cached = state.__dict__.get("_latest")
    if cached is not None and cached[0] is state.commitments:
        return cached[1]
    latest = {c.item: c for c in state.commitments}
    state.__dict__["_latest"] = (state.commitments, latest)
    return latest


def _eligible_items(state: State, T: Tables, giver: str, channel: str | None, blocked: set[str], latest: dict[str, Commitment],
                    ti: float) -> list[str]:
    """Items `giver` could put in a deal through `channel` now (any channel if None), in scenario order."""
    tiers = T.all_tiers if channel is None else T.tiers_of[channel]
    need_gw = T.gw_needed
    groundwork = state.groundwork
    out = []
    for item_id, tier, min_trust, gw_index, requires in T.deal_info[giver]:
        if item_id in blocked or tier not in tiers or ti < min_trust:
            continue
        if gw_index >= 0 and groundwork[gw_index] < need_gw:
            continue
        for r in requires:
            c = latest.get(r)
            if c is None or not c.publicly_in_force:
                break
        else:
            out.append(item_id)
    return out


def _blocked_items(state: State, latest: dict[str, Commitment]) -> set[str]:
    """Items that cannot go into a new deal: live commitments and items in pending proposals or the draft."""
    blocked = {i for i, c in latest.items() if c.live}
    for p in state.proposals:
        blocked.update(p.give)
        blocked.update(p.get)
    if state.draft is not None:
        blocked.update(state.draft.give)
        blocked.update(state.draft.get)
    return blocked


def _deal_acceptable(state: State, T: Tables, p: Proposal) -> bool:
    """Whether a waiting deal may still be accepted: every item still allowed through its channel."""
    latest = latest_commitments(state)
    blocked = {i for i, c in latest.items() if c.live}
    ti = state.trust_index()
    give_ok = _eligible_items(state, T, p.sender, p.channel, blocked, latest, ti)
    get_ok = _eligible_items(state, T, p.receiver, p.channel, blocked, latest, ti)
    return all(i in give_ok for i in p.give) and all(i in get_ok for i in p.get)


def _due(state: State, side: str) -> Commitment | None:
    """The first of a side's commitments that has fallen due and is not settled."""
    for c in state.commitments:
        if c.giver == side and c.status == "pending" and c.due <= state.round:
            return c
    return None


def _waiting(state: State, side: str) -> Proposal | None:
    """The first proposal waiting for a side's answer."""
    for p in state.proposals:
        if p.receiver == side:
            return p
    return None


def summit_blocker(state: State) -> str | None:
    """Why a summit cannot be proposed now, or None if it can."""
    sc = state.scenario
    T = tables(sc)
    rule = sc.summit
    ci = T.ch_idx[rule.requires_channel]
    if not state.is_open[ci] or state.trust[ci] < rule.requires_trust:
        return f"a summit needs {rule.requires_channel} trust of {rule.requires_trust}"
    if state.tension > rule.max_tension:
        return f"a summit needs tension of {rule.max_tension} or less"
    if state.round - state.last_summit <= rule.cooldown:
        return f"there was a summit in the last {rule.cooldown} rounds"
    if state.summit_next or any(p.kind == "summit" for p in state.proposals):
        return "a summit is already proposed or planned"
    if state.round >= sc.rounds:
        return "no round is left to hold a summit in"
    return None


def _open_blocker(state: State, T: Tables, channel: str) -> str | None:
    ci = T.ch_idx[channel]
    if state.is_open[ci]:
        return f"the {channel} channel is already open"
    if any(p.kind == "open" and p.channel == channel for p in state.proposals):
        return f"opening the {channel} channel is already proposed"
    ch = T.channel[channel]
    if ch.requires_channel:
        ri = T.ch_idx[ch.requires_channel]
        if not state.is_open[ri] or state.trust[ri] < ch.requires_trust:
            return f"the {channel} channel needs {ch.requires_channel} trust of {ch.requires_trust}"
    return None


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
        if p.kind == "deal":
            if _deal_acceptable(state, T, p):
                out.append(T.accept[side])
            out.append(T.reject[side])
            if not p.counter and _counter_possible(state, T, p):
                out.append(T.counter[side])
        else:
            if p.kind == "summit" and summit_accept_blocker(state) is None or p.kind == "open" and not state.is_open[T.ch_idx[p.channel]]:
                out.append(T.accept[side])
            out.append(T.reject[side])
    elif phase == "settle":
        c = _due(state, side)
        latest = latest_commitments(state)
        it = T.items[c.item]
        if all(r in latest and latest[r].publicly_in_force for r in it.requires):
            out.append(T.implement[side, c.item])
            if not it.verifiable:
                out.append(T.fake[side, c.item])
        out.append(T.brk[side, c.item])
    elif phase == "draft":
        d = state.draft
        latest = latest_commitments(state)
        blocked = _blocked_items(state, latest)
        ti = state.trust_index()
        if len(d.give) < MAX_DEAL_ITEMS:
            out.extend(T.give[side, i] for i in _eligible_items(state, T, side, d.channel, blocked, latest, ti))
        if len(d.get) < MAX_DEAL_ITEMS:
            out.extend(T.get[side, i] for i in _eligible_items(state, T, T.other[side], d.channel, blocked, latest, ti))
        if d.give or d.get:
            out.append(T.send[side])
        if not d.counter:
            out.append(T.cancel[side])
    else:  # act
        out.append(T.pass_[side])
        out.extend(_act_actions(state, T, side))
    result = tuple(out)
    state.__dict__["_legal"] = result
    return result


def summit_accept_blocker(state: State) -> str | None:
    """Why a waiting summit proposal cannot be accepted now, or None."""
    if state.summit_next:
        return "a summit is already planned"
    if state.round >= state.scenario.rounds:
        return "no round is left to hold a summit in"
    return None


def _counter_possible(state: State, T: Tables, p: Proposal) -> bool:
    latest = latest_commitments(state)
    blocked = {i for i, c in latest.items() if c.live}
    for q in state.proposals:
        if q is not p:
            blocked.update(q.give)
            blocked.update(q.get)
    ti = state.trust_index()
    return bool(_eligible_items(state, T, p.receiver, p.channel, blocked, latest, ti)
                or _eligible_items(state, T, p.sender, p.channel, blocked, latest, ti))


def _act_actions(state: State, T: Tables, side: str) -> list[Action]:
    sc = state.scenario
    out: list[Action] = []
    latest = latest_commitments(state)
    is_open = state.is_open
    for c in T.channels:
        if not is_open[T.ch_idx[c]] and _open_blocker(state, T, c) is None:
            out.append(T.open[side, c])
    if T.hot is not None and is_open[T.hot]:
        out.append(T.call[side])
    if T.work is not None and is_open[T.work]:
        need = sc.groundwork.needed
        gw = state.groundwork
        meets = [T.meet[side, i] for i in T.gw_items
                 if gw[T.item_idx[i]] < need and not (i in latest and latest[i].live)]
        out.extend(meets or [T.meet_plain[side]])
    if T.exch is not None and is_open[T.exch]:
        out.append(T.exchange[side])
    channels = [c for c in T.channels if is_open[T.ch_idx[c]]]
    if state.summit_round:
        channels.append(SUMMIT)
    if channels:
        # A deal may be started through a channel when some item could go into it; tiers differ by
        # channel, so find the dealable items once (with the widest tiers) and test tiers per channel.
        blocked = _blocked_items(state, latest)
        ti = state.trust_index()
        dealable = (_eligible_items(state, T, side, None, blocked, latest, ti)
                    + _eligible_items(state, T, T.other[side], None, blocked, latest, ti))
        if dealable:
            tiers_present = {T.items[i].tier for i in dealable}
            for c in channels:
                if not tiers_present.isdisjoint(T.tiers_of[c]):
                    out.append(T.propose[side, c])
    if summit_blocker(state) is None:
        out.append(T.summit[side])
    # Pressure moves differ only in the promise a move would break; while it would break none,
    # they are the same move, and listing one keeps the list free of duplicates.
    pressing = [act for move, act in zip(T.side[side].pressure, T.press[side])
                if move.breaks is None or (move.breaks in latest and latest[move.breaks].publicly_in_force)]
    out.extend(pressing or T.press[side][:1])
    other = T.other[side]
    for c in state.commitments:
        if c.giver == side and c.status == "verified" and T.items[c.item].reversible:
            out.append(T.reverse[side, c.item])
    for move in T.side[side].intelligence:
        if move.kind == "rule_out":
            if _rule_out_candidates(state, T, side, move.deck):
                out.append(_intel_action(T, side, move.id, None))
        else:
            for c in state.commitments:
                if c.giver == other and c.status == "claimed":
                    out.append(_intel_action(T, side, move.id, c.item))
    for gside, item in state.gifts:
        if gside == side and not (item in latest and latest[item].live):
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
    """Cards of the other side's deck that are not its card and not yet ruled out, in deck order."""
    other_i, k, card_ids = T.deck_pos[deck_id]
    true_card = state.agendas[other_i][k]
    done = state.ruled_out[T.sides.index(side)]
    return [c for c in card_ids if c != true_card and (deck_id, c) not in done]


# ---------------------------------------------------------------- explaining refusals

def explain_illegal(state: State, action: Action) -> str:
    """A plain-English reason why an action is not legal in this state."""
    if state.is_over:
        return "the game is over"
    if not isinstance(action, Action):
        return f"{action!r} is not an action"
    T = tables(state.scenario)
    if action.side not in T.sides:
        return f"there is no side {action.side!r}"
    if action.side != state.to_move:
        return f"it is {state.to_move}'s turn"
    phase_of = {Accept: "answer", Reject: "answer", Counter: "answer", Implement: "settle", Break: "settle",
                Fake: "settle", Give: "draft", Get: "draft", Send: "draft", Cancel: "draft"}
    want = phase_of.get(type(action), "act")
    if want != state.phase:
        now = {"answer": "a proposal is waiting for an answer", "settle": "a commitment has fallen due",
               "draft": "a deal is being drafted (give, get, send or cancel)", "act": "it is time to act"}[state.phase]
        return f"'{action.verb}' is not possible now: {now}"
    item = getattr(action, "item", None)
    if item is not None and item not in T.items:
        return f"there is no item {item!r}"
    channel = getattr(action, "channel", None)
    if isinstance(action, (OpenChannel, Propose)) and channel not in T.ch_idx and channel != SUMMIT:
        return f"there is no channel {channel!r}"
    if isinstance(action, OpenChannel):
        return _open_blocker(state, T, channel) or "not legal now"
    if isinstance(action, ProposeSummit):
        return summit_blocker(state) or "not legal now"
    if isinstance(action, (Give, Get)):
        giver = action.side if isinstance(action, Give) else T.other[action.side]
        if T.items[item].giver != giver:
            return f"{item} is given by {T.items[item].giver}, not {giver}"
        it = T.items[item]
        ti = state.trust_index()
        if it.tier not in T.tiers_of[state.draft.channel]:
            return f"{item} is {it.tier}; the {state.draft.channel} channel cannot carry it"
        if ti < it.min_trust:
            return f"the trust index {ti:g} is below {item}'s minimum of {it.min_trust}"
        if it.tier in T.gw_tiers and state.groundwork[T.item_idx[item]] < state.scenario.groundwork.needed:
            return f"{item} needs groundwork {state.scenario.groundwork.needed} from working-level meetings first"
        return f"{item} cannot be added now (already agreed, on the table, lacking a prerequisite, or the deal is full)"
    if isinstance(action, Accept):
        return "this proposal can no longer be accepted as it stands"
    if isinstance(action, Fake) and T.items[item].verifiable:
        return f"{item} is verifiable: it cannot be claimed without being done"
    if isinstance(action, Intel) and action.move not in T.intel[action.side]:
        return f"{action.side} has no intelligence move {action.move!r}"
    if isinstance(action, Pressure) and action.move not in T.pressure[action.side]:
        return f"{action.side} has no pressure move {action.move!r}"
    return "not legal now"
