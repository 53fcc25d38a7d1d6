"""Reasons for people (issue 17): every built-in bot explains its moves in words a student reads."""

from __future__ import annotations

import re

import pytest

from game.bots import BUILTIN, make_bot
from game.engine import tables
from game.match import play_match
from game.scenario import default_scenario

SPECS = {name: name for name in BUILTIN}
SPECS["ismcts"] = "ismcts:steps=40"  # the default search (the line search) at a small budget
SPECS["ismcts:search=tree"] = "ismcts:iterations=6"  # the tree search, still offered
OPPONENTS = ("reciprocator", "trapper", "hawk")


def _reasons(name: str) -> list[tuple[str, str]]:
    sc = default_scenario()
    out = []
    for n, opp in enumerate(OPPONENTS):
        for us, dprk in ((SPECS[name], opp), (opp, SPECS[name])):
            side = "us" if us == SPECS[name] else "dprk"
            r = play_match(sc, n, {"us": make_bot(us), "dprk": make_bot(dprk)})
            out += [(st.action, st.reason) for st in r.steps if st.side == side]
    return out


@pytest.mark.parametrize("name", list(SPECS))
def test_reasons_use_the_games_words_not_internal_names(name):
    """No item or card id, no probability or sample count, no empty reason: names as the rulebook has them."""
    T = tables(default_scenario())
    ids = {i for i in T.items if "_" in i} | {c for d in T.card.values() for c in d if "_" in c}
    steps = _reasons(name)
    assert steps
    for action, reason in steps:
        assert reason.strip(), f"{name}: no reason for {action}"
        assert not any(re.search(rf"\b{i}\b", reason) for i in ids), f"{name}: an internal name in {reason!r}"
        assert "P(" not in reason and "samples" not in reason, f"{name}: engineer's words in {reason!r}"


def test_a_broken_promise_is_named_in_the_reply():
    """The reciprocator that answers a broken promise says which promise was broken and when."""
    sc = default_scenario()
    for seed in range(6):
        r = play_match(sc, seed, {"us": make_bot("reciprocator"), "dprk": make_bot("trapper")})
        for st in r.steps:
            if st.side == "us" and "broke your promise on" in st.reason:
                name = st.reason.split("broke your promise on ")[1]
                assert any(name.startswith(it.name) for it in tables(sc).items.values()), st.reason
                return
    pytest.fail("no reply to a broken promise in six trapper matches")
