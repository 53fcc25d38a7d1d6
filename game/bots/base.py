"""The bot protocol: what every bot, built-in or a student's, implements.

A bot gets its side's view (never the raw state), the legal actions and a
random generator derived from the match seed, and returns one legal action,
optionally with a short plain-English reason:

    class MyBot(Bot):
        name = "my-bot"
        description = "offers aid whenever trust allows"

        def choose(self, view, legal, rng):
            return legal[0], "the first thing I could do"

Given the same seed and the same views, a bot must make the same choices: use
`rng`, never the module-level `random` or the clock.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, ClassVar, Sequence

from game.actions import Action
from game.scenario import Scenario
from game.view import View


class Bot:
    """Base class of every bot: a name, a one-line description, a classifier and `choose`."""

    name: ClassVar[str] = "bot"
    description: ClassVar[str] = ""
    classifier: ClassVar[dict[str, bool]] = {"stochastic": False, "search": False}
    #: The match's scenario (its public rules and numbers), set by the match loop before `reset`.
    scenario: Scenario | None = None

    def __init__(self, **params: Any) -> None:
        self.params = params

    def reset(self, side: str, seed: int) -> None:
        """Called once before a match with the bot's side and its own seed (derived from, but never equal to,
        the match seed); override to clear what the bot remembers between matches."""
        self.side = side

    def close(self) -> None:
        """Release what the bot holds (a sandboxed bot ends its process); a built-in bot holds nothing."""

    def __enter__(self) -> "Bot":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def choose(self, view: View, legal: Sequence[Action], rng: random.Random) -> Action | tuple[Action, str]:
        """Return one of `legal` (optionally with a short reason)."""
        raise NotImplementedError

    def label(self) -> str:
        """The bot's name with its parameters, as records and tables show it."""
        if not self.params:
            return self.name
        return self.name + ":" + ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))


class BotForfeit(Exception):
    """Raised by a bot seat (for example a sandboxed student's bot) that has failed and forfeits the match."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.action: Any = None  # the illegal move, if that is the failure (the match, which knows the state, explains it)


def bot_seed(seed: int, side: str) -> int:
    """A bot's own seed for a match: derived from the match seed and its side, from which the match seed
    (and so the hidden cards it draws) cannot be recovered."""
    digest = hashlib.sha256(f"crossroads-bot:{seed}:{side}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def bot_rng(seed: int, side: str) -> random.Random:
    """The random generator a bot gets for a match: seeded with `bot_seed(seed, side)`."""
    return random.Random(bot_seed(seed, side))
