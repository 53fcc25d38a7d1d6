"""Bots: the protocol, the built-in strategies and loading students' bots."""

from __future__ import annotations

from game.bots.base import Bot
from game.bots.random_bot import RandomBot

BUILTIN: dict[str, type[Bot]] = {cls.name: cls for cls in (RandomBot,)}


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


def make_bot(spec: str) -> Bot:
    """Make a built-in bot from 'name' or 'name:key=value,...'."""
    name, _, rest = spec.partition(":")
    cls = BUILTIN.get(name)
    if cls is None:
        raise BotSpecError(f"unknown bot {name!r}: choose one of {', '.join(BUILTIN)}")
    try:
        return cls(**parse_params(rest))
    except TypeError as err:
        raise BotSpecError(f"bot {name!r}: {err}") from None
