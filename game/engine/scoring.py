"""Scores: what an item is worth to a side and costs it, the score in its parts, and the debrief's verdict."""

from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

from game.happenings import Verdict
from game.scenario import Card
from game.state import Commitment, State
from game.engine.legality import latest_commitments
from game.engine.lookup import agenda_cards, Tables, tables


def verdict(final: dict[str, float]) -> tuple[Verdict, str | None, str | None]:
    """Judge the final scores: both sides gained, both lost, or one came out ahead (the winner and loser ids)."""
    (a, sa), (b, sb) = final.items()
    if sa > 0 and sb > 0:
        return Verdict.BOTH_AHEAD, None, None
    if sa <= 0 and sb <= 0:
        return (Verdict.BOTH_LOST if sa < 0 or sb < 0 else Verdict.NEITHER), None, None
    winner, loser = (a, b) if sa > sb else (b, a)
    return (Verdict.EXPLOITED if min(sa, sb) < 0 else Verdict.ONE_AHEAD), winner, loser


# ---------------------------------------------------------------- scoring

class ItemWorth(NamedTuple):
    """What one item is worth to one side, by that side's hidden cards: the one valuation rule of the game."""

    value: float  # what receiving it adds to the side's score
    cost: float   # what giving it takes from the side's score
    bonus: float  # what the side's cards pay while it is in force, whoever gave it


def item_worth(T: Tables, side: str, item: str, cards: Sequence[Card], bonuses: Iterable[tuple[str, str, float]] = (),
               verified: Iterable[str] = ()) -> ItemWorth:
    """What `item` is worth to `side` holding `cards`: received, given, and while in force.

    The scores use it, and so do the bots, each with what it knows: its own
    cards (or a sampled card for the other side), the game's value bonuses
    `(side, tag, amount)` (events that make a tag worth more to a side), and
    `verified`, the items the other side gave that are verified in force
    (a card's tier cost lapses once one of them carries its waiving tag).
    """
    it = T.items[item]
    v = it.value
    c = it.cost
    b = 0.0
    waived: set[str] | None = None
    for card in cards:
        v *= card.value.get(item, 1.0)
        c *= card.all_cost
        tier = card.tier_cost.get(it.tier, 1.0)
        if tier != 1.0 and card.cost_waived_by_verified_tag:
            if waived is None:
                waived = {t for i in verified for t in T.items[i].tags}
            if card.cost_waived_by_verified_tag in waived:
                tier = 1.0
        c *= tier
        for tag in it.tags:
            c *= card.tag_cost.get(tag, 1.0)
        b += card.item_bonus.get(item, 0.0)
    for bside, tag, amount in bonuses:
        if bside == side and tag in it.tags:
            v += amount
    return ItemWorth(v, c, b)


def verified_from(latest: dict[str, Commitment], side: str) -> list[str]:
    """The items the other side of `side` gave that are verified in force (what `item_worth` calls `verified`)."""
    return [c.item for c in latest.values() if c.status == "verified" and c.giver != side]


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

    verified = verified_from(latest, side)
    bonus_parts: list[tuple[str, float]] = []
    for c in latest.values():
        if not counted(c):
            continue
        w = item_worth(T, side, c.item, cards, s.bonuses, verified)
        if c.receiver == side:
            parts.append((f"received {T.items[c.item].name}", w.value))
            got_base += T.items[c.item].value
        elif c.giver == side:
            parts.append((f"gave {T.items[c.item].name}", -w.cost))
            gave_base += T.items[c.item].value
        if w.bonus:
            bonus_parts.append((f"{T.items[c.item].name} in force", w.bonus))
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
    parts.extend(bonus_parts)
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
