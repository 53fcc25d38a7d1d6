"""What each action does (the `_do_*` move handlers) and `apply`, the one way to change a game."""

from __future__ import annotations

from typing import Callable

from game.actions import (
    Accept, Action, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, IllegalActionError, Implement,
    Intel, Meet, OpenChannel, Pass, Pressure, Propose, ProposeSummit, Reject, Reverse, Send,
)
from game.state import Commitment, Draft, Happening, Proposal, rng_below, rng_float, State
from game.engine.effects import (
    _add_tension, _add_trust, _broken, _check_settlement, _claim, _fall_dependents, _gain, _item_effects, _kept,
    _open_channel, _replace_commitment, _resolve_claim, _say, _spend, _use,
)
from game.engine.flow import _advance
from game.engine.legality import _due, explain_illegal, legal_actions, _rule_out_candidates, _waiting
from game.engine.lookup import _channel_name, deal_text, _name, SUMMIT, Tables, tables


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


def _do_give(s: State, T: Tables, a: Give, ev: list[Happening]) -> None:
    s.draft = s.draft._replace(give=s.draft.give + (a.item,))
    _say(s, ev, "draft", f"Draft: {_name(T, a.side)} would give {T.items[a.item].name}", to=a.side, item=a.item)


def _do_get(s: State, T: Tables, a: Get, ev: list[Happening]) -> None:
    s.draft = s.draft._replace(get=s.draft.get + (a.item,))
    _say(s, ev, "draft", f"Draft: {_name(T, a.side)} asks for {T.items[a.item].name}", to=a.side, item=a.item)


def _do_send(s: State, T: Tables, a: Send, ev: list[Happening]) -> None:
    d = s.draft
    s.draft = None
    s.phase = "act"
    s.proposals += (Proposal("deal", a.side, T.other[a.side], s.round, d.channel, d.give, d.get, d.counter),)
    word = "counters" if d.counter else "proposes"
    _say(s, ev, "proposal", f"{_name(T, a.side)} {word} through {_channel_name(T, d.channel)}: {deal_text(T, d.give, d.get)}",
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
        _say(s, ev, "deal", f"Deal signed: {sender} {deal_text(T, p.give, p.get)}", side=a.side, proposal="deal",
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


def _do_break(s: State, T: Tables, a: Break, ev: list[Happening]) -> None:
    c = _due(s, a.side)
    _replace_commitment(s, c, c._replace(status="broken", settled=s.round))
    _say(s, ev, "broken", f"{_name(T, a.side)} breaks its promise: {T.items[c.item].name}", side=a.side, item=c.item,
         action=str(a))
    _broken(s, T, c, "broken promise", ev)


_HANDLERS: dict[type, Callable] = {
    Pass: _do_pass, OpenChannel: _do_open, Call: _do_call, Meet: _do_meet, Exchange: _do_exchange,
    Propose: _do_propose, Give: _do_give, Get: _do_get, Send: _do_send, Cancel: _do_cancel,
    ProposeSummit: _do_summit, Pressure: _do_pressure, Reverse: _do_reverse, Intel: _do_intel, Gift: _do_gift,
    Accept: _do_accept, Reject: _do_reject, Counter: _do_counter, Implement: _do_implement, Fake: _do_fake,
    Break: _do_break,
}
