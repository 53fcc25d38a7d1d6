"""What students' bots print: collected during a match, shown prefixed with the bot's name.

A bot file's `print` output goes to its seat's log, never into the protocol;
`PrintedOutput` takes what is new after every step, so `match` can show each
line with the bot's name and the round it was printed in.
"""

from __future__ import annotations

from typing import Any

MAX_LINES = 200  # per bot and match shown in the terminal; the rest is counted


class PrintedOutput:
    """Collects the lines each bot that prints (a file bot) wrote during a match, tagged with name and round."""

    def __init__(self, players: dict[str, Any]):
        self.players = players
        self.lines: list[str] = []
        self.hidden: dict[str, int] = {}
        self._shown: dict[str, int] = {}

    def poll(self, round_no: int) -> None:
        """Take whatever each bot printed since the last poll."""
        for side, bot in self.players.items():
            take = getattr(bot, "take_output", None)
            if take is None:
                continue
            text = take()
            if not text:
                continue
            who = f"{bot.name} ({side})"
            for line in text.rstrip("\n").split("\n"):
                if self._shown.get(side, 0) >= MAX_LINES:
                    self.hidden[who] = self.hidden.get(who, 0) + 1
                    continue
                self._shown[side] = self._shown.get(side, 0) + 1
                self.lines.append(f"[{who}, round {round_no}] {line}")

    def on_step(self, state, step, happenings) -> None:
        """`play_match`'s on_step hook: poll after every action."""
        self.poll(step.round)

    def report(self) -> list[str]:
        """The lines to print after the match (empty if no bot printed anything)."""
        if not self.lines:
            return []
        more = [f"... {n} more lines printed by {who} not shown" for who, n in self.hidden.items()]
        return ["", "What the bots printed:", *self.lines, *more]
