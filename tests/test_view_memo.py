"""Views made from shared parts (game.view's memo) are exactly what they were made from: the same JSON text,
whatever was made before."""

from __future__ import annotations

import json
import random

from game.engine import apply, legal_actions, new_game, tables
from game.scenario import default_scenario
from game.view import PUBLIC, SPECTATOR, view


def _states(seeds: range):
    sc = default_scenario()
    for seed in seeds:
        state, rng = new_game(sc, seed), random.Random(seed)
        yield state
        while not state.is_over:
            state, _ = apply(state, rng.choice(legal_actions(state)))
            yield state


def _texts(states, fresh_memo: bool) -> list[str]:
    out = []
    for state in states:
        for side in ("us", "dprk", SPECTATOR, PUBLIC):
            if fresh_memo:
                tables(state.scenario).__dict__.pop("_view_memo", None)
            v = view(state, side)
            text = json.dumps(v.to_dict())
            out.append(text)
    return out


def test_memo_changes_no_view():
    """Views made with the memo warm (in two different orders) equal views made each from an empty memo."""
    states = list(_states(range(12)))
    cold = _texts(states, fresh_memo=True)
    assert _texts(states, fresh_memo=False) == cold
    warm_reversed = _texts(list(reversed(states)), fresh_memo=False)
    expected = [t for i in reversed(range(0, len(cold), 4)) for t in cold[i:i + 4]]
    assert warm_reversed == expected


def test_hidden_claims_stay_hidden_with_a_warm_memo():
    """A claim the spectator sees as done is still `done=None` to the other side after the spectator's view."""
    for state in _states(range(30)):
        spectator = view(state, SPECTATOR)
        for side in ("us", "dprk"):
            mine = view(state, side)
            for c, seen in zip(spectator.commitments, mine.commitments):
                if c.status == "claimed" and c.giver != side and not state.is_over:
                    assert seen.done is None
                else:
                    assert seen.done == c.done
