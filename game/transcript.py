"""The readable transcript: the stream of things that happened, as one side (or everyone) saw it."""

from __future__ import annotations

from typing import Iterable

from game.state import Happening
from game.view import SPECTATOR, visible

# Draft steps are noise in a transcript: the sent proposal says it all.
_SKIPPED = frozenset({"draft"})


def transcript_lines(happenings: Iterable[Happening], side: str = SPECTATOR) -> list[str]:
    """The transcript lines for the things that happened that `side` may see, round by round."""
    lines: list[str] = []
    for h in happenings:
        if not visible(h, side) or h.kind in _SKIPPED:
            continue
        private = " [private]" if h.to is not None and side == SPECTATOR else ""
        if h.kind == "round":
            if lines:
                lines.append("")
            lines.append(f"== {h.text} ==")
        elif h.kind == "turn":
            lines.append(f"  -- {h.text} --")
        elif h.kind in ("round_end", "game_over", "reveal_agenda"):
            lines.append(h.text)
        else:
            lines.append(f"    {h.text}{private}")
    return lines
