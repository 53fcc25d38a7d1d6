"""The board in a few lines of text, drawn from a view (a side's, or the room's public view)."""

from __future__ import annotations

from game.scenario import Scenario
from game.view import View

PHASE_WORDS = {
    "answer": "to answer a proposal",
    "settle": "to keep or break a promise that fell due",
    "act": "to act",
    "draft": "to finish a deal",
    "over": "",
}


def side_name(scenario: Scenario, side: str) -> str:
    """A side's name for people ('United States'), from its id."""
    return next((s.name for s in scenario.sides if s.id == side), side)


def item_name(scenario: Scenario, item: str) -> str:
    """An item's name for people, from its id."""
    it = scenario.item_by_id.get(item)
    return it.name if it is not None else item


def board_lines(v: View, scenario: Scenario) -> list[str]:
    """Round, whose move, action points, tension, each channel's trust, what is due and what waits for an answer."""
    mover = side_name(scenario, v.to_move)
    if v.outcome is not None:
        head = f"Round {v.round} of {v.rounds} - the match is over ({v.outcome})"
    else:
        doing = PHASE_WORDS.get(v.phase, v.phase)
        ap = f", {v.ap} action point{'s' if v.ap != 1 else ''} left" if v.phase == "act" and v.to_move == v.side else ""
        head = f"Round {v.round} of {v.rounds} - {mover} {doing}{ap}"
    lines = [head, f"Tension {v.tension} of {v.crisis_at} (a crisis at {v.crisis_at})"]
    chans = []
    for c in v.channels:
        chans.append(f"{c.name} {c.trust:g}" if c.open else f"{c.name} closed")
    lines.append("Trust: " + ", ".join(chans) + f"; trust index {v.trust_index:g}")
    due = [c for c in v.commitments if c.status == "pending"]
    for c in due:
        who = "you" if c.giver == v.side else side_name(scenario, c.giver)
        when = "now" if c.due <= v.round else f"in round {c.due}"
        lines.append(f"Due {when}: {who} - {c.name}")
    claims = [c for c in v.commitments if c.status == "claimed" and c.done is None]
    for c in claims:
        lines.append(f"Unverified: {side_name(scenario, c.giver)} says it has done {c.name}")
    for p in v.proposals:
        lines.append(f"Waiting for {side_name(scenario, p.receiver)}'s answer: {p.text}")
    if v.summit_next:
        lines.append("A summit opens next round")
    if v.my_score is not None and v.side in scenario.side_ids:
        lines.append(f"Your score so far: {v.my_score:g} (type 'score' for its parts)")
    return lines


def score_lines(v: View) -> list[str]:
    """A side's score so far, part by part (from its own view: the other side's claims believed)."""
    lines = [f"Your score so far: {v.my_score:g}"]
    lines += [f"  {value:+7.2f}  {label}" for label, value in v.score_parts] or ["  nothing yet"]
    return lines
