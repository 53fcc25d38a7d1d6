"""The cyclic garbage collector paused around work that keeps many objects alive and makes no reference cycles.

A worker's chunk of bot-file matches (`game.tournament.batch.collector_paused`) and the parent's summary of a
match log (`game.tournament.finish`) each hold hundreds of thousands of objects at once; every collection
walked them all again, while reference counting alone frees them.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def without_collector() -> Iterator[None]:
    """The cyclic collector off inside the block (left as it was if it was off already)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
