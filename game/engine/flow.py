"""When things end: turns, rounds, summits, event cards, the round's resolution and the end of the game."""

from __future__ import annotations

from game.graph import tie_index
from game.scenario import (
    ActionPointsEffect, ChannelEffect, GiftEffect, RevealEffect, TensionEffect, TieEffect, ValueEffect,
)
from game.happenings import CAUSE as Cause, KIND as K, OUTCOME as Outcome, PHASE as Phase
from game.state import Happening, rng_below, rng_float, State
from game.engine.effects import _add_tension, _add_trust, _open_channel, _resolve_claim, _say, _set_trust, _use
from game.engine.legality import _due, latest_commitments, _waiting
from game.engine.scoring import scores, verdict
from game.engine.lookup import agenda_cards, Tables


# ---------------------------------------------------------------- flow

def _advance(s: State, T: Tables, ev: list[Happening]) -> None:
    """After a move: settle what phase comes next, ending turns and rounds as they run out."""
    while True:
        if s.outcome is not None:
            _end_game(s, T, ev)
            return
        if s.phase == Phase.DRAFT:
            return
        if s.turn == 0 and s.scenario.settle_at_round_start and _settling_early(s, T, ev):
            return
        phase = _turn_phase(s, s.to_move)
        if phase != Phase.ACT or s.ap > 0:
            s.phase = phase
            return
        _end_turn(s, T, ev)


def _turn_phase(s: State, side: str) -> str:
    if _waiting(s, side) is not None:
        return Phase.ANSWER
    if _due(s, side) is not None:
        return Phase.SETTLE
    return Phase.ACT


def _settling_early(s: State, T: Tables, ev: list[Happening]) -> bool:
    """With `settle_at_round_start`: whether the second mover settles now, before the first mover acts.

    Once the first mover has answered and settled, the move passes to the
    second mover while it has promises due, then back: what both sides owe
    this round is settled before either acts, so a deal proposed this round
    sees every prerequisite that fell due, whoever gave it.
    """
    first = _first_side(s, T)
    second = T.other[first]
    if s.to_move == first:
        if _due(s, second) is None or _turn_phase(s, first) != Phase.ACT:
            return False
        s.to_move = second
        s.ap = 0
        _say(s, ev, K.TURN, side=second, ap=0)
    if _due(s, second) is not None:
        s.phase = Phase.SETTLE
        return True
    # Answering and settling cost no action points: the first mover has all of this round's still.
    _start_turn(s, T, first, ev)
    return False


def _start_turn(s: State, T: Tables, side: str, ev: list[Happening]) -> None:
    s.to_move = side
    s.ap = s.ap_this_round[T.sides.index(side)]
    s.phase = Phase.ACT
    _say(s, ev, K.TURN, side=side, ap=s.ap)


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
    s.ap_this_round = (sc.action_points,) * len(T.sides)
    _say(s, ev, K.ROUND, round=s.round, rounds=sc.rounds, tension=s.tension, trust=dict(zip(T.channels, s.trust)),
         open=dict(zip(T.channels, s.is_open)))
    if s.summit_next == s.round:
        _hold_summit(s, T, ev)
    card = sc.event_by_id[s.deck[s.round - 1]]
    _say(s, ev, K.EVENT, card=card.id)
    for eff in card.effects:
        _event_effect(s, T, card.id, eff, ev)
        if s.outcome is not None:
            return
    _start_turn(s, T, _first_side(s, T), ev)


def _hold_summit(s: State, T: Tables, ev: list[Happening]) -> None:
    rule = s.scenario.summit
    s.summit_next = 0
    s.summit_round = True
    s.summits += 1
    s.last_summit = s.round
    _say(s, ev, K.SUMMIT, summits=s.summits, channel=rule.trust_channel)
    ci = T.ch_idx[rule.trust_channel]
    if not s.is_open[ci]:
        _open_channel(s, T, ci, Cause.SUMMIT, ev)
    _add_trust(s, T, ci, rule.hotline_bonus, Cause.SUMMIT, ev)
    _use(s, ci)
    leg = list(s.legitimacy)
    for side, amount in rule.legitimacy.items():
        si = T.sides.index(side)
        leg[si] += amount
        _say(s, ev, K.LEGITIMACY, side=side, before=leg[si] - amount, after=leg[si])
    s.legitimacy = tuple(leg)


def _event_effect(s: State, T: Tables, card: str, eff, ev: list[Happening]) -> None:
    sc = s.scenario
    if isinstance(eff, TensionEffect):
        latest = latest_commitments(s)
        if eff.unless_in_force and eff.unless_in_force in latest and latest[eff.unless_in_force].publicly_in_force:
            _say(s, ev, K.AVERTED, card=card, item=eff.unless_in_force, amount=eff.amount)
            return
        amount = eff.amount
        hi = T.ch_idx[sc.tension.spike_halving_channel]
        if eff.spike and amount > 0 and s.is_open[hi] and s.trust[hi] >= sc.tension.spike_halving_trust:
            amount //= 2
            _say(s, ev, K.DEFUSED, card=card, channel=T.channels[hi], trust=s.trust[hi], amount=eff.amount,
                 halved=amount)
        _add_tension(s, amount, Cause.EVENT, ev)
    elif isinstance(eff, ChannelEffect):
        targets = range(len(T.channels)) if eff.channel == "*" else (T.ch_idx[eff.channel],)
        for ci in targets:
            if s.is_open[ci]:
                _add_trust(s, T, ci, eff.amount, Cause.EVENT, ev)
                _use(s, ci)
            elif eff.open_if_closed:
                _open_channel(s, T, ci, Cause.EVENT, ev)
    elif isinstance(eff, GiftEffect):
        s.gifts += ((eff.side, eff.item),)
        _say(s, ev, K.GIFT_OFFER, side=eff.side, item=eff.item)
    elif isinstance(eff, ValueEffect):
        s.bonuses += ((eff.side, eff.tag, eff.amount),)
        _say(s, ev, K.VALUE, side=eff.side, tag=eff.tag, amount=eff.amount, cause=Cause.EVENT)
    elif isinstance(eff, RevealEffect):
        claims = [c for c in s.commitments if c.status == "claimed"]
        if not claims:
            _say(s, ev, K.REVEAL, card=card, result="none", item=None)
            return
        s.rng, k = rng_below(s.rng, len(claims))
        s.rng, u = rng_float(s.rng)
        if u < eff.chance:
            _resolve_claim(s, T, claims[k], "the satellite pass", ev)
        else:
            _say(s, ev, K.REVEAL, card=card, result="clouds", item=claims[k].item)
    elif isinstance(eff, ActionPointsEffect):
        ap = list(s.ap_this_round)
        ap[T.sides.index(eff.side)] = eff.amount
        s.ap_this_round = tuple(ap)
        _say(s, ev, K.ACTION_POINTS, side=eff.side, ap=eff.amount)
    elif isinstance(eff, TieEffect):
        ti = tie_index(sc, eff.a, eff.b)
        ties = list(s.ties)
        before = ties[ti]
        ties[ti] = min(100, max(0, before + eff.amount))
        s.ties = tuple(ties)
        _say(s, ev, K.TIE, a=eff.a, b=eff.b, before=before, after=ties[ti])


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
            _add_trust(s, T, ci, -ch.decay, Cause.UNUSED, ev)
    rate = sc.trust.diffusion
    if rate:
        before = s.trust
        for ci in range(len(T.channels)):
            if not s.is_open[ci]:
                continue
            others = [before[j] for j in T.partners[ci] if s.is_open[j]]
            if others:
                mean = sum(others) / len(others)
                _set_trust(s, T, ci, before[ci] + rate * (mean - before[ci]), Cause.DIFFUSION, ev)
    _add_tension(s, -sc.tension.drift, Cause.DRIFT, ev)
    if s.tension >= sc.trust.high_tension:
        s.hot_rounds += 1
    _say(s, ev, K.ROUND_END, round=s.round, tension=s.tension, trust=dict(zip(T.channels, s.trust)),
         open=dict(zip(T.channels, s.is_open)), trust_index=s.trust_index())
    if s.round >= sc.rounds and s.outcome is None:
        latest = latest_commitments(s)
        peace = sc.outcomes.peace_item
        s.outcome = Outcome.PEACE if peace in latest and latest[peace].in_force else Outcome.PLAIN


def _end_game(s: State, T: Tables, ev: list[Happening]) -> None:
    s.phase = Phase.OVER
    s.ap = 0
    s.draft = None
    final = scores(s)
    judged, winner, loser = verdict(final)
    _say(s, ev, K.GAME_OVER, outcome=s.outcome, scores=final, verdict=judged, winner=winner, loser=loser)
    for side in T.sides:
        _say(s, ev, K.REVEAL_AGENDA, side=side, cards=tuple(c.id for c in agenda_cards(s, side)))
