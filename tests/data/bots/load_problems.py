"""Bot classes that cannot be made, for tests/test_sandbox.py."""

from game.bots import Bot


class InitRaises(Bot):
    """Its constructor fails."""

    def __init__(self, **params):
        super().__init__(**params)
        raise ValueError("no constructor for you")

    def choose(self, view, legal, rng):
        return legal[0]


class Fine(Bot):
    """A bot that loads; takes no parameters."""

    def choose(self, view, legal, rng):
        return legal[0]


class NotABot:
    """Has no choose method."""
