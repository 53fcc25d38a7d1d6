"""The rules: new_game, legal_actions, apply, scores.

`apply(state, action)` is the one way to change a game. It checks the action
against `legal_actions(state)`, clones the state, runs the action's move
handler (what the action does), then the flow (when a turn, a round or the
game ends), and returns the new state with the list of things that happened.

Move handlers are the `_do_*` functions; the flow is `_advance` and the
functions it calls. Nothing here imports pygame, reads the clock or iterates
a set: every random draw comes from the generator stored in the state.
"""

from __future__ import annotations

from typing import Callable

from game.actions import (
    Accept, Action, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, IllegalActionError, Implement,
    Intel, Meet, OpenChannel, Pass, Pressure, Propose, ProposeSummit, Reject, Reverse, Send,
)
from game.graph import diffusion_partners, tie_index
from game.scenario import (
    ActionPointsEffect, Card, ChannelEffect, GiftEffect, RevealEffect, Scenario, TensionEffect, TieEffect, ValueEffect,
)
from game.state import Commitment, Draft, Happening, Proposal, State, rng_below, rng_float, rng_seed

MAX_DEAL_ITEMS = 3  # items each way in one deal
SUMMIT = "summit"   # the pseudo-channel of deals made at a summit

__all__ = ["new_game", "legal_actions", "apply", "scores", "score_breakdown", "explain_illegal", "IllegalActionError",
           "MAX_DEAL_ITEMS", "SUMMIT"]


# ---------------------------------------------------------------- per-scenario tables

class Tables:
    """Lookups derived once from a scenario: indices, item lists per side, cards, channel tiers."""

    def __init__(self, sc: Scenario):
        self.sc = sc
        self.sides = sc.side_ids
        self.side = {s.id: s for s in sc.sides}
        self.other = {sc.side_ids[0]: sc.side_ids[1], sc.side_ids[1]: sc.side_ids[0]}
        self.items = sc.item_by_id
        self.item_order = tuple(i.id for i in sc.items)
        self.item_idx = {i: n for n, i in enumerate(self.item_order)}
        self.items_of = {s: tuple(i.id for i in sc.items if i.giver == s) for s in self.sides}
        self.channels = sc.channel_ids
        self.ch_idx = {c: n for n, c in enumerate(self.channels)}
        self.channel = {c.id: c for c in sc.channels}
        self.partners = diffusion_partners(sc)
        self.tiers_of = {c.id: frozenset(c.tiers) for c in sc.channels}
        self.tiers_of[SUMMIT] = frozenset(sc.summit.tiers)
        self.all_tiers = frozenset(t.id for t in sc.tiers)
        self.hot, self.work, self.exch = (self.ch_idx.get("hotline"), self.ch_idx.get("working"),
                                          self.ch_idx.get("exchange"))
        self.delay = {t.id: t.delay for t in sc.tiers}
        self.gw_tiers = frozenset(sc.groundwork.tiers)
        self.gw_items = tuple(i.id for i in sc.items if i.tier in self.gw_tiers)
        self.gw_needed = sc.groundwork.needed
        # Per side, what deciding whether an item may go into a deal needs, in scenario order:
        # (id, tier, minimum trust, groundwork index or -1, prerequisites).
        self.deal_info = {s: tuple((i.id, i.tier, i.min_trust, n if i.tier in self.gw_tiers else -1, tuple(i.requires))
                                   for n, i in enumerate(sc.items) if i.giver == s) for s in self.sides}
        self.decks_of = {s: tuple(d for d in sc.decks if d.side == s) for s in self.sides}
        self.card = {d.id: {c.id: c for c in d.cards} for d in sc.decks}
        # deck id -> (index of the side holding it, its position among that side's decks, its card ids)
        self.deck_pos = {d.id: (self.sides.index(side), k, tuple(c.id for c in d.cards))
                         for side in self.sides for k, d in enumerate(self.decks_of[side])}
        self.dependents = {i.id: tuple(j.id for j in sc.items if i.id in j.requires) for i in sc.items}
        self.pressure = {s.id: {p.id: p for p in s.pressure} for s in sc.sides}
        self.intel = {s.id: {m.id: m for m in s.intelligence} for s in sc.sides}
        self.inspection_items = tuple(i.id for i in sc.items if i.inspection)
        # Actions are values; building them once keeps legal_actions cheap.
        self.pass_ = {s: Pass(s) for s in self.sides}
        self.call = {s: Call(s) for s in self.sides}
        self.exchange = {s: Exchange(s) for s in self.sides}
        self.send = {s: Send(s) for s in self.sides}
        self.cancel = {s: Cancel(s) for s in self.sides}
        self.summit = {s: ProposeSummit(s) for s in self.sides}
        self.accept = {s: Accept(s) for s in self.sides}
        self.reject = {s: Reject(s) for s in self.sides}
        self.counter = {s: Counter(s) for s in self.sides}
        self.meet_plain = {s: Meet(s) for s in self.sides}
        self.open = {(s, c): OpenChannel(s, c) for s in self.sides for c in self.channels}
        self.propose = {(s, c): Propose(s, c) for s in self.sides for c in (*self.channels, SUMMIT)}
        self.meet = {(s, i): Meet(s, i) for s in self.sides for i in self.gw_items}
        per_item = [(s, i) for s in self.sides for i in self.item_order]
        self.give = {k: Give(*k) for k in per_item}
        self.get = {k: Get(*k) for k in per_item}
        self.implement = {k: Implement(*k) for k in per_item}
        self.brk = {k: Break(*k) for k in per_item}
        self.fake = {k: Fake(*k) for k in per_item}
        self.reverse = {k: Reverse(*k) for k in per_item}
        self.gift = {k: Gift(*k) for k in per_item}
        self.press = {s: tuple(Pressure(s, p.id) for p in self.side[s].pressure) for s in self.sides}


_TABLES: dict[int, tuple[Scenario, Tables]] = {}


def tables(sc: Scenario) -> Tables:
    """The lookup tables of a scenario, built once per scenario object."""
    hit = _TABLES.get(id(sc))
    if hit is None or hit[0] is not sc:
        hit = _TABLES[id(sc)] = (sc, Tables(sc))  # holding sc keeps its id from being reused
    return hit[1]


# ---------------------------------------------------------------- new game

def new_game(scenario: Scenario, seed: int) -> State:
    """A new game of a scenario: agendas drawn and events shuffled from the seed, round 1 begun."""
    T = tables(scenario)
    s = State()
    s.scenario = scenario
    s.seed = int(seed)
    rng = rng_seed(seed)
    agendas = []
    for side in T.sides:
        cards = []
        for deck in T.decks_of[side]:
            rng, card = _weighted_draw(rng, deck.cards)
            cards.append(card.id)
        agendas.append(tuple(cards))
    deck = list(scenario.event_deck)
    for i in range(len(deck) - 1, 0, -1):  # Fisher-Yates with the state's generator
        rng, j = rng_below(rng, i + 1)
        deck[i], deck[j] = deck[j], deck[i]
    s.rng = rng
    s.agendas = tuple(agendas)
    s.deck = tuple(deck)
    s.round = 0
    s.turn = 0
    s.to_move = T.sides[0]
    s.phase = "act"
    s.ap = 0
    s.tension = scenario.tension.start
    s.trust = tuple(float(scenario.trust.opened_at) if c.open else 0.0 for c in scenario.channels)
    s.is_open = tuple(c.open for c in scenario.channels)
    s.used = tuple(0 for _ in scenario.channels)
    s.groundwork = tuple(0 for _ in scenario.items)
    s.ties = tuple(t.value for t in scenario.ties)
    s.legitimacy = tuple(0 for _ in T.sides)
    s.commitments = ()
    s.proposals = ()
    s.draft = None
    s.ruled_out = tuple(() for _ in T.sides)
    s.summit_next = 0
    s.last_summit = -100
    s.summits = 0
    s.summit_round = False
    s.gifts = ()
    s.ap_this_round = tuple(scenario.action_points for _ in T.sides)
    s.bonuses = ()
    s.boost_used = tuple(0 for _ in T.sides)
    s.hot_rounds = 0
    s.broken = tuple(0 for _ in T.sides)
    s.outcome = None
    ev: list[Happening] = []
    _start_round(s, T, ev)
    if s.outcome is not None:  # round 1's event card can already bring crisis
        _end_game(s, T, ev)
    s.happened = tuple(ev)
    return s


def _weighted_draw(rng: int, cards: list[Card]) -> tuple[int, Card]:
    total = sum(c.weight for c in cards)
    rng, u = rng_float(rng)
    u *= total
    for c in cards:
        u -= c.weight
        if u < 0:
            return rng, c
    return rng, cards[-1]


# ---------------------------------------------------------------- queries used by rules and views

def agenda_cards(state: State, side: str) -> list[Card]:
    """The hidden cards a side holds (the truth: only for the engine, scoring and that side's view)."""
    T = tables(state.scenario)
    ids = state.agendas[T.sides.index(side)]
    return [T.card[d.id][cid] for d, cid in zip(T.decks_of[side], ids)]


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


# ---------------------------------------------------------------- apply

def apply(state: State, action: Action) -> tuple[State, list[Happening]]:
    """Apply a legal action: return the new state and what happened; raise IllegalActionError otherwise."""
    if action not in legal_actions(state):
        raise IllegalActionError(f"{action}: {explain_illegal(state, action)}")
    T = tables(state.scenario)
    s = state.clone()
    ev: list[Happening] = []
    _HANDLERS[type(action)](s, T, action, ev)
    _advance(s, T, ev)
    s.happened = tuple(ev)
    return s, ev


def _say(s: State, ev: list[Happening], kind: str, text: str, to: str | None = None, **data) -> None:
    ev.append(Happening(s.round, kind, text, to, data))


def _name(T: Tables, side: str) -> str:
    return T.side[side].name


def _spend(s: State, action: Action) -> None:
    if action.costs_ap:
        s.ap -= 1


# -- trust and tension primitives

def _set_trust(s: State, T: Tables, ci: int, value: float, cause: str, ev: list[Happening]) -> None:
    value = round(min(100.0, max(0.0, value)), 2)
    before = s.trust[ci]
    if value != before:
        t = list(s.trust)
        t[ci] = value
        s.trust = tuple(t)
        _say(s, ev, "trust", f"{T.channel[T.channels[ci]].name} trust {before:g} -> {value:g} ({cause})",
             channel=T.channels[ci], before=before, after=value, cause=cause)


def _add_trust(s: State, T: Tables, ci: int, delta: float, cause: str, ev: list[Happening]) -> None:
    if s.is_open[ci]:
        _set_trust(s, T, ci, s.trust[ci] + delta, cause, ev)


def _gain(s: State, ci: int, amount: float) -> float:
    """A channel gain, halved while tension is high."""
    return amount / 2 if s.tension >= s.scenario.trust.high_tension else amount


def _use(s: State, ci: int) -> None:
    if s.used[ci] != s.round:
        u = list(s.used)
        u[ci] = s.round
        s.used = tuple(u)


def _open_channel(s: State, T: Tables, ci: int, cause: str, ev: list[Happening]) -> None:
    o = list(s.is_open)
    o[ci] = True
    s.is_open = tuple(o)
    t = list(s.trust)
    t[ci] = float(s.scenario.trust.opened_at)
    s.trust = tuple(t)
    _use(s, ci)
    _say(s, ev, "channel_opened", f"The {T.channel[T.channels[ci]].name} channel opens ({cause}); trust {t[ci]:g}",
         channel=T.channels[ci], trust=t[ci], cause=cause)


def _add_tension(s: State, delta: int, cause: str, ev: list[Happening]) -> None:
    rules = s.scenario.tension
    before = s.tension
    after = min(rules.crisis, max(0, before + delta))
    if after != before:
        s.tension = after
        _say(s, ev, "tension", f"Tension {before} -> {after} ({cause})", before=before, after=after, cause=cause)
    if after >= rules.crisis and s.outcome is None:
        s.outcome = "crisis"
        _say(s, ev, "crisis", f"Tension reaches {after}: the talks collapse into crisis.")


def _trust_channel(T: Tables, channel: str) -> str:
    return T.sc.summit.trust_channel if channel == SUMMIT else channel


def _kept(s: State, T: Tables, channel: str | None, cause: str, ev: list[Happening]) -> None:
    """A kept promise: its channel gains most, every other open channel gains too."""
    rules = s.scenario.trust
    same = T.ch_idx[_trust_channel(T, channel)] if channel else -1
    for ci in range(len(T.channels)):
        _add_trust(s, T, ci, rules.kept_same if ci == same else rules.kept_other, cause, ev)


def _broken(s: State, T: Tables, c: Commitment, cause: str, ev: list[Happening]) -> None:
    """A broken promise: trust falls on its channel and every other, tension rises, the board shows it."""
    rules = s.scenario.trust
    same = T.ch_idx[_trust_channel(T, c.channel)] if c.channel else -1
    b = list(s.broken)
    b[T.sides.index(c.giver)] += 1
    s.broken = tuple(b)
    for ci in range(len(T.channels)):
        _add_trust(s, T, ci, -(rules.broken_same if ci == same else rules.broken_other), cause, ev)
    _add_tension(s, s.scenario.tension.broken_promise, cause, ev)


def _replace_commitment(s: State, old: Commitment, new: Commitment) -> None:
    s.commitments = tuple(new if c is old else c for c in s.commitments)


def _fall_dependents(s: State, T: Tables, item: str, ev: list[Happening]) -> None:
    """Items that need a withdrawn item fall with it, whether in force or agreed and not yet due."""
    for dep in T.dependents[item]:
        for c in s.commitments:
            if c.item == dep and c.live:
                _replace_commitment(s, c, c._replace(status="fallen", settled=s.round))
                _say(s, ev, "fallen", f"{T.items[dep].name} falls with {T.items[item].name}", item=dep, giver=c.giver)
                _fall_dependents(s, T, dep, ev)


# -- move handlers

def _do_pass(s: State, T: Tables, a: Pass, ev: list[Happening]) -> None:
    _say(s, ev, "action", f"{_name(T, a.side)} passes", side=a.side, action=str(a))
    s.ap = 0


def _do_open(s: State, T: Tables, a: OpenChannel, ev: list[Happening]) -> None:
    _spend(s, a)
    s.proposals += (Proposal("open", a.side, T.other[a.side], s.round, channel=a.channel),)
    _say(s, ev, "proposal", f"{_name(T, a.side)} proposes opening the {T.channel[a.channel].name} channel",
         side=a.side, action=str(a), proposal="open", channel=a.channel)


def _do_call(s: State, T: Tables, a: Call, ev: list[Happening]) -> None:
    _spend(s, a)
    rules = s.scenario.tension
    ci = T.ch_idx["hotline"]
    _say(s, ev, "action", f"{_name(T, a.side)} calls on the hotline", side=a.side, action=str(a), channel="hotline")
    strong = s.trust[ci] >= rules.call_strong_trust
    _add_trust(s, T, ci, _gain(s, ci, T.channel["hotline"].gain), "hotline call", ev)
    _use(s, ci)
    _add_tension(s, rules.call_strong if strong else rules.call, "hotline call", ev)


def _do_meet(s: State, T: Tables, a: Meet, ev: list[Happening]) -> None:
    _spend(s, a)
    ci = T.ch_idx["working"]
    about = f" on {T.items[a.item].name}" if a.item else ""
    _say(s, ev, "action", f"{_name(T, a.side)} holds a working-level meeting{about}", side=a.side, action=str(a),
         channel="working", item=a.item)
    _add_trust(s, T, ci, _gain(s, ci, T.channel["working"].gain), "working-level meeting", ev)
    _use(s, ci)
    if a.item:
        ii = T.item_idx[a.item]
        g = list(s.groundwork)
        g[ii] += 1
        s.groundwork = tuple(g)
        _say(s, ev, "groundwork", f"Groundwork on {T.items[a.item].name}: {g[ii]}/{s.scenario.groundwork.needed}",
             item=a.item, groundwork=g[ii])


def _do_exchange(s: State, T: Tables, a: Exchange, ev: list[Happening]) -> None:
    _spend(s, a)
    ci = T.ch_idx["exchange"]
    _say(s, ev, "action", f"{_name(T, a.side)} sponsors a cultural exchange", side=a.side, action=str(a),
         channel="exchange")
    _add_trust(s, T, ci, _gain(s, ci, T.channel["exchange"].gain), "cultural exchange", ev)
    _use(s, ci)


def _do_propose(s: State, T: Tables, a: Propose, ev: list[Happening]) -> None:
    _spend(s, a)
    s.draft = Draft(a.channel)
    s.phase = "draft"
    if a.channel != SUMMIT:
        _use(s, T.ch_idx[a.channel])
    _say(s, ev, "draft", f"{_name(T, a.side)} starts drafting a deal through {_channel_name(T, a.channel)}", to=a.side,
         side=a.side, action=str(a), channel=a.channel)


def _channel_name(T: Tables, channel: str) -> str:
    return "the summit" if channel == SUMMIT else f"the {T.channel[channel].name} channel"


def _do_give(s: State, T: Tables, a: Give, ev: list[Happening]) -> None:
    s.draft = s.draft._replace(give=s.draft.give + (a.item,))
    _say(s, ev, "draft", f"Draft: {_name(T, a.side)} would give {T.items[a.item].name}", to=a.side, item=a.item)


def _do_get(s: State, T: Tables, a: Get, ev: list[Happening]) -> None:
    s.draft = s.draft._replace(get=s.draft.get + (a.item,))
    _say(s, ev, "draft", f"Draft: {_name(T, a.side)} asks for {T.items[a.item].name}", to=a.side, item=a.item)


def _deal_text(T: Tables, give: tuple[str, ...], get: tuple[str, ...]) -> str:
    g = ", ".join(T.items[i].name for i in give) or "nothing"
    r = ", ".join(T.items[i].name for i in get) or "nothing"
    return f"gives {g}; asks for {r}"


def _do_send(s: State, T: Tables, a: Send, ev: list[Happening]) -> None:
    d = s.draft
    s.draft = None
    s.phase = "act"
    s.proposals += (Proposal("deal", a.side, T.other[a.side], s.round, d.channel, d.give, d.get, d.counter),)
    word = "counters" if d.counter else "proposes"
    _say(s, ev, "proposal", f"{_name(T, a.side)} {word} through {_channel_name(T, d.channel)}: {_deal_text(T, d.give, d.get)}",
         side=a.side, proposal="deal", channel=d.channel, give=d.give, get=d.get, counter=d.counter)


def _do_cancel(s: State, T: Tables, a: Cancel, ev: list[Happening]) -> None:
    s.draft = None
    s.phase = "act"
    _say(s, ev, "action", f"{_name(T, a.side)} drops a draft deal", side=a.side, action=str(a))


def _do_summit(s: State, T: Tables, a: ProposeSummit, ev: list[Happening]) -> None:
    _spend(s, a)
    s.proposals += (Proposal("summit", a.side, T.other[a.side], s.round),)
    _say(s, ev, "proposal", f"{_name(T, a.side)} proposes a summit", side=a.side, action=str(a), proposal="summit")


def _do_pressure(s: State, T: Tables, a: Pressure, ev: list[Happening]) -> None:
    _spend(s, a)
    sc = s.scenario
    move = T.pressure[a.side][a.move]
    _say(s, ev, "pressure", f"{_name(T, a.side)}: {move.name}", side=a.side, action=str(a), move=a.move)
    for ci in range(len(T.channels)):
        _add_trust(s, T, ci, -sc.trust.pressure_loss, "pressure", ev)
    boost = T.side[a.side].pressure_boost
    si = T.sides.index(a.side)
    if boost and s.boost_used[si] < boost.cap:
        amount = min(boost.amount, boost.cap - s.boost_used[si])
        used = list(s.boost_used)
        used[si] += amount
        s.boost_used = tuple(used)
        s.bonuses += ((boost.side, boost.tag, amount),)
        _say(s, ev, "value", f"{_name(T, boost.side)} now values {boost.tag} items {amount} more",
             side=boost.side, tag=boost.tag, amount=amount)
    if move.breaks:
        for c in s.commitments:
            if c.item == move.breaks and c.giver == a.side and c.publicly_in_force:
                _replace_commitment(s, c, c._replace(status="broken", settled=s.round))
                _say(s, ev, "broken", f"{_name(T, a.side)} breaks its promise: {T.items[c.item].name}",
                     side=a.side, item=c.item)
                _broken(s, T, c, "broken promise", ev)
                _fall_dependents(s, T, c.item, ev)
    _add_tension(s, sc.tension.pressure, "pressure", ev)


def _do_reverse(s: State, T: Tables, a: Reverse, ev: list[Happening]) -> None:
    _spend(s, a)
    c = next(c for c in s.commitments if c.item == a.item and c.giver == a.side and c.status == "verified")
    _replace_commitment(s, c, c._replace(status="reversed", settled=s.round))
    _say(s, ev, "reversed", f"{_name(T, a.side)} withdraws {T.items[a.item].name}: a broken promise",
         side=a.side, item=a.item, action=str(a))
    _broken(s, T, c, "reversal", ev)
    _fall_dependents(s, T, a.item, ev)


def _do_intel(s: State, T: Tables, a: Intel, ev: list[Happening]) -> None:
    _spend(s, a)
    move = T.intel[a.side][a.move]
    _say(s, ev, "action", f"{_name(T, a.side)} gathers intelligence", side=a.side, action=str(a))
    if move.kind == "rule_out":
        cands = _rule_out_candidates(s, T, a.side, move.deck)
        s.rng, k = rng_below(s.rng, len(cands))
        card = T.card[move.deck][cands[k]]
        si = T.sides.index(a.side)
        r = list(s.ruled_out)
        r[si] = r[si] + ((move.deck, card.id),)
        s.ruled_out = tuple(r)
        deck_name = T.sc.deck_by_id[move.deck].name
        _say(s, ev, "intel", f"Intelligence: {_name(T, T.other[a.side])}'s {deck_name.lower()} is not '{card.name}'",
             to=a.side, deck=move.deck, card=card.id)
    else:
        c = next(c for c in s.commitments if c.item == a.target and c.status == "claimed")
        s.rng, u = rng_float(s.rng)
        if u < move.chance:
            _resolve_claim(s, T, c, "intelligence", ev)
        else:
            _say(s, ev, "intel", f"Intelligence on {T.items[c.item].name} is inconclusive", to=a.side, item=c.item)


def _resolve_claim(s: State, T: Tables, c: Commitment, by: str, ev: list[Happening]) -> None:
    """Check a claim: a true one becomes verified; a false one is exposed, a broken promise."""
    if c.done:
        _replace_commitment(s, c, c._replace(status="verified"))
        _say(s, ev, "verified", f"{by.capitalize()} confirms {T.items[c.item].name}", item=c.item, giver=c.giver, by=by)
        _check_settlement(s, T, ev)
    else:
        _replace_commitment(s, c, c._replace(status="exposed", settled=s.round))
        _say(s, ev, "exposed", f"{by.capitalize()} exposes a false claim: {T.items[c.item].name} was never done",
             item=c.item, giver=c.giver, by=by)
        _broken(s, T, c, "false claim exposed", ev)
        _fall_dependents(s, T, c.item, ev)


def _do_gift(s: State, T: Tables, a: Gift, ev: list[Happening]) -> None:
    s.gifts = tuple(g for g in s.gifts if g != (a.side, a.item))
    c = Commitment(a.item, a.side, T.other[a.side], "", s.round, s.round, "verified", True, s.round)
    s.commitments += (c,)
    _say(s, ev, "kept", f"{_name(T, a.side)} gives {T.items[a.item].name} at once", side=a.side, item=a.item,
         action=str(a))
    _kept(s, T, None, "gift", ev)
    _item_effects(s, T, a.item, ev)


def _do_accept(s: State, T: Tables, a: Accept, ev: list[Happening]) -> None:
    p = _waiting(s, a.side)
    s.proposals = tuple(q for q in s.proposals if q is not p)
    sender = _name(T, p.sender)
    if p.kind == "open":
        _say(s, ev, "accepted", f"{_name(T, a.side)} agrees to open the {T.channel[p.channel].name} channel",
             side=a.side, proposal="open")
        _open_channel(s, T, T.ch_idx[p.channel], "agreed", ev)
    elif p.kind == "summit":
        s.summit_next = s.round + 1
        _say(s, ev, "accepted", f"{_name(T, a.side)} accepts {sender}'s summit: it opens round {s.round + 1}",
             side=a.side, proposal="summit")
    else:
        _say(s, ev, "deal", f"Deal signed: {sender} {_deal_text(T, p.give, p.get)}", side=a.side, proposal="deal",
             channel=p.channel, give=p.give, get=p.get)
        for item in p.give + p.get:
            it = T.items[item]
            giver = it.giver
            due = s.round + T.delay[it.tier]
            s.commitments += (Commitment(item, giver, T.other[giver], p.channel, s.round, due),)
            _say(s, ev, "commitment", f"{_name(T, giver)} will give {it.name} in round {due}", item=item, giver=giver,
                 due=due)
        _add_tension(s, s.scenario.tension.deal_signed, "deal signed", ev)


def _do_reject(s: State, T: Tables, a: Reject, ev: list[Happening]) -> None:
    p = _waiting(s, a.side)
    s.proposals = tuple(q for q in s.proposals if q is not p)
    what = {"open": f"opening the {T.channel[p.channel].name if p.channel in T.channel else ''} channel",
            "summit": "the summit", "deal": "the deal"}[p.kind]
    _say(s, ev, "rejected", f"{_name(T, a.side)} rejects {what}", side=a.side, proposal=p.kind)


def _do_counter(s: State, T: Tables, a: Counter, ev: list[Happening]) -> None:
    p = _waiting(s, a.side)
    s.proposals = tuple(q for q in s.proposals if q is not p)
    s.draft = Draft(p.channel, counter=True)
    s.phase = "draft"
    _say(s, ev, "countering", f"{_name(T, a.side)} will counter the deal", side=a.side)


def _do_implement(s: State, T: Tables, a: Implement, ev: list[Happening]) -> None:
    c = _due(s, a.side)
    it = T.items[c.item]
    if it.verifiable:
        _replace_commitment(s, c, c._replace(status="verified", done=True, settled=s.round))
        _say(s, ev, "kept", f"{_name(T, a.side)} implements {it.name}", side=a.side, item=c.item, action=str(a))
        _kept(s, T, c.channel, "promise kept", ev)
        _item_effects(s, T, c.item, ev)
        _check_settlement(s, T, ev)
    else:
        _claim(s, T, c, True, ev)


def _do_fake(s: State, T: Tables, a: Fake, ev: list[Happening]) -> None:
    _claim(s, T, _due(s, a.side), False, ev)


def _claim(s: State, T: Tables, c: Commitment, done: bool, ev: list[Happening]) -> None:
    """Report an unverifiable item implemented, truly or not: in public both look exactly alike."""
    it = T.items[c.item]
    name = _name(T, c.giver)
    _replace_commitment(s, c, c._replace(status="claimed", done=done, settled=s.round))
    _say(s, ev, "claimed", f"{name} reports {it.name} implemented (unverified)", side=c.giver, item=c.item)
    truth = f"{name} really did implement {it.name}" if done else f"{name} only claims {it.name}: nothing was done"
    _say(s, ev, "truth", truth, to=c.giver, item=c.item, done=done)
    _kept(s, T, c.channel, "promise kept", ev)
    _item_effects(s, T, c.item, ev)


def _do_break(s: State, T: Tables, a: Break, ev: list[Happening]) -> None:
    c = _due(s, a.side)
    _replace_commitment(s, c, c._replace(status="broken", settled=s.round))
    _say(s, ev, "broken", f"{_name(T, a.side)} breaks its promise: {T.items[c.item].name}", side=a.side, item=c.item,
         action=str(a))
    _broken(s, T, c, "broken promise", ev)


def _item_effects(s: State, T: Tables, item: str, ev: list[Happening]) -> None:
    t = T.items[item].tension
    if t:
        _add_tension(s, t, T.items[item].name, ev)


def _check_settlement(s: State, T: Tables, ev: list[Happening]) -> None:
    if s.outcome is not None:
        return
    latest = latest_commitments(s)
    need = s.scenario.outcomes.settlement_items
    if all(i in latest and latest[i].status == "verified" for i in need):
        s.outcome = "settlement"
        _say(s, ev, "settlement", "Settlement: " + " and ".join(T.items[i].name for i in need) + " are in force and verified.")


_HANDLERS: dict[type, Callable] = {
    Pass: _do_pass, OpenChannel: _do_open, Call: _do_call, Meet: _do_meet, Exchange: _do_exchange,
    Propose: _do_propose, Give: _do_give, Get: _do_get, Send: _do_send, Cancel: _do_cancel,
    ProposeSummit: _do_summit, Pressure: _do_pressure, Reverse: _do_reverse, Intel: _do_intel, Gift: _do_gift,
    Accept: _do_accept, Reject: _do_reject, Counter: _do_counter, Implement: _do_implement, Fake: _do_fake,
    Break: _do_break,
}


# ---------------------------------------------------------------- flow

def _advance(s: State, T: Tables, ev: list[Happening]) -> None:
    """After a move: settle what phase comes next, ending turns and rounds as they run out."""
    while True:
        if s.outcome is not None:
            _end_game(s, T, ev)
            return
        if s.phase == "draft":
            return
        phase = _turn_phase(s, s.to_move)
        if phase != "act" or s.ap > 0:
            s.phase = phase
            return
        _end_turn(s, T, ev)


def _turn_phase(s: State, side: str) -> str:
    if _waiting(s, side) is not None:
        return "answer"
    if _due(s, side) is not None:
        return "settle"
    return "act"


def _start_turn(s: State, T: Tables, side: str, ev: list[Happening]) -> None:
    s.to_move = side
    s.ap = s.ap_this_round[T.sides.index(side)]
    s.phase = "act"
    _say(s, ev, "turn", f"{_name(T, side)} to move ({s.ap} action point{'s' if s.ap != 1 else ''})", side=side, ap=s.ap)


def _first_side(s: State, T: Tables) -> str:
    parity = "odd" if s.round % 2 else "even"
    return next(side.id for side in s.scenario.sides if side.first_in == parity)


def _end_turn(s: State, T: Tables, ev: list[Happening]) -> None:
    if s.turn == 0:
        s.turn = 1
        _start_turn(s, T, T.other[s.to_move], ev)
        return
    _resolve_round(s, T, ev)
    if s.outcome is None:
        _start_round(s, T, ev)


def _start_round(s: State, T: Tables, ev: list[Happening]) -> None:
    sc = s.scenario
    s.round += 1
    s.turn = 0
    s.summit_round = False
    s.gifts = ()
    s.ap_this_round = tuple(sc.action_points for _ in T.sides)
    _say(s, ev, "round", f"Round {s.round} of {sc.rounds}", tension=s.tension)
    if s.summit_next == s.round:
        _hold_summit(s, T, ev)
    card = sc.event_by_id[s.deck[s.round - 1]]
    _say(s, ev, "event", f"Event: {card.name}. {card.text}", card=card.id)
    for eff in card.effects:
        _event_effect(s, T, eff, ev)
        if s.outcome is not None:
            return
    _start_turn(s, T, _first_side(s, T), ev)


def _hold_summit(s: State, T: Tables, ev: list[Happening]) -> None:
    rule = s.scenario.summit
    s.summit_next = 0
    s.summit_round = True
    s.summits += 1
    s.last_summit = s.round
    _say(s, ev, "summit", "The leaders meet at a summit: big items may be agreed this round.", summits=s.summits)
    ci = T.ch_idx[rule.trust_channel]
    if not s.is_open[ci]:
        _open_channel(s, T, ci, "summit", ev)
    _add_trust(s, T, ci, rule.hotline_bonus, "summit", ev)
    _use(s, ci)
    leg = list(s.legitimacy)
    for side, amount in rule.legitimacy.items():
        leg[T.sides.index(side)] += amount
        _say(s, ev, "legitimacy", f"{_name(T, side)} gains legitimacy ({leg[T.sides.index(side)]})", side=side,
             legitimacy=leg[T.sides.index(side)])
    s.legitimacy = tuple(leg)


def _event_effect(s: State, T: Tables, eff, ev: list[Happening]) -> None:
    sc = s.scenario
    if isinstance(eff, TensionEffect):
        latest = latest_commitments(s)
        if eff.unless_in_force and eff.unless_in_force in latest and latest[eff.unless_in_force].publicly_in_force:
            _say(s, ev, "averted", f"No effect: {T.items[eff.unless_in_force].name} is in force")
            return
        amount = eff.amount
        hi = T.ch_idx[sc.tension.spike_halving_channel]
        if eff.spike and amount > 0 and s.is_open[hi] and s.trust[hi] >= sc.tension.spike_halving_trust:
            amount //= 2
            _say(s, ev, "defused", f"The trusted {T.channel[T.channels[hi]].name} halves the spike")
        _add_tension(s, amount, "event", ev)
    elif isinstance(eff, ChannelEffect):
        targets = range(len(T.channels)) if eff.channel == "*" else (T.ch_idx[eff.channel],)
        for ci in targets:
            if s.is_open[ci]:
                _add_trust(s, T, ci, eff.amount, "event", ev)
                _use(s, ci)
            elif eff.open_if_closed:
                _open_channel(s, T, ci, "event", ev)
    elif isinstance(eff, GiftEffect):
        s.gifts += ((eff.side, eff.item),)
        _say(s, ev, "gift_offer", f"{_name(T, eff.side)} may give {T.items[eff.item].name} this round at no action point",
             side=eff.side, item=eff.item)
    elif isinstance(eff, ValueEffect):
        s.bonuses += ((eff.side, eff.tag, eff.amount),)
        _say(s, ev, "value", f"{_name(T, eff.side)} now values {eff.tag} items {eff.amount} more", side=eff.side,
             tag=eff.tag, amount=eff.amount)
    elif isinstance(eff, RevealEffect):
        claims = [c for c in s.commitments if c.status == "claimed"]
        if not claims:
            _say(s, ev, "reveal", "No unverified claim to look at")
            return
        s.rng, k = rng_below(s.rng, len(claims))
        s.rng, u = rng_float(s.rng)
        if u < eff.chance:
            _resolve_claim(s, T, claims[k], "the satellite pass", ev)
        else:
            _say(s, ev, "reveal", f"Clouds: the imagery of {T.items[claims[k].item].name} shows nothing", item=claims[k].item)
    elif isinstance(eff, ActionPointsEffect):
        ap = list(s.ap_this_round)
        ap[T.sides.index(eff.side)] = eff.amount
        s.ap_this_round = tuple(ap)
        _say(s, ev, "action_points", f"{_name(T, eff.side)} has {eff.amount} action point(s) this round",
             side=eff.side, ap=eff.amount)
    elif isinstance(eff, TieEffect):
        ti = tie_index(sc, eff.a, eff.b)
        ties = list(s.ties)
        before = ties[ti]
        ties[ti] = min(100, max(0, before + eff.amount))
        s.ties = tuple(ties)
        _say(s, ev, "tie", f"{eff.a}-{eff.b} tie {before} -> {ties[ti]}", a=eff.a, b=eff.b, before=before, after=ties[ti])


def _resolve_round(s: State, T: Tables, ev: list[Happening]) -> None:
    """End of round: inspections, decay of unused channels, diffusion, tension drift, end checks."""
    sc = s.scenario
    s.proposals = tuple(p for p in s.proposals if not (p.kind == "open" and s.is_open[T.ch_idx[p.channel]]))
    latest = latest_commitments(s)
    if any(i in latest and latest[i].in_force for i in T.inspection_items):
        for c in [c for c in s.commitments if c.status == "claimed"]:
            _resolve_claim(s, T, c, "inspectors", ev)
            if s.outcome is not None:
                return
    for ci, ch in enumerate(sc.channels):
        if s.is_open[ci] and s.used[ci] != s.round and ch.decay:
            _add_trust(s, T, ci, -ch.decay, "unused", ev)
    rate = sc.trust.diffusion
    if rate:
        before = s.trust
        for ci in range(len(T.channels)):
            if not s.is_open[ci]:
                continue
            others = [before[j] for j in T.partners[ci] if s.is_open[j]]
            if others:
                mean = sum(others) / len(others)
                _set_trust(s, T, ci, before[ci] + rate * (mean - before[ci]), "diffusion", ev)
    _add_tension(s, -sc.tension.drift, "drift", ev)
    if s.tension >= sc.trust.high_tension:
        s.hot_rounds += 1
    _say(s, ev, "round_end", _board_summary(s, T), tension=s.tension, trust=s.trust, open=s.is_open,
         trust_index=s.trust_index())
    if s.round >= sc.rounds and s.outcome is None:
        latest = latest_commitments(s)
        peace = sc.outcomes.peace_item
        s.outcome = "peace" if peace in latest and latest[peace].in_force else "plain"


def debrief_verdict(scenario: Scenario, final: dict[str, float]) -> str:
    """Name what happened: both sides gained, both lost, or one exploited the other."""
    T = tables(scenario)
    (a, sa), (b, sb) = final.items()
    if sa > 0 and sb > 0:
        return "Both sides came out ahead."
    if sa <= 0 and sb <= 0:
        return "Both sides lost." if sa < 0 or sb < 0 else "Neither side gained anything."
    winner, loser = (a, b) if sa > sb else (b, a)
    if min(sa, sb) < 0:
        return f"{_name(T, winner)} exploited {_name(T, loser)}."
    return f"Only {_name(T, winner)} came out ahead."


def _board_summary(s: State, T: Tables) -> str:
    chans = " | ".join(f"{c} {t:g}" if o else f"{c} closed" for c, t, o in zip(T.channels, s.trust, s.is_open))
    return f"End of round {s.round}: tension {s.tension} | {chans} | trust index {s.trust_index():g}"


def _end_game(s: State, T: Tables, ev: list[Happening]) -> None:
    s.phase = "over"
    s.ap = 0
    s.draft = None
    final = scores(s)
    text = {"crisis": "The game ends in crisis.", "settlement": "The game ends in a settlement.",
            "peace": "The game ends in peace: a treaty is in force.",
            "plain": "The game ends after the last round without a treaty."}[s.outcome]
    verdict = debrief_verdict(s.scenario, final)
    _say(s, ev, "game_over", text + " Scores: " + ", ".join(f"{_name(T, k)} {v:g}" for k, v in final.items())
         + f". {verdict}", outcome=s.outcome, scores=final, verdict=verdict)
    for side in T.sides:
        cards = agenda_cards(s, side)
        _say(s, ev, "reveal_agenda", f"{_name(T, side)} held: " + ", ".join(c.name for c in cards), side=side,
             cards=tuple(c.id for c in cards))


# ---------------------------------------------------------------- scoring

def _item_value(s: State, T: Tables, side: str, item: str, cards: list[Card]) -> float:
    v = T.items[item].value
    for card in cards:
        v *= card.value.get(item, 1.0)
    tags = T.items[item].tags
    for bside, tag, amount in s.bonuses:
        if bside == side and tag in tags:
            v += amount
    return v


def _item_cost(s: State, T: Tables, side: str, item: str, cards: list[Card], latest: dict[str, Commitment]) -> float:
    it = T.items[item]
    c = it.cost
    for card in cards:
        c *= card.all_cost
        waived = card.cost_waived_by_verified_tag and any(
            x.status == "verified" and x.giver != side and card.cost_waived_by_verified_tag in T.items[x.item].tags
            for x in latest.values())
        if not waived:
            c *= card.tier_cost.get(it.tier, 1.0)
        for tag in it.tags:
            c *= card.tag_cost.get(tag, 1.0)
    return c


def score_breakdown(state: State, side: str, believe_claims: bool = False) -> list[tuple[str, float]]:
    """A side's score as labelled parts (items received and given, agenda bonuses, outcome).

    From the truth, unless `believe_claims`: then the other side's unverified
    claims count as in force, as the side itself sees them (its view uses this).
    """
    s = state
    T = tables(s.scenario)
    sc = s.scenario
    cards = agenda_cards(s, side)
    latest = latest_commitments(s)
    parts: list[tuple[str, float]] = []
    got_base = gave_base = 0.0

    def counted(c: Commitment) -> bool:
        return c.in_force or believe_claims and c.status == "claimed" and c.giver != side

    for c in latest.values():
        if not counted(c):
            continue
        if c.receiver == side:
            parts.append((f"received {T.items[c.item].name}", _item_value(s, T, side, c.item, cards)))
            got_base += T.items[c.item].value
        elif c.giver == side:
            parts.append((f"gave {T.items[c.item].name}", -_item_cost(s, T, side, c.item, cards, latest)))
            gave_base += T.items[c.item].value
    summit_pts = sum(card.summit_points for card in cards)
    mult = 1.0
    for card in cards:
        mult *= card.summit_multiplier
    if summit_pts and s.summits:
        parts.append((f"{s.summits} summit(s)", summit_pts * mult * s.summits))
    for card in cards:
        if card.exploit_bonus and got_base > gave_base:
            parts.append(("received more than it gave", card.exploit_bonus))
        if card.reform_bonus:
            have = all(i in latest and counted(latest[i]) and latest[i].receiver == side for i in card.reform_needs_received)
            own = sum(1 for c in latest.values() if c.giver == side and c.in_force
                      and T.items[c.item].tier == card.reform_needs_own_tier)
            if have and own >= card.reform_needs_count:
                parts.append(("reform", card.reform_bonus))
        if card.high_tension_penalty and s.hot_rounds:
            parts.append((f"{s.hot_rounds} round(s) near the brink", -card.high_tension_penalty * s.hot_rounds))
        if card.opponent_broken_penalty:
            n = s.broken[T.sides.index(T.other[side])]
            if n:
                parts.append((f"{n} promise(s) broken by the other side", -card.opponent_broken_penalty * n))
        for item, pts in card.item_bonus.items():
            if item in latest and counted(latest[item]):
                parts.append((f"{T.items[item].name} in force", pts))
    if s.outcome == "settlement":
        parts.append(("settlement", sc.outcomes.settlement))
    elif s.outcome == "peace":
        parts.append(("peace", sc.outcomes.peace))
    elif s.outcome == "crisis":
        parts.append(("crisis", sc.outcomes.crisis))
    elif s.outcome == "plain":
        parts.append(("final trust", s.trust_index() / sc.outcomes.plain_trust_divisor))
    return parts


def scores(state: State) -> dict[str, float]:
    """Each side's score so far (final once the game is over), rounded to two decimals."""
    T = tables(state.scenario)
    return {side: round(sum(v for _, v in score_breakdown(state, side)), 2) for side in T.sides}
