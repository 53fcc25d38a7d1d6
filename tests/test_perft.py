"""Perft-style counts: legal actions and two-step action sequences from fixed positions (tests/data/perft.json).

Each stored position is a seed and the full list of actions that reaches it in the GAME.md
baseline scenario (tests/data/game_md.toml, the default file as GAME.md numbers it: balance
tuning of rules/summit_2018.toml does not move these counts, a change of the engine's rules does). The test replays the list, then recomputes perft(1) = len(legal_actions(s)) and
perft(2) = sum over legal a of len(legal_actions(apply(s, a))) and compares them with the file,
so any change to what is legal somewhere shows up. When a rules change is intended, rewrite the
file on purpose and commit it with the change:

    python -m tests.test_perft --regen

The positions are made from the short RECIPES below: each lists only the actions that matter,
and the scripted players of tests/helpers.py fill in the rest (accept, implement, pass).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from game.actions import Action
from game.engine import apply, legal_actions, new_game
from game.scenario import Scenario, parse_scenario

DATA = Path(__file__).resolve().parent / "data" / "perft.json"

RECIPES: list[dict] = [
    {"name": "start-seed-1", "seed": 1, "about": "the first move of seed 1", "script": []},
    {"name": "mid-game-seed-2", "seed": 2,
     "about": "mid-game: channels open, groundwork laid, deals agreed and settled, one commitment due",
     "script": ["us open working", "us open exchange", "dprk accept", "dprk accept",
                "dprk meet declaration", "dprk propose working", "dprk give remains", "dprk get aid", "dprk send",
                "us accept", "us meet declaration", "us exchange",
                "us implement aid", "dprk implement remains",
                "us propose working", "us get detainees", "us give travel", "us send", "dprk accept",
                "dprk exchange", "dprk pressure threat", "us pass"]},
    {"name": "summit-draft-seed-1", "seed": 1,
     "about": "a summit round, the US drafting a deal at the summit",
     "script": ["us open working", "us open exchange", "dprk accept", "dprk accept",
                "dprk meet end_of_war", "dprk meet peace_treaty",
                "dprk meet security_guarantee", "dprk meet end_of_war", "us meet peace_treaty", "us meet full_relief",
                "us meet full_relief", "us meet declaration", "dprk summit", "us accept",
                "us propose summit", "us give aid"]},
]


_SCENARIO: list[Scenario] = []


def baseline() -> Scenario:
    """The GAME.md baseline scenario, parsed once."""
    if not _SCENARIO:
        from tests.helpers import BASELINE_TOML, raw_baseline

        _SCENARIO.append(parse_scenario(raw_baseline(), str(BASELINE_TOML)))
    return _SCENARIO[0]


def reach(seed: int, actions: list[str]):
    """Replay an action list from a new game of the baseline scenario."""
    s = new_game(baseline(), seed)
    for n, text in enumerate(actions):
        a = Action.parse(text)
        assert a in legal_actions(s), f"step {n} ({text}) is no longer legal: regenerate perft.json if intended"
        s, _ = apply(s, a)
    return s


def perft(state, depth: int) -> int:
    """The number of legal action sequences of this length from a state."""
    legal = legal_actions(state)
    if depth == 1:
        return len(legal)
    return sum(perft(apply(state, a)[0], depth - 1) for a in legal)


def regenerate() -> dict:
    """Play the recipes and compute every position's counts."""
    from tests.helpers import Game

    positions = []
    for r in RECIPES:
        g = Game(baseline(), r["seed"]).play(*r["script"])
        s = g.state
        positions.append({
            "name": r["name"], "about": r["about"], "seed": r["seed"], "actions": g.actions,
            "round": s.round, "to_move": s.to_move, "phase": s.phase, "summit_round": s.summit_round,
            "checksum": s.checksum(), "legal": [str(a) for a in legal_actions(s)],
            "perft": {"1": perft(s, 1), "2": perft(s, 2), "3": perft(s, 3)},
        })
    return {"about": "Perft counts of the GAME.md baseline scenario (tests/data/game_md.toml); "
                     "regenerate with `python -m tests.test_perft --regen`.",
            "scenario": baseline().content_hash, "positions": positions}


def _load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_file_covers_the_recipes():
    """The stored positions are the recipes' positions, including a summit round with a draft."""
    data = _load()
    assert [p["name"] for p in data["positions"]] == [r["name"] for r in RECIPES]
    kinds = {(p["phase"], p["summit_round"]) for p in data["positions"]}
    assert ("draft", True) in kinds
    assert any(p["round"] >= 4 for p in data["positions"])


@pytest.mark.parametrize("name", [r["name"] for r in RECIPES])
def test_perft_counts(name):
    """Replaying the stored actions reaches the same position with the same perft(1), perft(2) and perft(3)."""
    data = _load()
    p = next(p for p in data["positions"] if p["name"] == name)
    if data["scenario"] != baseline().content_hash:
        print("note: tests/data/game_md.toml changed since perft.json was written; if the counts differ "
              "and the change is intended, run `python -m tests.test_perft --regen`")
    s = reach(p["seed"], p["actions"])
    assert (s.round, s.to_move, s.phase, s.summit_round) == (p["round"], p["to_move"], p["phase"], p["summit_round"])
    assert [str(a) for a in legal_actions(s)] == p["legal"]
    assert {"1": perft(s, 1), "2": perft(s, 2), "3": perft(s, 3)} == p["perft"]
    assert s.checksum() == p["checksum"]


def main(argv: list[str] | None = None) -> int:
    """`python -m tests.test_perft --regen` rewrites tests/data/perft.json; without --regen it prints the counts."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regen", action="store_true", help="rewrite tests/data/perft.json from the recipes")
    args = ap.parse_args(argv)
    data = regenerate()
    for p in data["positions"]:
        print(f"{p['name']}: round {p['round']} {p['to_move']} {p['phase']}, perft {p['perft']}")
    if args.regen:
        DATA.parent.mkdir(parents=True, exist_ok=True)
        DATA.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
