"""Plain-English descriptions of what a scenario's event cards and agenda cards do, built from their numbers.

The flavour text of a card says what happened in the story; a student also needs
to know what it does to the board. These sentences are generated from the card's
fields, so a teacher's edited scenario is described as truly as the default one.
"""

from __future__ import annotations

from game.scenario import (
    ActionPointsEffect, Card, ChannelEffect, EventCard, GiftEffect, RevealEffect, Scenario, TensionEffect,
    TieEffect, ValueEffect,
)


def _g(x: float) -> str:
    return f"{x:g}"


def _names(sc: Scenario) -> dict[str, str]:
    """Every id a card can name (items, channels, actors, sides, tiers) mapped to its display name."""
    out = {a.id: a.name for a in sc.actors}
    out.update({c.id: c.name for c in sc.channels})
    out.update({s.id: s.name for s in sc.sides})
    out.update({i.id: i.name for i in sc.items})
    out.update({t.id: t.name for t in sc.tiers})
    return out


def effect_text(sc: Scenario, eff) -> str:
    """One event effect as a short sentence."""
    n = _names(sc)
    if isinstance(eff, TensionEffect):
        s = f"tension {eff.amount:+d}"
        if eff.spike:
            ch = n.get(sc.tension.spike_halving_channel, sc.tension.spike_halving_channel)
            s += f" (halved, rounding down, if the {ch} is open with trust {sc.tension.spike_halving_trust} or more)"
        if eff.unless_in_force:
            s += f", unless the {n.get(eff.unless_in_force, eff.unless_in_force)} is in force"
        return s
    if isinstance(eff, ChannelEffect):
        if eff.channel == "*":
            return f"every open channel {eff.amount:+d} trust"
        s = f"{n.get(eff.channel, eff.channel)} {eff.amount:+d} trust"
        return s + (", or the channel opens if it is closed" if eff.open_if_closed else " (if open)")
    if isinstance(eff, GiftEffect):
        return f"{n.get(eff.side, eff.side)} may give {n.get(eff.item, eff.item)} this round, free, without a deal"
    if isinstance(eff, ValueEffect):
        return f"{n.get(eff.side, eff.side)} values {eff.tag} items {eff.amount} more for the rest of the game"
    if isinstance(eff, RevealEffect):
        return f"{eff.chance:.0%} chance to check one unverified claim"
    if isinstance(eff, ActionPointsEffect):
        return f"{n.get(eff.side, eff.side)} has {eff.amount} action point{'s' if eff.amount != 1 else ''} this round"
    if isinstance(eff, TieEffect):
        word = "warms" if eff.amount > 0 else "cools"
        return f"the {n.get(eff.a, eff.a)}–{n.get(eff.b, eff.b)} tie {word} ({eff.amount:+d}; no score changes)"
    return eff.kind


def event_text(sc: Scenario, ev: EventCard) -> str:
    """What an event card does: its effects joined, or 'nothing'."""
    return "; ".join(effect_text(sc, e) for e in ev.effects) or "nothing"


def card_text(sc: Scenario, card: Card) -> str:
    """What an agenda card does to its holder's score, in short sentences."""
    n = _names(sc)
    parts: list[str] = []
    if card.value:
        by_mult: dict[float, list[str]] = {}
        for item, m in card.value.items():
            by_mult.setdefault(m, []).append(n.get(item, item))
        for m, items in sorted(by_mult.items(), reverse=True):
            parts.append(f"{', '.join(items)} worth ×{_g(m)} to you")
    if card.all_cost != 1:
        parts.append(f"all your own items cost ×{_g(card.all_cost)}")
    for tier, m in card.tier_cost.items():
        s = f"your own {n.get(tier, tier)} items cost ×{_g(m)}"
        if card.cost_waived_by_verified_tag:
            s += f", unless one of the other side's {card.cost_waived_by_verified_tag} items has been verified"
        parts.append(s)
    for tag, m in card.tag_cost.items():
        parts.append(f"your own {tag} items cost ×{_g(m)}")
    if card.summit_points:
        parts.append(f"+{_g(card.summit_points)} point{'' if card.summit_points == 1 else 's'} per summit held")
    if card.summit_multiplier != 1:
        parts.append(f"summit points ×{_g(card.summit_multiplier)}")
    if card.exploit_bonus:
        parts.append(f"+{_g(card.exploit_bonus)} if you end having received more table value than you gave")
    if card.reform_bonus:
        need = ", ".join(n.get(i, i) for i in card.reform_needs_received)
        s = f"+{_g(card.reform_bonus)} if the {need} is in force"
        if card.reform_needs_count:
            tier = n.get(card.reform_needs_own_tier or "", card.reform_needs_own_tier or "")
            s += f" and at least {card.reform_needs_count} of your own {tier} items really are"
        parts.append(s)
    if card.high_tension_penalty:
        parts.append(f"-{_g(card.high_tension_penalty)} for every round that ends at tension "
                     f"{sc.trust.high_tension} or more")
    if card.opponent_broken_penalty:
        parts.append(f"-{_g(card.opponent_broken_penalty)} for every promise the other side breaks")
    for item, pts in card.item_bonus.items():
        parts.append(f"+{_g(pts)} while the {n.get(item, item)} is in force")
    return "; ".join(parts) or "no change to the score"
