"""The `random` bot: any legal move, uniformly, counting pressure moves that do the same thing once."""

from __future__ import annotations

from game.actions import Pressure
from game.bots.base import Bot


def distinct_moves(view, legal, scenario) -> list:
    """The legal actions with pressure moves that would break no promise folded into the first of them.

    Every pressure move is listed (each is its own menu entry), but those that break no promise in force do
    the same thing; counting them once keeps a uniform choice as likely to press as before they were listed.
    """
    pressing = [a for a in legal if isinstance(a, Pressure)]
    if len(pressing) < 2:
        return list(legal)
    side = next(s for s in scenario.sides if s.id == pressing[0].side)
    breaks = {p.id: p.breaks for p in side.pressure}
    latest = {c.item: c for c in view.commitments}
    in_force = {i for i, c in latest.items() if c.status in ("verified", "claimed")}
    keep = [a for a in pressing if breaks.get(a.move) is None or breaks[a.move] in in_force]
    keep = keep or pressing[:1]
    return [a for a in legal if not isinstance(a, Pressure) or a in keep]


class RandomBot(Bot):
    """Plays any legal move, uniformly at random (pressure moves that do the same thing count once)."""

    name = "random"
    description = "any legal action, uniformly at random (pressure moves that do the same thing count once)"
    classifier = {"stochastic": True, "search": False}

    def choose(self, view, legal, rng):
        """Pick uniformly among the distinct legal moves."""
        scenario = self.scenario or getattr(view, "rules", None)
        moves = distinct_moves(view, legal, scenario) if scenario is not None else list(legal)
        return moves[rng.randrange(len(moves))], "I pick my moves at random"

    def would_accept(self, view, proposal, legal):
        """No rule to ask: it answers at random, so it promises nothing."""
        return False, "I pick my moves at random, so I cannot promise to accept anything"
