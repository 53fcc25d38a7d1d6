"""The readable transcript: the stream of things that happened, as one reader saw it (worded by the narrator).

A replayed match's transcript numbers each action's first line with its
action number, the N that `replay --fork-at N` takes to keep the match up to
and including that action; the replay viewer's log uses the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from game.happenings import HappeningKind as K
from game.narrator import Narrator, narrate_lines
from game.scenario import Scenario
from game.state import Happening, State
from game.view import SPECTATOR

# What frames the actions rather than being one: its lines never carry an action's number.
_FRAME = frozenset({K.ROUND, K.TURN, K.ROUND_END, K.GAME_OVER, K.REVEAL_AGENDA, K.TRUST})


@dataclass(frozen=True)
class StepLines:
    """The transcript lines one step added (step 0: the opening) and which of them is the action's own first line."""

    lines: list[str]
    first: int | None   # index into `lines` of the action's first line; None if the reader saw none of it


def transcript_lines(happenings: Iterable[Happening], side: str = SPECTATOR, *, scenario: Scenario,
                     verbose: bool = False) -> list[str]:
    """The transcript lines for the things that happened that `side` ('us', 'dprk', 'all', 'public') may see."""
    return narrate_lines(happenings, scenario, side, verbose=verbose)


def step_lines(states: Sequence[State], side: str = SPECTATOR, *, scenario: Scenario,
               verbose: bool = False) -> list[StepLines]:
    """The transcript split by step: `states[i].happened` is what action i did (`states[0]`, the opening)."""
    narrator = Narrator(scenario, side, verbose=verbose)
    out: list[StepLines] = []
    for n, state in enumerate(states):
        lines: list[str] = []
        first = None
        # One happening at a time (the narrator's output is the same as for the whole batch) to see which is whose.
        for h in state.happened:
            said = narrator.lines([h])
            if first is None and n > 0 and h.kind not in _FRAME:
                first = next((len(lines) + k for k, line in enumerate(said) if line.strip()), None)
            lines.extend(said)
        out.append(StepLines(lines, first))
    return out


def numbered_transcript_lines(states: Sequence[State], side: str = SPECTATOR, *, scenario: Scenario,
                              verbose: bool = False) -> list[str]:
    """The transcript of a replayed match with each action's number ('12.') in front of its first line."""
    out: list[str] = []
    for n, step in enumerate(step_lines(states, side, scenario=scenario, verbose=verbose)):
        for k, line in enumerate(step.lines):
            if k == step.first:
                line = f"{n}.".rjust(3) + " " + line.lstrip()
            out.append(line)
    return out
