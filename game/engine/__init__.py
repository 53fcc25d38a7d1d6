"""The rules: new_game, legal_actions, apply, scores.

`apply(state, action)` is the one way to change a game. It checks the action
against `legal_actions(state)`, clones the state, runs the action's move
handler (what the action does), then the flow (when a turn, a round or the
game ends), and returns the new state with the list of things that happened.

The parts, each in its own module (imports run down this list, never up):
`setup` (new_game), `moves` (apply and the `_do_*` move handlers), `flow`
(`_advance` and what it calls: turns, rounds, summits, events, the end),
`scoring`, `effects` (the state changes moves and flow share), `explain`
(why_not, explain_illegal), `legality` (each move's rule, legal_actions), `board`
(what the rules read, the item rule) and `lookup` (the
per-scenario lookup tables). Nothing here imports pygame, reads the clock or
iterates a set: every random draw comes from the generator stored in the state.
"""

from game.actions import IllegalActionError
from game.engine.explain import explain_illegal, why_not
from game.engine.legality import (
    Board, deal_item_reasons, latest_commitments, legal_actions, summit_accept_blocker, summit_blocker,
)
from game.engine.moves import apply
from game.engine.scoring import ItemWorth, item_worth, score_breakdown, scores, verdict, verified_from
from game.engine.setup import new_game
from game.engine.lookup import MAX_DEAL_ITEMS, NO_SUMMIT, SUMMIT, Tables, agenda_cards, deal_text, tables

__all__ = ["new_game", "legal_actions", "apply", "scores", "score_breakdown", "explain_illegal", "IllegalActionError",
           "MAX_DEAL_ITEMS", "NO_SUMMIT", "SUMMIT", "Tables", "tables", "agenda_cards", "latest_commitments",
           "summit_blocker", "summit_accept_blocker", "verdict", "deal_text", "why_not", "Board", "deal_item_reasons",
           "ItemWorth", "item_worth", "verified_from"]
