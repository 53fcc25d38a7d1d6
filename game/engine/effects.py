"""The small state changes every move and the flow share: spending, trust, tension, promises kept and broken."""

from __future__ import annotations

from game.actions import Action
# The enums' members through plain namespaces (game.happenings.members): a fraction of the lookup time on 3.11.
from game.happenings import CAUSE as Cause, KIND as K, OUTCOME as Outcome, STATUS as St, HappeningKind
from game.state import Commitment, Happening, State
from game.engine.legality import latest_commitments
from game.engine.lookup import Tables, _trust_channel


def _say(s: State, ev: list[Happening], kind: HappeningKind, to: str | None = None, **data) -> None:
    """Record a happening: data only (game.happenings.DATA_KEYS lists each kind's keys); the narrator words it."""
    ev.append(_new_tuple(Happening, (s.round, kind, to, data)))  # Happening(...) without its __new__'s frame


_new_tuple = tuple.__new__


def _commitment_data(c: Commitment) -> dict:
    """A commitment's fields as happening data (COMMITMENT_KEYS)."""
    return {"item": c.item, "giver": c.giver, "receiver": c.receiver, "channel": c.channel or None,
            "agreed": c.agreed, "due": c.due, "status": c.status}


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
        _say(s, ev, K.TRUST, channel=T.channels[ci], before=before, after=value, cause=cause)


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
    _say(s, ev, K.CHANNEL_OPENED, channel=T.channels[ci], trust=t[ci], cause=cause)


def _add_tension(s: State, delta: int, cause: str, ev: list[Happening], item: str | None = None) -> None:
    rules = s.scenario.tension
    before = s.tension
    after = min(rules.crisis, max(0, before + delta))
    if after != before:
        s.tension = after
        _say(s, ev, K.TENSION, before=before, after=after, cause=cause, item=item)
    if after >= rules.crisis and s.outcome is None:
        s.outcome = Outcome.CRISIS
        _say(s, ev, K.CRISIS, tension=after, outcome=Outcome.CRISIS)


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
                fallen = c._replace(status=St.FALLEN, settled=s.round)
                _replace_commitment(s, c, fallen)
                _say(s, ev, K.FALLEN, because=item, **_commitment_data(fallen))
                _fall_dependents(s, T, dep, ev)


def _resolve_claim(s: State, T: Tables, c: Commitment, by: str, ev: list[Happening]) -> None:
    """Check a claim: a true one becomes verified; a false one is exposed, a broken promise."""
    if c.done:
        checked = c._replace(status=St.VERIFIED)
        _replace_commitment(s, c, checked)
        _say(s, ev, K.VERIFIED, by=by, **_commitment_data(checked))
        _check_settlement(s, T, ev)
    else:
        checked = c._replace(status=St.EXPOSED, settled=s.round)
        _replace_commitment(s, c, checked)
        _say(s, ev, K.EXPOSED, by=by, **_commitment_data(checked))
        _broken(s, T, c, Cause.EXPOSED, ev)
        _fall_dependents(s, T, c.item, ev)


def _claim(s: State, T: Tables, c: Commitment, done: bool, ev: list[Happening]) -> None:
    """Report an unverifiable item implemented, truly or not: in public both look exactly alike."""
    claimed = c._replace(status=St.CLAIMED, done=done, settled=s.round)
    _replace_commitment(s, c, claimed)
    _say(s, ev, K.CLAIMED, side=c.giver, **_commitment_data(claimed))
    _say(s, ev, K.TRUTH, to=c.giver, side=c.giver, item=c.item, done=done)
    _kept(s, T, c.channel, Cause.KEPT, ev)
    _item_effects(s, T, c.item, ev)


def _item_effects(s: State, T: Tables, item: str, ev: list[Happening]) -> None:
    t = T.items[item].tension
    if t:
        _add_tension(s, t, Cause.ITEM, ev, item)


def _check_settlement(s: State, T: Tables, ev: list[Happening]) -> None:
    if s.outcome is not None:
        return
    latest = latest_commitments(s)
    need = s.scenario.outcomes.settlement_items
    if all(i in latest and latest[i].status == "verified" for i in need):
        s.outcome = Outcome.SETTLEMENT
        _say(s, ev, K.SETTLEMENT, items=tuple(need), outcome=Outcome.SETTLEMENT)
