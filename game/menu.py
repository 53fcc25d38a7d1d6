"""The menu a person picks from, and the deal builder's options, from a view alone.

`action_menu(view)` lists every move the side to move could make this turn,
grouped and labelled, each with its cost, its effect in one line, whether it
is legal now and, if not, why not. `deal_options(view, channel, give, get)`
says which items can still go into a deal being composed and why the others
cannot, without applying anything. Legality and reasons come from the engine's
rule functions (`game.engine.why_not` on the view's board), the very ones
`legal_actions` calls, so the menu and the engine cannot disagree. This module
only groups, labels and words effects.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from game.actions import (
    Accept, Action, Break, Call, Cancel, Counter, Exchange, Fake, Get, Gift, Give, Implement, Intel, Meet,
    OpenChannel, Pass, Pressure, Propose, ProposeSummit, Reject, Reverse, Send, deal_steps,
)
from game.engine import MAX_DEAL_ITEMS, SUMMIT, deal_item_reasons, latest_commitments, tables, why_not
from game.engine.board import _blocked_items, _counter_blocked, _waiting
from game.engine.scoring import item_worth, verified_from
from game.rule_texts import rule_text
from game.scenario import Scenario
from game.view import PUBLIC, SPECTATOR, View, board

GROUPS = ("answer", "settle", "channels", "deals", "pressure", "intelligence", "pass")

deal_actions = deal_steps  # the actions that compose and send one deal (propose or counter, give..., get..., send)


class MenuEntry(NamedTuple):
    """One move on the menu: `action` is the exact Action to submit (None if there is nothing to aim it at).

    For a deal, `action` is the `Propose` that starts it through that channel.
    `reason` says why not when `legal` is False; `rule` is the rule's paragraph.
    """

    group: str
    key: str
    label: str
    action: Action | None
    cost: int
    effect: str
    legal: bool
    reason: str
    rule: str


class ItemOption(NamedTuple):
    """An item in the deal builder: whether it is in the deal, can be added, why not, and its worth to the viewer.

    `value` is by the viewer's own card: what receiving it is worth (+), or what giving it costs (-).
    """

    item: str
    name: str
    tier: str
    in_deal: bool
    addable: bool
    reason: str
    value: float


class DealOptions(NamedTuple):
    """The deal builder's state: the items one may give and get through a channel, and whether the deal may be sent."""

    channel: str
    give: tuple[ItemOption, ...]
    get: tuple[ItemOption, ...]
    can_send: bool
    why_not_send: str


def _mover(view: View) -> str | None:
    """The side whose menu a view shows: its own side when it is to move (the spectator's: the mover's)."""
    if view.phase == "over" or view.side == PUBLIC:
        return None
    if view.side == SPECTATOR or view.side == view.to_move:
        return view.to_move
    return None


def action_menu(view: View, scenario: Scenario | None = None) -> tuple[MenuEntry, ...]:
    """Every move the side to move could make now, grouped (see GROUPS); empty for another side's view.

    `scenario` is needed only for a view rebuilt from data (a view made by `view()` carries its own).
    """
    side = _mover(view)
    if side is None:
        return ()
    b = board(view, scenario)
    sc = b.scenario
    T = tables(sc)
    out: list[MenuEntry] = []

    def add(group: str, key: str, label: str, action: Action | None, effect: str, reason: str | None = None) -> None:
        why = why_not(b, action) if action is not None else reason
        verb = action.verb if action is not None else key.split(":")[0]
        cost = 1 if action is not None and action.costs_ap else 0
        out.append(MenuEntry(group, key, label, action, cost, effect, why is None, why or "", rule_text(sc, verb)))

    phase = view.phase
    if phase == "answer":
        _answer_entries(view, b, T, side, add)
    elif phase == "settle":
        _settle_entries(view, b, T, side, add)
    elif phase == "draft":
        _draft_entries(view, b, T, side, add)
    else:
        _act_entries(view, b, T, side, add)
    order = {g: n for n, g in enumerate(GROUPS)}
    return tuple(sorted(out, key=lambda e: order[e.group]))  # sorted() is stable: within a group, as added


def _gain(b, T, channel: str) -> float:
    """What using a channel adds to its trust now (half while tension is high, as the engine does)."""
    g = T.channel[channel].gain
    return g / 2 if b.tension >= b.scenario.trust.high_tension else g


def _answer_entries(view: View, b, T, side: str, add) -> None:
    p = _waiting(b, side)
    sc = b.scenario
    if p.kind == "deal":
        what = next(q.text for q in view.proposals if q.receiver == side)
        add("answer", "accept", f"Accept: {what}", Accept(side),
            f"every item becomes a promise; tension {sc.tension.deal_signed:+d}")
        add("answer", "reject", "Reject the deal", Reject(side), "the deal is dropped")
        add("answer", "counter", "Counter: draft your own deal through the same channel", Counter(side),
            "you draft a counter (free) and must send it; they can only accept or reject it")
    elif p.kind == "open":
        name = T.channel[p.channel].name
        add("answer", "accept", f"Agree to open the {name} channel", Accept(side),
            f"the channel opens at trust {sc.trust.opened_at:g}")
        add("answer", "reject", f"Refuse to open the {name} channel", Reject(side), "the channel stays closed")
    else:
        add("answer", "accept", "Accept the summit", Accept(side), f"round {b.round + 1} opens with a summit")
        add("answer", "reject", "Reject the summit", Reject(side), "no summit")


def _settle_entries(view: View, b, T, side: str, add) -> None:
    c = next(c for c in b.commitments if c.giver == side and c.status == "pending" and c.due <= b.round)
    it = T.items[c.item]
    t = b.scenario.trust
    kept = f"a kept promise: trust +{t.kept_same:g} on its channel, +{t.kept_other:g} on the others"
    add("settle", f"implement:{c.item}", f"Implement {it.name}", Implement(side, c.item),
        kept if it.verifiable else f"reported done, unverified; {kept}")
    add("settle", f"fake:{c.item}", f"Claim {it.name} without doing it", Fake(side, c.item),
        "looks like a kept promise until exposed; counts for neither side in the end")
    add("settle", f"break:{c.item}", f"Refuse {it.name} openly", Break(side, c.item),
        f"a broken promise: trust -{t.broken_same:g} on its channel, -{t.broken_other:g} on the others, "
        f"tension +{b.scenario.tension.broken_promise}")


def _draft_entries(view: View, b, T, side: str, add) -> None:
    d = b.draft
    other = T.other[side]
    for item in T.items_of[side]:
        add("deals", f"give:{item}", f"Give {T.items[item].name}", Give(side, item),
            f"you would give it ({T.items[item].tier})")
    for item in T.items_of[other]:
        add("deals", f"get:{item}", f"Ask for {T.items[item].name}", Get(side, item),
            f"you would receive it ({T.items[item].tier})")
    add("deals", "send", "Send the counter" if d.counter else "Send the deal", Send(side),
        "they answer at the start of their next turn")
    add("deals", "cancel", "Drop the draft", Cancel(side), "the action point stays spent")


def _act_entries(view: View, b, T, side: str, add) -> None:
    sc = b.scenario
    latest = latest_commitments(b)
    for ch in sc.channels:
        if not b.is_open[T.ch_idx[ch.id]]:
            add("channels", f"open:{ch.id}", f"Propose opening the {ch.name} channel", OpenChannel(side, ch.id),
                f"they answer at their next turn; it opens at trust {sc.trust.opened_at:g}")
    if "hotline" in T.ch_idx:
        t = sc.tension
        strong = b.trust[T.ch_idx["hotline"]] >= t.call_strong_trust
        add("channels", "call", "Call on the hotline", Call(side),
            f"hotline trust +{_gain(b, T, 'hotline'):g}, tension {t.call_strong if strong else t.call:+d}")
    if "working" in T.ch_idx:
        gain = _gain(b, T, "working")
        need = sc.groundwork.needed
        for item in T.gw_items:
            have = b.groundwork[T.item_idx[item]]
            more = f"; groundwork {have} -> {have + 1} of {need}" if have < need else ""
            add("channels", f"meet:{item}", f"Working-level meeting on {T.items[item].name}", Meet(side, item),
                f"working-level trust +{gain:g}{more}")
        add("channels", "meet", "Working-level meeting (no item)", Meet(side), f"working-level trust +{gain:g}")
    if "exchange" in T.ch_idx:
        add("channels", "exchange", "Cultural exchange", Exchange(side),
            f"exchange trust +{_gain(b, T, 'exchange'):g}")
    add("channels", "summit", "Propose a summit", ProposeSummit(side),
        f"if they accept, round {b.round + 1} opens with a summit: deals of every tier")
    for ch in sc.channels:
        add("deals", f"propose:{ch.id}", f"Propose a deal through the {ch.name} channel", Propose(side, ch.id),
            f"carries {', '.join(t for t in ch.tiers)} items; choose them in the deal builder")
    if b.summit_round:
        add("deals", f"propose:{SUMMIT}", "Propose a deal at the summit", Propose(side, SUMMIT),
            "carries every tier; choose the items in the deal builder")
    for gside, item in b.gifts:
        if gside == side:
            add("deals", f"gift:{item}", f"Give {T.items[item].name} at once (free)", Gift(side, item),
                f"in force at once; every open channel +{sc.trust.kept_other:g} trust")
    _pressure_entries(b, T, side, latest, add)
    _intel_entries(view, b, T, side, add)
    add("pass", "pass", "Pass (end the turn)", Pass(side), "unused action points are lost")


def _pressure_entries(b, T, side: str, latest, add) -> None:
    sc = b.scenario
    boost = T.side[side].pressure_boost
    base = f"tension +{sc.tension.pressure}, every open channel -{sc.trust.pressure_loss:g} trust"
    if boost:
        base += f"; {T.side[boost.side].name} values {boost.tag} items more"
    for move in T.side[side].pressure:
        effect = base
        if move.breaks:
            c = latest.get(move.breaks)
            if c is not None and c.giver == side and c.publicly_in_force:
                effect += f"; breaks your promise: {T.items[move.breaks].name}"
        add("pressure", f"pressure:{move.id}", move.name, Pressure(side, move.id), effect)
    t = sc.trust
    for item, c in latest.items():
        if c.giver == side and c.live and T.items[item].reversible:
            add("pressure", f"reverse:{item}", f"Withdraw {T.items[item].name}", Reverse(side, item),
                f"a broken promise: trust -{t.broken_same:g} on its channel, -{t.broken_other:g} on the others; "
                f"tension +{sc.tension.broken_promise}")


def _intel_entries(view: View, b, T, side: str, add) -> None:
    other = T.other[side]
    for move in T.side[side].intelligence:
        if move.kind == "rule_out":
            deck = T.sc.deck_by_id[move.deck]
            done = set(b.ruled_out[T.sides.index(side)])
            left = sum(1 for c in deck.cards if (deck.id, c.id) not in done)
            add("intelligence", f"intel:{move.id}", f"Rule out one of their {deck.name.lower()} cards",
                Intel(side, move.id), f"learn one card they do not hold ({left} still possible)")
            continue
        claims = [c for c in b.commitments if c.giver == other and c.status == "claimed"]
        for c in claims:
            add("intelligence", f"intel:{move.id}:{c.item}", f"Check their claim: {T.items[c.item].name}",
                Intel(side, move.id, c.item), f"{move.chance:.0%} chance to learn whether it was really done")
        if not claims:
            add("intelligence", f"intel:{move.id}", "Check one of their claims", None,
                f"{move.chance:.0%} chance to learn whether it was really done",
                reason=f"{T.side[other].name} has no unverified claim to check")


# ---------------------------------------------------------------- the deal builder

def deal_options(view: View, channel: str, give: Sequence[str] = (), get: Sequence[str] = (),
                 scenario: Scenario | None = None) -> DealOptions:
    """Which items can still go into a deal (give, get) through `channel`, why the others cannot, and whether it may
    be sent, for the viewer (the side to move, for the spectator); nothing is applied.

    On an 'act' turn this is a new deal; while a deal waits for the viewer's answer, a counter to it; while
    drafting, the draft (which items cannot leave). `scenario` only for a view rebuilt from data.
    """
    b = board(view, scenario)
    T = tables(b.scenario)
    if view.side == PUBLIC:
        raise ValueError("the public view composes no deal: use a side's view")
    side = view.to_move if view.side == SPECTATOR else view.side
    other = T.other[side]
    give, get = tuple(give), tuple(get)
    if channel != SUMMIT and channel not in T.ch_idx:
        raise ValueError(f"there is no channel {channel!r}")
    latest = latest_commitments(b)
    mover = side == view.to_move
    p = _waiting(b, side) if mover and view.phase == "answer" else None
    counter = p is not None and p.kind == "deal"
    if counter:
        blocked = _counter_blocked(b, latest, p)
    elif mover and view.phase == "draft":
        blocked = _blocked_items(b, latest) - set(b.draft.give) - set(b.draft.get)  # the draft is the deal itself
    else:
        blocked = _blocked_items(b, latest)
    cards = [T.card[c.deck][c.id] for c in view.agenda if T.sc.deck_by_id[c.deck].side == side]
    give_opts = _options(b, T, side, side, channel, blocked, give, latest, cards)
    get_opts = _options(b, T, side, other, channel, blocked, get, latest, cards)
    why = _send_blocker(view, b, T, side, channel, give, get, counter, give_opts + get_opts)
    return DealOptions(channel, give_opts, get_opts, why is None, why or "")


def _options(b, T, side: str, giver: str, channel: str, blocked: set[str], chosen: tuple[str, ...], latest,
             cards) -> tuple[ItemOption, ...]:
    reasons = deal_item_reasons(b, giver, channel, blocked)
    full = len(chosen) >= MAX_DEAL_ITEMS
    verified = verified_from(latest, side)
    out = []
    for item, why in reasons.items():
        it = T.items[item]
        in_deal = item in chosen
        if not in_deal and why is None and full:
            what = "to give" if giver == side else "to ask for"
            why = f"the deal already has {MAX_DEAL_ITEMS} items {what}, the most it may"
        w = item_worth(T, side, item, cards, b.bonuses, verified)
        worth = (w.value if giver != side else -w.cost) + w.bonus
        out.append(ItemOption(item, it.name, it.tier, in_deal, not in_deal and why is None, why or "", round(worth, 2)))
    return tuple(out)


def _send_blocker(view: View, b, T, side: str, channel: str, give: tuple[str, ...], get: tuple[str, ...],
                  counter: bool, options: tuple[ItemOption, ...]) -> str | None:
    """Why the deal (give, get) could not be sent now as a whole, or None."""
    if side != view.to_move:
        return f"it is {view.to_move}'s turn"
    if view.phase == "draft":
        d = b.draft
        if channel != d.channel:
            return f"the draft goes {_where(T, d.channel)}"
        missing = [i for i in d.give if i not in give] + [i for i in d.get if i not in get]
        if missing:
            return f"{T.items[missing[0]].name} is in the draft already: an item cannot be taken out"
    elif counter:
        p = _waiting(b, side)
        if channel != p.channel:
            return f"a counter goes {_where(T, p.channel)}, as the deal did"
        why = why_not(b, Counter(side))
        if why:
            return why
    elif view.phase == "act":
        why = why_not(b, Propose(side, channel))
        if why:
            return why
    else:
        return "a deal can be proposed only when it is time to act"
    for items, giver in ((give, side), (get, T.other[side])):
        if len(set(items)) != len(items):
            return "an item is in the deal twice"
        if len(items) > MAX_DEAL_ITEMS:
            return f"a deal has at most {MAX_DEAL_ITEMS} items each way"
        for i in items:
            if i not in T.items:
                return f"there is no item {i!r}"
            if T.items[i].giver != giver:
                return f"{T.items[i].name} is {T.side[T.items[i].giver].name}'s to give"
    if not give and not get:
        return "an empty deal cannot be sent: add an item first"
    for o in options:
        if o.in_deal and o.reason:
            return o.reason
    return None


def _where(T, channel: str) -> str:
    return "at the summit" if channel == SUMMIT else f"through the {T.channel[channel].name} channel"
