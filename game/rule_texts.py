"""The rule behind each kind of move, one paragraph each, with the scenario's own numbers (for `?N` and tooltips).

The wording follows rules/RULES.md; the numbers come from the scenario, so a
class's own scenario file gets its own rules.
"""

from __future__ import annotations

from typing import Callable

from game.engine import MAX_DEAL_ITEMS, tables
from game.scenario import Scenario


def _channel_rule(sc: Scenario) -> str:
    T = tables(sc)
    needs = [f"the {T.channel[c.id].name} channel needs {T.channel[c.requires_channel].name} trust of "
             f"{c.requires_trust:g}" for c in sc.channels if c.requires_channel]
    return ("Propose opening a closed channel (1 action point); the other side accepts or rejects at the start of its "
            f"next turn. A channel opens at trust {sc.trust.opened_at:g}. " + ("; ".join(needs) + "." if needs else ""))


def _use_rule(channel: str, what: str) -> Callable[[Scenario], str]:
    def text(sc: Scenario) -> str:
        T = tables(sc)
        ch = T.channel[channel]
        return (f"{what} (1 action point, the {ch.name} channel open) adds {ch.gain:g} trust to it, half that while "
                f"tension is {sc.trust.high_tension} or more. An open channel left unused for a round loses "
                f"{ch.decay:g} trust.")
    return text


def _call_rule(sc: Scenario) -> str:
    t = sc.tension
    return (_use_rule("hotline", "A hotline call")(sc) + f" It lowers tension by {-t.call}, or by {-t.call_strong} "
            f"if hotline trust was already {t.call_strong_trust} or more.")


def _meet_rule(sc: Scenario) -> str:
    g = sc.groundwork
    return (_use_rule("working", "A working-level meeting")(sc) + f" It also lays one point of groundwork on a "
            f"{'/'.join(g.tiers)} item of your choice, yours or theirs, that still needs it: such an item needs "
            f"{g.needed} before it can go into a deal. Groundwork is shared and never used up.")


def _deal_rule(sc: Scenario) -> str:
    return (f"Choose the channel (1 action point), then up to {MAX_DEAL_ITEMS} items you give and {MAX_DEAL_ITEMS} you "
            "ask for, and send. Every item must be of a tier the channel carries, have its minimum trust at or below "
            f"the trust index, have {sc.groundwork.needed} groundwork if {'/'.join(sc.groundwork.tiers)}, have its "
            "prerequisites in force (or at least claimed), and not be promised already or on the table. A signed deal "
            f"changes tension by {sc.tension.deal_signed:+d} and every item becomes a promise.")


def _summit_rule(sc: Scenario) -> str:
    r = sc.summit
    T = tables(sc)
    return (f"Propose a summit (1 action point). It needs {T.channel[r.requires_channel].name} trust of "
            f"{r.requires_trust:g} or more, tension of {r.max_tension} or less, no summit in the last {r.cooldown} "
            f"rounds and a round left. If accepted, the next round opens with the summit: the "
            f"{T.channel[r.trust_channel].name} channel opens if closed and gains {r.hotline_bonus:g} trust, and "
            "that round either side may propose a deal at the summit, which carries every tier.")


def _pressure_rule(sc: Scenario) -> str:
    return (f"Pressure (1 action point): tension +{sc.tension.pressure}, every open channel loses "
            f"{sc.trust.pressure_loss:g} trust, and the other side values some items more. A move that names a "
            "promise of yours breaks it if it is in force; while none is, a side's moves do the same thing.")


def _reverse_rule(sc: Scenario) -> str:
    return ("Withdraw a reversible item you gave that is verified in force (1 action point). It counts as a broken "
            f"promise (trust -{sc.trust.broken_same:g} on its channel, -{sc.trust.broken_other:g} on the others, "
            f"tension +{sc.tension.broken_promise}), and any item that needs it falls with it.")


def _intel_rule(sc: Scenario) -> str:
    return ("Intelligence (1 action point): rule out one card of the other side's deck that they do not hold, or "
            "check one of their unverified claims (a true claim becomes verified; a fake is exposed and counts as a "
            "broken promise).")


def _answer_rule(sc: Scenario) -> str:
    return ("Answer a proposal at the start of your turn (free): accept (a deal only if every item is still allowed "
            "now), reject, or counter a deal once: you draft a new deal through the same channel, free, and must "
            "send it; the first side can then only accept or reject.")


def _settle_rule(sc: Scenario) -> str:
    t = sc.trust
    return (f"A promise that falls due is settled at the start of its giver's turn (free). Implement it: trust "
            f"+{t.kept_same:g} on the deal's channel and +{t.kept_other:g} on every other open one. Break it: trust "
            f"-{t.broken_same:g} and -{t.broken_other:g}, tension +{sc.tension.broken_promise}. Fake it (unverifiable "
            "items only): it looks kept until exposed, and counts for neither side in the end. An item whose "
            "prerequisite is not in force can only be broken.")


def _draft_rule(sc: Scenario) -> str:
    return _deal_rule(sc) + " Cancelling a draft still costs the action point; a counter cannot be cancelled."


def _gift_rule(sc: Scenario) -> str:
    return ("When an event allows it, give the item at once and free (no action point): it is in force at once and "
            f"every open channel gains {sc.trust.kept_other:g} trust.")


def _pass_rule(sc: Scenario) -> str:
    return f"Pass (free) ends your turn; unused action points are lost. Each turn has {sc.action_points}."


RULES: dict[str, Callable[[Scenario], str]] = {
    "open": _channel_rule, "call": _call_rule, "meet": _meet_rule,
    "exchange": _use_rule("exchange", "A cultural exchange"), "propose": _deal_rule, "summit": _summit_rule,
    "pressure": _pressure_rule, "reverse": _reverse_rule, "intel": _intel_rule, "gift": _gift_rule,
    "accept": _answer_rule, "reject": _answer_rule, "counter": _answer_rule,
    "implement": _settle_rule, "fake": _settle_rule, "break": _settle_rule,
    "give": _draft_rule, "get": _draft_rule, "send": _draft_rule, "cancel": _draft_rule, "pass": _pass_rule,
}


def rule_text(sc: Scenario, verb: str) -> str:
    """The rule paragraph for one verb of the game (the `verb` of an action type)."""
    return RULES[verb](sc)
