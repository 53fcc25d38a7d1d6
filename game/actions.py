"""The action types, each a small frozen value with a text form that round-trips.

The text form is `<side> <verb> [argument...]`, for example `us open working`,
`dprk implement remains` or `us intel claim declaration`; `Action.parse(str(a)) == a`.

A deal is composed in steps, so that the list of legal actions stays short:
`us propose working` (1 AP) starts a draft, then `us give aid`, `us get remains`
(up to the scenario's limit of items each way, three by default) and finally
`us send` (or `us cancel`, which does not refund the action point). A counter
to a proposal is composed the same way after `dprk counter`, and must be sent.
`deal_steps` turns a whole deal into that list of steps for bots and tests.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from functools import cache
from typing import ClassVar


class IllegalActionError(ValueError):
    """An action that is not legal in the state it was applied to; the state is unchanged."""


class ActionParseError(ValueError):
    """A string that is not the text form of any action."""


_VERBS: dict[str, type["Action"]] = {}


@cache
def _params(cls: type) -> tuple[Field, ...]:
    """An action type's arguments after the side, in order."""
    return tuple(f for f in fields(cls) if f.init and f.name != "side")


@dataclass(frozen=True, slots=True)
class Action:
    """Base of every action: the side that takes it."""

    side: str
    # The text form, memoised on first use (logs and views ask for it often); not part of equality.
    _text: str | None = field(default=None, init=False, repr=False, compare=False, hash=False)
    verb: ClassVar[str] = ""
    costs_ap: ClassVar[bool] = False

    def args(self) -> tuple[str, ...]:
        """The action's arguments after the verb, as strings."""
        return tuple(getattr(self, f.name) for f in _params(type(self)) if getattr(self, f.name) is not None)

    def __str__(self) -> str:
        text = self._text
        if text is None:
            text = " ".join((self.side, self.verb, *self.args()))
            object.__setattr__(self, "_text", text)
        return text

    @staticmethod
    def parse(text: str) -> "Action":
        """Parse the text form of an action; raises ActionParseError for anything else."""
        if not isinstance(text, str):
            raise ActionParseError(f"an action must be text, not {type(text).__name__}")
        words = text.split()
        if len(words) < 2:
            raise ActionParseError(f"{text!r}: an action is '<side> <verb> [argument]'")
        side, verb, rest = words[0], words[1], words[2:]
        cls = _VERBS.get(verb)
        if cls is None:
            raise ActionParseError(f"{text!r}: unknown verb {verb!r}")
        params = _params(cls)
        required = [f for f in params if f.default is not None]
        if not len(required) <= len(rest) <= len(params):
            raise ActionParseError(f"{text!r}: '{verb}' takes {len(required)}" +
                                   (f" to {len(params)}" if len(params) != len(required) else "") + " argument(s)")
        return cls(side, *rest)


@dataclass(frozen=True, slots=True)
class Pass(Action):
    """End the turn, leaving any action points unspent."""

    verb: ClassVar[str] = "pass"


@dataclass(frozen=True, slots=True)
class OpenChannel(Action):
    """Propose opening a closed cross channel; the other side answers at its next turn."""

    channel: str = ""
    verb: ClassVar[str] = "open"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Call(Action):
    """A hotline call: lowers tension and builds hotline trust."""

    verb: ClassVar[str] = "call"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Meet(Action):
    """A working-level meeting: builds working-level trust and groundwork on an item."""

    item: str | None = None
    verb: ClassVar[str] = "meet"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Exchange(Action):
    """A cultural exchange: builds exchange trust."""

    verb: ClassVar[str] = "exchange"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Propose(Action):
    """Start drafting a deal through an open channel (or 'summit' in a summit round)."""

    channel: str = ""
    verb: ClassVar[str] = "propose"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Give(Action):
    """Add an item this side would give to the deal being drafted."""

    item: str = ""
    verb: ClassVar[str] = "give"


@dataclass(frozen=True, slots=True)
class Get(Action):
    """Add an item this side asks for to the deal being drafted."""

    item: str = ""
    verb: ClassVar[str] = "get"


@dataclass(frozen=True, slots=True)
class Send(Action):
    """Send the drafted deal (or counter) to the other side."""

    verb: ClassVar[str] = "send"


@dataclass(frozen=True, slots=True)
class Cancel(Action):
    """Drop the deal being drafted; the action point stays spent."""

    verb: ClassVar[str] = "cancel"


@dataclass(frozen=True, slots=True)
class ProposeSummit(Action):
    """Propose a summit to open next round."""

    verb: ClassVar[str] = "summit"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Pressure(Action):
    """Apply pressure (sanctions, a show of force, a threat, a missile test...)."""

    move: str = ""
    verb: ClassVar[str] = "pressure"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Reverse(Action):
    """Withdraw a reversible item this side gave that is in force: a broken promise."""

    item: str = ""
    verb: ClassVar[str] = "reverse"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Intel(Action):
    """An intelligence move: rule out a hidden card, or check a claim (target = item)."""

    move: str = ""
    target: str | None = None
    verb: ClassVar[str] = "intel"
    costs_ap: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class Gift(Action):
    """Give an item at once and at no action point, when an event allows it."""

    item: str = ""
    verb: ClassVar[str] = "gift"


@dataclass(frozen=True, slots=True)
class Accept(Action):
    """Accept the first proposal waiting for this side."""

    verb: ClassVar[str] = "accept"


@dataclass(frozen=True, slots=True)
class Reject(Action):
    """Reject the first proposal waiting for this side."""

    verb: ClassVar[str] = "reject"


@dataclass(frozen=True, slots=True)
class Counter(Action):
    """Answer the first waiting deal with a counter-proposal, drafted next."""

    verb: ClassVar[str] = "counter"


@dataclass(frozen=True, slots=True)
class Implement(Action):
    """Implement a commitment that has fallen due."""

    item: str = ""
    verb: ClassVar[str] = "implement"


@dataclass(frozen=True, slots=True)
class Break(Action):
    """Openly refuse a commitment that has fallen due: a broken promise."""

    item: str = ""
    verb: ClassVar[str] = "break"


@dataclass(frozen=True, slots=True)
class Fake(Action):
    """Claim an unverifiable commitment implemented without doing it."""

    item: str = ""
    verb: ClassVar[str] = "fake"


ALL_ACTION_TYPES: tuple[type[Action], ...] = (
    Pass, OpenChannel, Call, Meet, Exchange, Propose, Give, Get, Send, Cancel, ProposeSummit, Pressure, Reverse,
    Intel, Gift, Accept, Reject, Counter, Implement, Break, Fake,
)
_VERBS.update({cls.verb: cls for cls in ALL_ACTION_TYPES})


def deal_steps(side: str, channel: str, give: list[str] | tuple[str, ...] = (),
               get: list[str] | tuple[str, ...] = (), counter: bool = False) -> list[Action]:
    """The actions that compose and send one deal: propose (or counter), give..., get..., send."""
    first: Action = Counter(side) if counter else Propose(side, channel)
    return [first, *(Give(side, i) for i in give), *(Get(side, i) for i in get), Send(side)]
