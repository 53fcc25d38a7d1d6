"""JSON for the messages between a seat and its bot's process: orjson where it is installed, else the json module.

A class tournament sends millions of decisions through these messages, and
orjson reads and writes them several times faster. It refuses a few things
the json module takes (a lone surrogate in a bot's printed text, an integer
past 64 bits); those messages go through the json module instead, so the
messages mean the same either way.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # an optional speed-up (requirements.txt): everything works without it
    orjson = None


def dumps(message: Any) -> bytes:
    """The message as UTF-8 JSON."""
    if orjson is not None:
        try:
            return orjson.dumps(message)
        except TypeError:  # orjson.JSONEncodeError: a surrogate, a huge integer, a type it does not know
            pass
    return json.dumps(message).encode("utf-8")


def loads(data: bytes) -> Any:
    """A message from UTF-8 JSON; ValueError (UnicodeDecodeError, json's JSONDecodeError) if it is not."""
    if orjson is not None:
        try:
            return orjson.loads(data)
        except ValueError:  # orjson.JSONDecodeError: perhaps what only the json module reads (a surrogate escape)
            pass
    return json.loads(data.decode("utf-8"))
