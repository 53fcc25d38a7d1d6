"""The `random` bot: any legal action, uniformly."""

from __future__ import annotations

from game.bots.base import Bot


class RandomBot(Bot):
    """Plays any legal action, uniformly at random."""

    name = "random"
    description = "any legal action, uniformly at random"
    classifier = {"stochastic": True, "search": False}

    def choose(self, view, legal, rng):
        """Pick uniformly among the legal actions."""
        return legal[rng.randrange(len(legal))]
