"""`rules show`: a scenario's concessions, agenda cards and event deck as readable tables.

Every card row says what the card does to the board or the score (game/card_texts.py),
not only its flavour text.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from game.card_texts import card_text, event_text
from game.scenario import Scenario


def _num(x: float) -> str:
    return f"{x:g}"


def print_scenario(sc: Scenario, console: Console | None = None) -> None:
    """Print the scenario's items, agenda cards and events as tables."""
    console = console or Console(width=None if Console().is_terminal else 150)
    console.print(f"[bold]{sc.name}[/bold] ({sc.id}) - {sc.rounds} rounds, {sc.action_points} action points a turn, "
                  f"tension starts at {sc.tension.start}, crisis at {sc.tension.crisis}")
    if sc.settle_at_round_start:
        console.print("At the start of each round both sides settle the promises that fall due, the round's first mover "
                      "before the other, and only then does the first turn begin.")
    items = Table(title="Concessions", show_lines=False)
    for col in ("giver", "item", "id", "tier", "min trust", "cost", "value", "verifiable", "reversible", "needs"):
        items.add_column(col, no_wrap=col in ("id", "needs"))
    for i in sc.items:
        items.add_row(i.giver, i.name, i.id, i.tier, str(i.min_trust), _num(i.cost), _num(i.value),
                      "yes" if i.verifiable else "no", "yes" if i.reversible else "", ", ".join(i.requires))
    console.print(items)
    for deck in sc.decks:
        t = Table(title=f"{deck.name} cards ({deck.side})")
        t.add_column("card")
        t.add_column("chance")
        t.add_column("what it does")
        t.add_column("the story")
        total = sum(c.weight for c in deck.cards)
        for c in deck.cards:
            t.add_row(c.name, f"{c.weight / total:.0%}", card_text(sc, c), c.text)
        console.print(t)
    ev = Table(title=f"Event deck ({len(sc.event_deck)} cards, one drawn each round)")
    ev.add_column("card")
    ev.add_column("copies")
    ev.add_column("what it does")
    ev.add_column("the story")
    for e in sc.events:
        ev.add_row(e.name, str(e.count), event_text(sc, e), e.text)
    console.print(ev)
