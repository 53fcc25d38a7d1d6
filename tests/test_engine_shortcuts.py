"""The engine's shortcuts give what the rules they stand for give (game.engine.legality)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.engine import apply, latest_commitments, legal_actions, new_game, tables
from game.engine.board import _blocked_items, _scan
from game.engine.legality import _dealable_tiers
from game.scenario import load_scenario

SCENARIOS = sorted(Path(__file__).resolve().parent.parent.glob("rules/*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_dealable_tiers_are_the_tiers_of_the_items_the_scan_lets_through(path):
    """_dealable_tiers (which stops early) is the tiers of every item either side could put in a deal."""
    sc = load_scenario(path)
    T = tables(sc)
    seen = set()
    for seed in range(40):
        state, rng = new_game(sc, seed), random.Random(seed)
        while not state.is_over:
            latest = latest_commitments(state)
            blocked = _blocked_items(state, latest)
            ti = state.trust_index()
            side = state.to_move
            items = (_scan(state, T, side, T.all_tiers, blocked, latest, ti)
                     + _scan(state, T, T.other[side], T.all_tiers, blocked, latest, ti))
            expected = {T.items[i].tier for i in items}
            assert _dealable_tiers(state, T, side, latest) == expected
            seen.add(frozenset(expected))
            state, _ = apply(state, rng.choice(legal_actions(state)))
    assert len(seen) > 3 and frozenset() in seen  # many different sets, the empty one among them
    if path.stem == "summit_2018":
        assert frozenset(T.all_tiers) in seen  # the scan stopped early (every tier found)
