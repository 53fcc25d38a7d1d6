"""What each action does (the `_do_*` move handlers) and `apply`, the one way to change a game."""

from __future__ import annotations

from typing import Callable

from game.actions import (
    Accept, Action, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, IllegalActionError, Implement,
    Intel, Meet, OpenChannel, Pass, Pressure, Propose, ProposeSummit, Reject, Reverse, Send,
)
from game.happenings import CAUSE as Cause, KIND as K, PHASE as Phase, STATUS as St
from game.state import Commitment, Draft, Happening, Proposal, rng_below, rng_float, State
from game.engine.effects import (
    _add_tension, _add_trust, _broken, _check_settlement, _claim, _commitment_data, _fall_dependents, _gain,
    _item_effects, _kept, _open_channel, _replace_commitment, _resolve_claim, _say, _spend, _use,
)
from game.engine.flow import _advance
from game.engine.explain import explain_illegal
from game.engine.legality import _due, legal_actions, _rule_out_candidates, _waiting
from game.engine.lookup import SUMMIT, Tables, tables


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
    _say(s, ev, K.ACTION, side=a.side, action=str(a), verb=a.verb, channel=None, item=None)
    s.ap = 0


def _do_open(s: State, T: Tables, a: OpenChannel, ev: list[Happening]) -> None:
    _spend(s, a)
    s.proposals += (Proposal("open", a.side, T.other[a.side], s.round, channel=a.channel),)
    _say(s, ev, K.PROPOSAL, side=a.side, action=str(a), receiver=T.other[a.side], proposal="open", channel=a.channel,
         give=(), get=(), counter=False)


def _do_call(s: State, T: Tables, a: Call, ev: list[Happening]) -> None:
    _spend(s, a)
    rules = s.scenario.tension
    ci = T.ch_idx["hotline"]
    _say(s, ev, K.ACTION, side=a.side, action=str(a), verb=a.verb, channel="hotline", item=None)
    strong = s.trust[ci] >= rules.call_strong_trust
    _add_trust(s, T, ci, _gain(s, ci, T.channel["hotline"].gain), Cause.CALL, ev)
    _use(s, ci)
    _add_tension(s, rules.call_strong if strong else rules.call, Cause.CALL, ev)


def _do_meet(s: State, T: Tables, a: Meet, ev: list[Happening]) -> None:
    _spend(s, a)
    ci = T.ch_idx["working"]
    _say(s, ev, K.ACTION, side=a.side, action=str(a), verb=a.verb, channel="working", item=a.item)
    _add_trust(s, T, ci, _gain(s, ci, T.channel["working"].gain), Cause.MEETING, ev)
    _use(s, ci)
    if a.item:
        ii = T.item_idx[a.item]
        g = list(s.groundwork)
        g[ii] += 1
        s.groundwork = tuple(g)
        _say(s, ev, K.GROUNDWORK, side=a.side, item=a.item, before=g[ii] - 1, after=g[ii], needed=T.gw_needed)


def _do_exchange(s: State, T: Tables, a: Exchange, ev: list[Happening]) -> None:
    _spend(s, a)
    ci = T.ch_idx["exchange"]
    _say(s, ev, K.ACTION, side=a.side, action=str(a), verb=a.verb, channel="exchange", item=None)
    _add_trust(s, T, ci, _gain(s, ci, T.channel["exchange"].gain), Cause.EXCHANGE, ev)
    _use(s, ci)


def _do_propose(s: State, T: Tables, a: Propose, ev: list[Happening]) -> None:
    _spend(s, a)
    s.draft = Draft(a.channel)
    s.phase = Phase.DRAFT
    if a.channel != SUMMIT:
        _use(s, T.ch_idx[a.channel])
    _say(s, ev, K.DRAFT, to=a.side, side=a.side, step="start", channel=a.channel, item=None)


def _do_give(s: State, T: Tables, a: Give, ev: list[Happening]) -> None:
    s.draft = s.draft._replace(give=s.draft.give + (a.item,))
    _say(s, ev, K.DRAFT, to=a.side, side=a.side, step="give", channel=s.draft.channel, item=a.item)


def _do_get(s: State, T: Tables, a: Get, ev: list[Happening]) -> None:
    s.draft = s.draft._replace(get=s.draft.get + (a.item,))
    _say(s, ev, K.DRAFT, to=a.side, side=a.side, step="get", channel=s.draft.channel, item=a.item)


def _do_send(s: State, T: Tables, a: Send, ev: list[Happening]) -> None:
    d = s.draft
    s.draft = None
    s.phase = Phase.ACT
    s.proposals += (Proposal("deal", a.side, T.other[a.side], s.round, d.channel, d.give, d.get, d.counter),)
    _say(s, ev, K.PROPOSAL, side=a.side, action=str(a), receiver=T.other[a.side], proposal="deal", channel=d.channel,
         give=d.give, get=d.get, counter=d.counter)


def _do_cancel(s: State, T: Tables, a: Cancel, ev: list[Happening]) -> None:
    s.draft = None
    s.phase = Phase.ACT
    _say(s, ev, K.ACTION, side=a.side, action=str(a), verb=a.verb, channel=None, item=None)


def _do_summit(s: State, T: Tables, a: ProposeSummit, ev: list[Happening]) -> None:
    _spend(s, a)
    s.proposals += (Proposal("summit", a.side, T.other[a.side], s.round),)
    _say(s, ev, K.PROPOSAL, side=a.side, action=str(a), receiver=T.other[a.side], proposal="summit", channel=None,
         give=(), get=(), counter=False)


def _do_pressure(s: State, T: Tables, a: Pressure, ev: list[Happening]) -> None:
    _spend(s, a)
    sc = s.scenario
    move = T.pressure[a.side][a.move]
    _say(s, ev, K.PRESSURE, side=a.side, action=str(a), move=a.move)
    for ci in range(len(T.channels)):
        _add_trust(s, T, ci, -sc.trust.pressure_loss, Cause.PRESSURE, ev)
    boost = T.side[a.side].pressure_boost
    si = T.sides.index(a.side)
    if boost and s.boost_used[si] < boost.cap:
        amount = min(boost.amount, boost.cap - s.boost_used[si])
        used = list(s.boost_used)
        used[si] += amount
        s.boost_used = tuple(used)
        s.bonuses += ((boost.side, boost.tag, amount),)
        _say(s, ev, K.VALUE, side=boost.side, tag=boost.tag, amount=amount, cause=Cause.PRESSURE)
    if move.breaks:
        for c in s.commitments:
            if c.item == move.breaks and c.giver == a.side and c.publicly_in_force:
                broken = c._replace(status=St.BROKEN, settled=s.round)
                _replace_commitment(s, c, broken)
                _say(s, ev, K.BROKEN, side=a.side, how="pressure", **_commitment_data(broken))
                _broken(s, T, c, Cause.BROKEN, ev)
                _fall_dependents(s, T, c.item, ev)
    _add_tension(s, sc.tension.pressure, Cause.PRESSURE, ev)


def _do_reverse(s: State, T: Tables, a: Reverse, ev: list[Happening]) -> None:
    _spend(s, a)
    c = next(c for c in s.commitments if c.item == a.item and c.giver == a.side and c.status == "verified")
    reversed_ = c._replace(status=St.REVERSED, settled=s.round)
    _replace_commitment(s, c, reversed_)
    _say(s, ev, K.REVERSED, side=a.side, action=str(a), **_commitment_data(reversed_))
    _broken(s, T, c, Cause.REVERSAL, ev)
    _fall_dependents(s, T, a.item, ev)


def _do_intel(s: State, T: Tables, a: Intel, ev: list[Happening]) -> None:
    _spend(s, a)
    move = T.intel[a.side][a.move]
    _say(s, ev, K.ACTION, side=a.side, action=str(a), verb=a.verb, channel=None, item=a.target)
    if move.kind == "rule_out":
        cands = _rule_out_candidates(s, T, a.side, move.deck)
        s.rng, k = rng_below(s.rng, len(cands))
        card = T.card[move.deck][cands[k]]
        si = T.sides.index(a.side)
        r = list(s.ruled_out)
        r[si] = r[si] + ((move.deck, card.id),)
        s.ruled_out = tuple(r)
        _say(s, ev, K.INTEL, to=a.side, side=a.side, move=a.move, result="ruled_out", deck=move.deck, card=card.id,
             item=None)
    else:
        c = next(c for c in s.commitments if c.item == a.target and c.status == "claimed")
        s.rng, u = rng_float(s.rng)
        if u < move.chance:
            _resolve_claim(s, T, c, "intelligence", ev)
        else:
            _say(s, ev, K.INTEL, to=a.side, side=a.side, move=a.move, result="inconclusive", deck=None, card=None,
                 item=c.item)


def _do_gift(s: State, T: Tables, a: Gift, ev: list[Happening]) -> None:
    s.gifts = tuple(g for g in s.gifts if g != (a.side, a.item))
    c = Commitment(a.item, a.side, T.other[a.side], "", s.round, s.round, St.VERIFIED, True, s.round)
    s.commitments += (c,)
    _say(s, ev, K.KEPT, side=a.side, action=str(a), how="gift", **_commitment_data(c))
    _kept(s, T, None, Cause.GIFT, ev)
    _item_effects(s, T, a.item, ev)


def _do_accept(s: State, T: Tables, a: Accept, ev: list[Happening]) -> None:
    p = _waiting(s, a.side)
    s.proposals = tuple(q for q in s.proposals if q is not p)
    if p.kind == "open":
        _say(s, ev, K.ACCEPTED, side=a.side, sender=p.sender, proposal="open", channel=p.channel, at=None)
        _open_channel(s, T, T.ch_idx[p.channel], Cause.AGREED, ev)
    elif p.kind == "summit":
        s.summit_next = s.round + 1
        _say(s, ev, K.ACCEPTED, side=a.side, sender=p.sender, proposal="summit", channel=None, at=s.summit_next)
    else:
        _say(s, ev, K.DEAL, side=a.side, sender=p.sender, proposal="deal", channel=p.channel, give=p.give, get=p.get)
        for item in p.give + p.get:
            it = T.items[item]
            giver = it.giver
            due = s.round + T.delay[it.tier]
            c = Commitment(item, giver, T.other[giver], p.channel, s.round, due)
            s.commitments += (c,)
            _say(s, ev, K.COMMITMENT, **_commitment_data(c))
        _add_tension(s, s.scenario.tension.deal_signed, Cause.DEAL, ev)


def _do_reject(s: State, T: Tables, a: Reject, ev: list[Happening]) -> None:
    p = _waiting(s, a.side)
    s.proposals = tuple(q for q in s.proposals if q is not p)
    _say(s, ev, K.REJECTED, side=a.side, sender=p.sender, proposal=p.kind, channel=p.channel)


def _do_counter(s: State, T: Tables, a: Counter, ev: list[Happening]) -> None:
    p = _waiting(s, a.side)
    s.proposals = tuple(q for q in s.proposals if q is not p)
    s.draft = Draft(p.channel, counter=True)
    s.phase = Phase.DRAFT
    _say(s, ev, K.COUNTERING, side=a.side, sender=p.sender, channel=p.channel)


def _do_implement(s: State, T: Tables, a: Implement, ev: list[Happening]) -> None:
    c = _due(s, a.side)
    if T.items[c.item].verifiable:
        kept = c._replace(status=St.VERIFIED, done=True, settled=s.round)
        _replace_commitment(s, c, kept)
        _say(s, ev, K.KEPT, side=a.side, action=str(a), how="implemented", **_commitment_data(kept))
        _kept(s, T, c.channel, Cause.KEPT, ev)
        _item_effects(s, T, c.item, ev)
        _check_settlement(s, T, ev)
    else:
        _claim(s, T, c, True, ev)


def _do_fake(s: State, T: Tables, a: Fake, ev: list[Happening]) -> None:
    _claim(s, T, _due(s, a.side), False, ev)


def _do_break(s: State, T: Tables, a: Break, ev: list[Happening]) -> None:
    c = _due(s, a.side)
    broken = c._replace(status=St.BROKEN, settled=s.round)
    _replace_commitment(s, c, broken)
    _say(s, ev, K.BROKEN, side=a.side, how="break", **_commitment_data(broken))
    _broken(s, T, c, Cause.BROKEN, ev)


_HANDLERS: dict[type, Callable] = {
    Pass: _do_pass, OpenChannel: _do_open, Call: _do_call, Meet: _do_meet, Exchange: _do_exchange,
    Propose: _do_propose, Give: _do_give, Get: _do_get, Send: _do_send, Cancel: _do_cancel,
    ProposeSummit: _do_summit, Pressure: _do_pressure, Reverse: _do_reverse, Intel: _do_intel, Gift: _do_gift,
    Accept: _do_accept, Reject: _do_reject, Counter: _do_counter, Implement: _do_implement, Fake: _do_fake,
    Break: _do_break,
}
