"""The readable transcript: the stream of things that happened, as one reader saw it (worded by the narrator)."""

from __future__ import annotations

from typing import Iterable

from game.narrator import narrate_lines
from game.scenario import Scenario
from game.state import Happening
from game.view import SPECTATOR


def transcript_lines(happenings: Iterable[Happening], side: str = SPECTATOR, *, scenario: Scenario,
                     verbose: bool = False) -> list[str]:
    """The transcript lines for the things that happened that `side` ('us', 'dprk', 'all', 'public') may see."""
    return narrate_lines(happenings, scenario, side, verbose=verbose)
