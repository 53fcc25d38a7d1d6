"""The light policy of `ismcts` on sampled states: item values by the engine's rule, and a fast rollout move.

Both sides of a sampled state are played by `rollout_action`, which reads the
sampled state itself (hidden cards included): a sampled 'trap' fakes its
unverifiable promises. It is sensible on average and random in detail, and
cheap, since the search calls it for every move of every playout.
"""

from __future__ import annotations

import random
from typing import Sequence

from game.actions import (
    Accept, Action, Call, Exchange, Gift, Give, Get, Implement, Intel, Meet, OpenChannel, Pass, Pressure, Propose,
    ProposeSummit,
)
from game.engine import agenda_cards, item_worth, latest_commitments, verified_from


class _Values:
    """Value and cost of every item for one side holding given cards, by the engine's rule (cached per situation)."""

    __slots__ = ("value", "cost", "trap", "fake_ok")

    def __init__(self, T, side: str, cards, bonuses, verified):
        self.value = {}
        self.cost = {}
        for item in T.items:
            w = item_worth(T, side, item, cards, bonuses, verified)
            self.value[item] = w.value + w.bonus
            self.cost[item] = w.cost - w.bonus
        self.trap = any(card.exploit_bonus > 0 for card in cards)
        self.fake_ok = self.trap


_values_cache: dict[tuple, _Values] = {}
_waivers_cache: dict[tuple, tuple[str, ...]] = {}


def _values(state, T, side: str) -> _Values:
    """The side's item values in this state: by its cards, the game's value bonuses and any cost waiver in effect."""
    agenda = state.agendas[T.sides.index(side)]
    waivers = _waivers_cache.get((id(T), side, agenda))
    if waivers is None:
        waivers = _waivers_cache[(id(T), side, agenda)] = tuple(sorted(
            {c.cost_waived_by_verified_tag for c in agenda_cards(state, side) if c.cost_waived_by_verified_tag}))
    verified = verified_from(latest_commitments(state), side) if waivers else ()
    # Only whether each waiving tag is verified matters, so that is what the cache key holds.
    waived = tuple(t for t in waivers if any(t in T.items[i].tags for i in verified))
    key = (id(T), side, agenda, state.bonuses, waived)
    v = _values_cache.get(key)
    if v is None:
        v = _values_cache[key] = _Values(T, side, agenda_cards(state, side), state.bonuses, verified)
    return v


def rollout_action(state, legal: Sequence[Action], rng: random.Random, T) -> Action:
    """A light, fast policy for either side of a sampled state: sensible on average, random in detail."""
    side = state.to_move
    phase = state.phase
    me = _values(state, T, side)
    if phase == "answer":
        p = next(p for p in state.proposals if p.receiver == side)
        acc = legal[0] if isinstance(legal[0], Accept) else None
        if acc is None:
            return T.reject[side]
        if p.kind != "deal":
            return acc if (p.kind == "open" or rng.random() < 0.8) else T.reject[side]
        gain = sum(me.value[i] for i in p.give) - sum(0.0 if me.fake_ok and not T.items[i].verifiable
                                                      else me.cost[i] for i in p.get)
        return acc if gain >= 0 else T.reject[side]
    if phase == "settle":
        brk = legal[-1]
        item = brk.item
        it = T.items[item]
        if me.trap:
            if not it.verifiable and len(legal) == 3:
                return legal[1]  # fake
            if it.tier == "strategic" or it.inspection:
                return brk
        if isinstance(legal[0], Implement) and rng.random() < 0.95:
            return legal[0]
        return brk
    if phase == "draft":
        d = state.draft
        if d.give or d.get:
            return T.send[side]
        gives = [a for a in legal if isinstance(a, Give)]
        gets = [a for a in legal if isinstance(a, Get)]
        if not gets:
            return gives[0] if gives else legal[-1]
        want = max(gets, key=lambda a: me.value[a.item] + 0.3 * rng.random())
        need = T.items[want.item].cost
        ok = [a for a in gives if T.items[a.item].value >= need]
        if ok:
            return min(ok, key=lambda a: (0.0 if me.fake_ok and not T.items[a.item].verifiable else me.cost[a.item])
                       + 0.3 * rng.random())
        return want
    # act
    tension = state.tension
    weights = []
    total = 0.0
    for a in legal:
        t = type(a)
        if t is Pass:
            w = 0.6
        elif t is Call:
            w = 6.0 if tension >= 6 else 1.0
        elif t is Meet:
            w = 0.7
        elif t is Exchange:
            w = 1.0
        elif t is OpenChannel:
            w = 3.0
        elif t is Propose:
            w = 2.0
        elif t is ProposeSummit:
            w = 3.0 if me.trap else 1.0
        elif t is Pressure:
            w = 0.15 if tension <= 5 else 0.0
        elif t is Gift:
            w = 5.0
        elif t is Intel:
            w = 0.3
        else:  # Reverse
            w = 0.02
        weights.append(w)
        total += w
    u = rng.random() * total
    for a, w in zip(legal, weights):
        u -= w
        if u < 0:
            return a
    return legal[0]
