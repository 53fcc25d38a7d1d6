"""Bots: the protocol, the built-in strategies and loading students' bots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.bots.base import Bot

# The built-in bots (and BUILTIN, their table) are imported on first use (PEP 562): a student's bot process
# imports this package for `Bot` and must start quickly, without the built-ins' imports (the engine, networkx).
_BUILTIN_NAMES = {"RandomBot": "random_bot", "PassiveBot": "heuristics", "HawkBot": "heuristics",
                  "DoveBot": "heuristics", "ReciprocatorBot": "heuristics", "VerifierBot": "heuristics",
                  "TrapperBot": "heuristics", "IsmctsBot": "ismcts"}


def __getattr__(name: str) -> Any:
    """BUILTIN and the built-in bot classes, imported when first asked for."""
    import importlib

    if name == "BUILTIN":
        classes = [__getattr__(n) for n in _BUILTIN_NAMES]
        table: dict[str, type[Bot]] = {cls.name: cls for cls in classes}
        globals()["BUILTIN"] = table
        return table
    if name in _BUILTIN_NAMES:
        cls = getattr(importlib.import_module(f"game.bots.{_BUILTIN_NAMES[name]}"), name)
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class BotSpecError(ValueError):
    """A bot named on the command line or in a config that cannot be made."""


def parse_params(text: str) -> dict[str, object]:
    """Parse 'iterations=400,seed=2' into {'iterations': 400, 'seed': 2} (ints and floats where they parse)."""
    params: dict[str, object] = {}
    for part in filter(None, text.split(",")):
        key, eq, value = part.partition("=")
        if not eq or not key.strip():
            raise BotSpecError(f"bad bot parameter {part!r}: use name=value")
        v: object = value.strip()
        for conv in (int, float):
            try:
                v = conv(value)
                break
            except ValueError:
                pass
        params[key.strip()] = v
    return params


def make_bot(spec: str, *, time_limit: float | None = None, memory_mb: int | None = 1024, private=()) -> Bot:
    """Make a bot from a spec: a built-in 'name' or 'name:key=value,...', or a student's bot file.

    A file spec is `path/to/file.py[:ClassName[:key=value,...]]` (Windows paths such as
    `C:\\bots\\my_bot.py:MyBot` work: the path ends at the first '.py' followed by ':' or the end).
    It returns a `SandboxedBot` seat that runs the file in a process of its own, with a per-decision
    `time_limit` in seconds (None: the default, 2) and a `memory_mb` limit (None: no limit; at least
    128); the caller must `close()` it (or use it as a context manager). Built-in bots ignore both.
    `private` names folders a bot file must not read even inside its own folder (a tournament's).
    """
    from game.bots.loader import is_file_spec

    if is_file_spec(spec):
        from game.bots.loader import parse_file_spec
        from game.bots.sandbox import DEFAULT_TIME, SandboxedBot

        return SandboxedBot(parse_file_spec(spec), time_limit=DEFAULT_TIME if time_limit is None else time_limit,
                            memory_mb=memory_mb, private=[Path(p) for p in private])
    name, _, rest = spec.partition(":")
    from game.bots import BUILTIN

    cls = BUILTIN.get(name)
    if cls is None:
        raise BotSpecError(f"unknown bot {name!r}: choose one of {', '.join(BUILTIN)}, "
                           f"or a bot file such as path/to/my_bot.py:MyBot")
    try:
        return cls(**parse_params(rest))
    except TypeError as err:
        raise BotSpecError(f"bot {name!r}: {err}") from None
