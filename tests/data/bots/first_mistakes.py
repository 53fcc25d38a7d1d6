"""A student's first mistakes, one class each (tests/test_bot_errors.py): each must give an error that teaches."""

from game.actions import Action
from game.bots import Bot


class Typo(Bot):
    def chose(self, view, legal, rng):
        return legal[0]


class TwoArgs(Bot):
    def choose(self, view, legal):
        return legal[0]


class NoRng(Bot):
    def reset(self, side):
        pass

    def choose(self, view, legal, rng):
        return legal[0]


class Rest(Bot):
    def rest(self, side, seed):
        self.plan = []

    def choose(self, view, legal, rng):
        return legal[0]


class ReasonFirst(Bot):
    def choose(self, view, legal, rng):
        return "it is first", legal[0]


class WholeList(Bot):
    def choose(self, view, legal, rng):
        return legal


class Number(Bot):
    def choose(self, view, legal, rng):
        return 0


class Words(Bot):
    def choose(self, view, legal, rng):
        return "open"


class CallsEarly(Bot):
    def choose(self, view, legal, rng):
        print(f"round {view.round}: I want to call")
        return Action.parse(f"{view.side} call")


class Chatty(Bot):
    def choose(self, view, legal, rng):
        print(f"round {view.round}: {len(legal)} choices")
        return legal[0]
