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
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

from game.actions import Accept, Action

if TYPE_CHECKING:  # for the annotations only: a student's bot process must start without pydantic's imports
    from game.bots.advice import DealAdvice
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
        self._promised: set = set()

    def close(self) -> None:
        """Release what the bot holds (a sandboxed bot ends its process); a built-in bot holds nothing."""

    def __enter__(self) -> "Bot":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def choose(self, view: View, legal: Sequence[Action], rng: random.Random) -> Action | tuple[Action, str]:
        """Return one of `legal` (optionally with a short reason)."""
        raise NotImplementedError

    # -- "what would it take?" (game.bots.advice)

    def what_would_it_take(self, view: View, channel: str, give: Sequence[str], get: Sequence[str]) -> "DealAdvice":
        """Whether I would accept the deal the other side is composing (what it gives, what it asks for), and
        the nearest deal I would accept, with my reasons in plain words; I then accept what I said I would."""
        from game.bots.advice import advise

        return advise(self, view, channel, give, get)

    def would_accept(self, view: View, proposal: Any, legal: Sequence[Action]) -> tuple[bool, str]:
        """My accept rule for a deal waiting in `view` (built by `game.bots.advice.answer_view`): (yes?, why).

        Every built-in bot overrides it with its own rule; this default (a
        student's bot, a sandboxed one) promises nothing, since asking a
        bot's `choose` could change what it remembers.
        """
        return False, "this bot does not say in advance how it answers deals"

    def advised(self, view: View, channel: str, give: Sequence[str], get: Sequence[str]) -> None:
        """Remember that I said I would accept this deal if it is sent this round (see `keep_word`)."""
        promises = self.__dict__.setdefault("_promised", set())
        promises.add((view.round, channel, frozenset(give), frozenset(get)))

    def keep_word(self, view: View, legal: Sequence[Action]) -> tuple[Action, str] | None:
        """Accept a waiting deal I said I would accept (sent in the round I said it), if the rules let me."""
        promises = self.__dict__.get("_promised")
        if not promises or view.phase != "answer":
            return None
        p = next((p for p in view.proposals if p.receiver == view.side), None)
        if p is None or p.kind != "deal" or (p.made, p.channel, frozenset(p.give), frozenset(p.get)) not in promises:
            return None
        accept = next((a for a in legal if isinstance(a, Accept)), None)
        return (accept, "I said I would accept this deal, and I keep my word") if accept is not None else None

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
