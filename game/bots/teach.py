"""Errors that teach: what a student's bot did wrong, in one line that says how to put it right.

Three places use these: the loader (a class whose `choose` or `reset` is
missing, misspelt or takes the wrong arguments is a load error, before any
match), the sandboxed bot's process (what `choose` returned is not one
action), and the match loop (an action that is not legal now, with the
engine's own reason and the list of what was legal).
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any, Sequence

CHOOSE_SIGNATURE = "def choose(self, view, legal, rng):"
RESET_SIGNATURE = "def reset(self, side, seed):"
SHOWN_LEGAL = 12  # how many legal actions an illegal-move message lists before "and N more"


def _methods(cls: type, base: type | None) -> dict[str, Any]:
    """The functions the student's class and its own bases define (not `base`'s, not object's), by name."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or (base is not None and klass in base.__mro__):
            continue
        for name, value in vars(klass).items():
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if callable(value) and not name.startswith("__"):
                found[name] = value
    return found


def close_name(name: str, names: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The one of `names` closest to `name` (ignoring case), or None if none is close."""
    lowered = {n.lower(): n for n in names if n != name}
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def _accepts(func: Any, n_args: int) -> bool | None:
    """Whether a method can be called with `n_args` positional arguments after self (None: cannot tell)."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    try:
        sig.bind(*([None] * (n_args + 1)))
    except TypeError:
        return False
    return True


def _shown_signature(cls: type, name: str, func: Any) -> str:
    try:
        return f"{cls.__name__}.{name}{inspect.signature(func)}"
    except (TypeError, ValueError):
        return f"{cls.__name__}.{name}"


def method_problem(cls: type, base: type | None, file: str) -> str | None:
    """What is wrong with a bot class's `choose` and `reset` (missing, misspelt, wrong arguments), or None."""
    own = _methods(cls, base)
    choose = own.get("choose")
    if choose is None:
        near = close_name("choose", list(own), cutoff=0.6)
        hint = f" (is {near!r} meant to be 'choose'?)" if near else ""
        what = "has" if base is not None and issubclass(cls, base) else "is not a bot class: it has"
        return (f"{file}: {cls.__name__} {what} no choose method{hint}; every bot needs "
                f"{CHOOSE_SIGNATURE} that returns one of legal")
    if _accepts(choose, 3) is False:
        return (f"{file}: {_shown_signature(cls, 'choose', choose)} takes the wrong arguments: "
                f"write {CHOOSE_SIGNATURE}")
    reset = own.get("reset")
    if reset is None:
        near = close_name("reset", list(own), cutoff=0.75)
        if near is not None and _accepts(own[near], 2):
            return (f"{file}: {cls.__name__} has {near}(...) but no reset, so it would never be called: "
                    f"rename it to reset ({RESET_SIGNATURE})")
    elif _accepts(reset, 2) is False:
        return (f"{file}: {_shown_signature(cls, 'reset', reset)} takes the wrong arguments: "
                f"write {RESET_SIGNATURE}")
    return None


def looks_like_bot(cls: type, base: type | None) -> bool:
    """Whether a class in a student's file is meant as a bot: it derives from Bot, or has a choose-like method."""
    if base is not None and issubclass(cls, base):
        return True
    own = _methods(cls, base)
    return "choose" in own or close_name("choose", list(own), cutoff=0.8) is not None


def _example(legal: Sequence[Any]) -> str:
    return f"e.g. return legal[0] (here {legal[0]!s})" if legal else "e.g. return legal[0]"


def return_problem(choice: Any, legal: Sequence[Any]) -> tuple[str | None, str, str]:
    """Check what `choose` returned: (None, action text, reason) if it names an action, else (problem, '', '').

    The action text is not yet checked against `legal` (the seat does that); this only says whether
    the value has the shape of one action, optionally with a reason.
    """
    from game.actions import Action, ActionParseError

    reason: Any = ""
    if isinstance(choice, (tuple, list)) and len(choice) == 2 and not isinstance(choice[1], Action):
        choice, reason = choice
        if isinstance(choice, str) and not _parses(choice) and isinstance(reason, str) and _parses(reason):
            return ("choose returned (reason, action): put the action first, as in "
                    "return action, \"my reason\"", "", "")
    elif isinstance(choice, (tuple, list)) and len(choice) == 2 and isinstance(choice[0], str) \
            and isinstance(choice[1], Action):
        return "choose returned (reason, action): put the action first, as in return action, \"my reason\"", "", ""
    if isinstance(choice, Action):
        return None, str(choice), str(reason)
    if isinstance(choice, str):
        text = " ".join(choice.split())
        try:
            Action.parse(text)
        except ActionParseError:
            shown = text if len(text) <= 40 else text[:37] + "..."
            return (f"choose returned the text {shown!r}, which is not an action: return one of legal, "
                    f"{_example(legal)}", "", "")
        return None, text, str(reason)
    if choice is None:
        return (f"choose returned None (did choose forget to return?): return one of legal, {_example(legal)}",
                "", "")
    if isinstance(choice, (tuple, list)):
        kind = type(choice).__name__
        return (f"choose returned a {kind} of {len(choice)} things, not one action: return one of legal, "
                f"e.g. return rng.choice(legal), or an action with a reason: return legal[0], \"why\"", "", "")
    shown = repr(choice)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return (f"choose returned {type(choice).__name__} {shown}, not an action: return one of legal, "
            f"{_example(legal)}", "", "")


def _parses(text: str) -> bool:
    from game.actions import Action, ActionParseError

    try:
        Action.parse(" ".join(text.split()))
        return True
    except ActionParseError:
        return False


def legal_list(legal: Sequence[Any]) -> str:
    """'legal now (N): a, b, c, ... and K more' for a forfeit message."""
    shown = ", ".join(str(a) for a in legal[:SHOWN_LEGAL])
    more = f" ... and {len(legal) - SHOWN_LEGAL} more" if len(legal) > SHOWN_LEGAL else ""
    return f"legal now ({len(legal)}): {shown}{more}"


def illegal_detail(state: Any, action: Any, legal: Sequence[Any]) -> str:
    """Why `action` is not legal in `state` (the engine's reason) and what was legal instead."""
    from game.engine import explain_illegal

    try:
        why = explain_illegal(state, action)
    except Exception:  # noqa: BLE001 - an explanation that fails must not hide the forfeit itself
        why = "not legal now"
    return f"{action!s} is not a legal action: {why}; {legal_list(legal)}"


def forfeit_detail(state: Any, legal: Sequence[Any], forfeit: Any) -> str:
    """A forfeit's detail, with an illegal move explained by the engine (the bot's own output lines kept after)."""
    action = getattr(forfeit, "action", None)
    if forfeit.kind != "illegal" or action is None:
        return forfeit.detail
    first, _, rest = str(forfeit.detail).partition("\n")
    return illegal_detail(state, action, legal) + ("\n" + rest if rest else "")


def clip_detail(kind: str, detail: str, limit: int) -> str:
    """Cut a forfeit's detail to `limit` characters where it matters: a crash's traceback ends in the error,
    every other detail starts with what went wrong."""
    detail = str(detail)
    if len(detail) <= limit:
        return detail
    return "..." + detail[-(limit - 3):] if kind == "crash" else detail[:limit - 3] + "..."
