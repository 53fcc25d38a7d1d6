import no_such_module_for_crossroads  # noqa: F401

from game.bots import Bot


class NeedsAModule(Bot):
    """Cannot load: imports a module that does not exist."""

    def choose(self, view, legal, rng):
        return legal[0]
