"""`ismcts:level=easy|normal|hard` (issue 17): the budget and line of each level, and the beginner's two mistakes."""

from __future__ import annotations

import pytest

from game.bots import BotSpecError, make_bot
from game.bots.heuristics import DoveBot, VerifierBot
from game.bots.ismcts import LEVELS
from game.engine import new_game, tables
from game.match import play_match
from game.scenario import default_scenario
from game.view import view


def test_levels_are_named_in_the_label_and_checked():
    assert make_bot("ismcts:level=easy").label() == "ismcts:level=easy"
    assert make_bot("ismcts:level=normal").label() == "ismcts"  # the default level is not shown
    assert make_bot("ismcts:level=hard").steps > make_bot("ismcts").steps > make_bot("ismcts:level=easy").steps
    tree = "ismcts:search=tree"
    assert (make_bot(f"{tree},level=hard").iterations > make_bot(tree).iterations
            > make_bot(f"{tree},level=easy").iterations)
    assert make_bot("ismcts:level=hard,iterations=7").iterations == 7  # an explicit budget wins (and means the tree)
    assert make_bot("ismcts:level=hard,steps=70").steps == 70
    with pytest.raises(BotSpecError, match="level must be one of easy, normal, hard"):
        make_bot("ismcts:level=expert")
    assert LEVELS["easy"].line is DoveBot and LEVELS["hard"].line is VerifierBot


def _seen(view_, kept: int, claimed: int):
    """A view of the US in which the DPRK has kept `kept` promises and claims `claimed` unverifiable ones."""
    import dataclasses

    from game.view import CommitmentView

    items = ["remains", "detainees", "missile_moratorium", "nuclear_moratorium"]
    cs = [CommitmentView(i, i, "dprk", "us", "working", 1, 2, "verified", True, 2) for i in items[:kept]]
    cs += [CommitmentView(i, i, "dprk", "us", "working", 1, 2, "claimed", None, 2) for i in items[kept:kept + claimed]]
    return dataclasses.replace(view_, commitments=tuple(cs))


def test_a_beginner_trusts_after_one_kept_promise_and_believes_every_claim():
    sc = default_scenario()
    T = tables(sc)
    v = view(new_game(sc, 1), "us")
    easy, normal = make_bot("ismcts:level=easy"), make_bot("ismcts")
    for b in (easy, normal):
        b.scenario = sc
        b.reset("us", 1)
    _, _, p_easy = easy.belief(_seen(v, 1, 0), T)
    _, _, p_normal = normal.belief(_seen(v, 1, 0), T)
    assert p_easy == 0.0 < p_normal
    _, claims_easy, _ = easy.belief(_seen(v, 0, 2), T)
    _, claims_normal, _ = normal.belief(_seen(v, 0, 2), T)
    assert min(claims_easy.values()) > max(claims_normal.values())


@pytest.mark.parametrize("budget", ["steps=40", "iterations=4"])  # the line search (the default), the tree
def test_a_beginner_never_checks_a_claim(budget):
    """In whole matches against the trapper (who fakes its promises), the easy level never uses intelligence,
    where the normal level does."""
    sc = default_scenario()
    easy, normal, checked = f"ismcts:level=easy,{budget}", f"ismcts:{budget}", 0
    for seed in range(3):
        for us, dprk in ((easy, "trapper"), ("trapper", easy)):
            r = play_match(sc, seed, {"us": make_bot(us), "dprk": make_bot(dprk)})
            side = "us" if us == easy else "dprk"
            assert r.steps and not any(st.action.startswith(f"{side} intel") for st in r.steps)
            other = "dprk" if side == "us" else "us"
            r = play_match(sc, seed, {side: make_bot(normal), other: make_bot("trapper")})
            checked += any(st.action.startswith(f"{side} intel") for st in r.steps)
    assert checked > 0
