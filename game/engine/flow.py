"""When things end: turns, rounds, summits, event cards, the round's resolution and the end of the game."""

from __future__ import annotations

from game.graph import tie_index
from game.scenario import (
    ActionPointsEffect, ChannelEffect, GiftEffect, RevealEffect, TensionEffect, TieEffect, ValueEffect,
)
from game.state import Happening, rng_below, rng_float, State
from game.engine.effects import _add_tension, _add_trust, _open_channel, _resolve_claim, _say, _set_trust, _use
from game.engine.legality import _due, latest_commitments, _waiting
from game.engine.scoring import debrief_verdict, scores
from game.engine.lookup import agenda_cards, _name, Tables


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
