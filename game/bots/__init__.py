"""Bots: the protocol, the built-in strategies and loading students' bots."""

from __future__ import annotations

from pathlib import Path

from game.bots.base import Bot
from game.bots.heuristics import DoveBot, HawkBot, PassiveBot, ReciprocatorBot, TrapperBot, VerifierBot
from game.bots.ismcts import IsmctsBot
from game.bots.random_bot import RandomBot

BUILTIN: dict[str, type[Bot]] = {cls.name: cls for cls in (
    RandomBot, PassiveBot, HawkBot, DoveBot, ReciprocatorBot, VerifierBot, TrapperBot, IsmctsBot)}


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
    cls = BUILTIN.get(name)
    if cls is None:
        raise BotSpecError(f"unknown bot {name!r}: choose one of {', '.join(BUILTIN)}, "
                           f"or a bot file such as path/to/my_bot.py:MyBot")
    try:
        return cls(**parse_params(rest))
    except TypeError as err:
        raise BotSpecError(f"bot {name!r}: {err}") from None
