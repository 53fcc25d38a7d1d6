"""Run one match between any mix of bots (and, through the window, people).

`play_match` is the single loop every use shares: the terminal match, the
tournament workers and, later, the game window's bot seats. Each decision is
asked of the side to move with its own view only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from game.actions import Action, ActionParseError
from game.bots.base import Bot, BotForfeit, bot_rng, bot_seed
from game.engine import apply, legal_actions, new_game, scores
from game.record.schema import Forfeit, Step
from game.scenario import Scenario
from game.state import Happening, State
from game.view import view

# Defined where they belong (the bot protocol, the record's schema); importable from here as before.
__all__ = ["BotForfeit", "Forfeit", "MatchResult", "Step", "bot_rng", "bot_seed", "play_match"]


@dataclass
class MatchResult:
    """A finished (or stopped) match: the final state, every step and everything that happened."""

    scenario: Scenario
    seed: int
    players: dict[str, str]
    final: State
    steps: list[Step] = field(default_factory=list)
    happenings: list[Happening] = field(default_factory=list)
    forfeit: Forfeit | None = None

    @property
    def scores(self) -> dict[str, float]:
        """Final scores (a forfeiting side's score is what the board gave it when it forfeited)."""
        return scores(self.final)

    @property
    def outcome(self) -> str:
        """'settlement', 'peace', 'crisis', 'plain', 'forfeit', or 'unfinished'."""
        if self.forfeit is not None:
            return "forfeit"
        return self.final.outcome or "unfinished"


def play_match(scenario: Scenario, seed: int, players: dict[str, Bot], *, start: State | None = None,
               prior_steps: list[Step] | None = None, checksums: bool = False,
               on_step: Callable[[State, Step, list[Happening]], None] | None = None,
               max_steps: int = 100_000) -> MatchResult:
    """Play a match to its end; `start` (with `prior_steps`) resumes one. Bots only ever get their side's view."""
    state = start if start is not None else new_game(scenario, seed)
    result = MatchResult(scenario, seed, {s: b.label() for s, b in players.items()}, state,
                         list(prior_steps or []), list(state.happened) if start is None else [])
    rngs = {s: bot_rng(seed, s) for s in players}
    # A bot gets its own derived seed, never the match seed: with the match seed it could redraw the hidden cards.
    try:
        for s, bot in players.items():
            side = s
            bot.scenario = scenario  # the match's rules: public, and what a bot values items by
            bot.reset(s, bot_seed(seed, s))
    except BotForfeit as f:
        result.forfeit = Forfeit(side, f.kind, f.detail)
        return result
    for _ in range(max_steps):
        if state.is_over:
            break
        side = state.to_move
        legal = legal_actions(state)
        bot = players[side]
        try:
            choice = bot.choose(view(state, side), legal, rngs[side])
        except BotForfeit as f:
            result.forfeit = Forfeit(side, f.kind, f.detail)
            break
        action, reason = (choice if isinstance(choice, tuple) and len(choice) == 2 else (choice, ""))
        if isinstance(action, str):  # the text form is accepted as well, as from a sandboxed bot
            try:
                action = Action.parse(action)
            except ActionParseError:
                pass
        if not isinstance(action, Action):
            result.forfeit = Forfeit(side, "garbage", f"{_clip(repr(action))} is not an action")
            break
        if action not in legal:
            result.forfeit = Forfeit(side, "illegal", f"{action!s} is not a legal action")
            break
        taken_in = state.round
        state, ev = apply(state, action)
        step = Step(side, taken_in, str(action), str(reason)[:200],
                    state.checksum() if checksums else "")
        result.steps.append(step)
        result.happenings.extend(ev)
        if on_step is not None:
            on_step(state, step, ev)
    result.final = state
    return result


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
