"""Per-scenario lookup tables (built once per scenario), the deal limits, and the deal text the views show."""

from __future__ import annotations

from game.actions import (
    Accept, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, Implement, Meet, OpenChannel, Pass,
    Pressure, Propose, ProposeSummit, Reject, Reverse, Send,
)
from game.graph import diffusion_partners
from game.scenario import Card, Scenario
from game.state import State


MAX_DEAL_ITEMS = 3  # items each way in one deal


SUMMIT = "summit"   # the pseudo-channel of deals made at a summit
NO_SUMMIT = -100     # last_summit before the first summit: further back than any cooldown


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
        self.gw_index = tuple(self.item_idx[i] for i in self.gw_items)  # their places in the groundwork tuple
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
_last: tuple[Scenario | None, Tables | None] = (None, None)  # the scenario asked for last: a match asks for it often


def tables(sc: Scenario) -> Tables:
    """The lookup tables of a scenario, built once per scenario object."""
    global _last
    if sc is _last[0]:
        return _last[1]
    hit = _TABLES.get(id(sc))
    if hit is None or hit[0] is not sc:
        hit = _TABLES[id(sc)] = (sc, Tables(sc))  # holding sc keeps its id from being reused
    _last = hit
    return hit[1]


# ---------------------------------------------------------------- the hidden cards, and names for happenings and views

def agenda_cards(state: State, side: str) -> list[Card]:
    """The hidden cards a side holds (the truth: only for the engine, scoring and that side's view)."""
    T = tables(state.scenario)
    ids = state.agendas[T.sides.index(side)]
    return [T.card[d.id][cid] for d, cid in zip(T.decks_of[side], ids)]


def deal_text(T: Tables, give: tuple[str, ...], get: tuple[str, ...]) -> str:
    """A deal's contents in words, from the sender's side: 'gives X, Y; asks for Z'."""
    g = ", ".join(T.items[i].name for i in give) or "nothing"
    r = ", ".join(T.items[i].name for i in get) or "nothing"
    return f"gives {g}; asks for {r}"


def _trust_channel(T: Tables, channel: str) -> str:
    return T.sc.summit.trust_channel if channel == SUMMIT else channel
