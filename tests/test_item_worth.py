"""One valuation rule: the scores, the heuristic bots' `Valuer` and `ismcts` value items alike (issue 11, part 5)."""

from __future__ import annotations

import pytest

from game.bots.common import Valuer
from game.bots.ismcts_policy import _values
from game.engine import agenda_cards, item_worth, new_game, score_breakdown, tables, verified_from
from game.engine.legality import latest_commitments
from game.state import Commitment
from game.view import view
from tests.helpers import scenario

END_OF_WAR = ("end_of_war", "us", "dprk", "verified")
TEST_SITE = ("test_site", "dprk", "us", "verified")
TREATY = ("peace_treaty", "us", "dprk", "verified")


def _state(motive, intent, domestic, commitments=(), bonuses=()):
    """A started game with the given commitments and value bonuses set (the fields valuation reads)."""
    sc = scenario(motive=motive, intent=intent, domestic=domestic)
    s = new_game(sc, 1).clone()
    s.commitments = tuple(Commitment(i, g, r, "hotline", 1, 2, st, st in ("verified", "claimed"), 2)
                          for i, g, r, st in commitments)
    s.bonuses = tuple(bonuses)
    return s


CASES = [
    # The hawkish Congress's strategic surcharge, then waived once a denuclearization step is verified.
    ("rift_with_beijing", "sincere", "hawkish_congress", [END_OF_WAR], (), "us", "end_of_war", -4.5),
    ("rift_with_beijing", "sincere", "hawkish_congress", [END_OF_WAR, TEST_SITE], (), "us", "end_of_war", -3.0),
    # An event's value bonus on a tag.
    ("sanctions_bite", "sincere", "hawkish_congress", [("partial_relief", "us", "dprk", "verified")],
     [("dprk", "relief", 1)], "dprk", "partial_relief", 11.0),
    # A trap's doubled strategic cost.
    ("rift_with_beijing", "trap", "hawkish_congress", [("declaration", "dprk", "us", "verified")], (), "dprk",
     "declaration", -8.0),
]


@pytest.mark.parametrize("motive,intent,domestic,commitments,bonuses,side,item,points", CASES)
def test_scores_bots_and_search_value_an_item_alike(motive, intent, domestic, commitments, bonuses, side, item,
                                                    points):
    """The score's part for an item, the bots' worth of it and ismcts's value or cost are one number."""
    s = _state(motive, intent, domestic, commitments, bonuses)
    T = tables(s.scenario)
    name = T.items[item].name
    parts = dict(score_breakdown(s, side))
    received = T.items[item].giver != side
    label = f"received {name}" if received else f"gave {name}"
    assert parts[label] == pytest.approx(points)
    w = item_worth(T, side, item, agenda_cards(s, side), s.bonuses, verified_from(latest_commitments(s), side))
    assert (w.value if received else -w.cost) == pytest.approx(points)
    val = Valuer(view(s, side), T)
    assert val.worth(item) == w
    search = _values(s, T, side)
    assert (search.value[item] if received else -search.cost[item]) == pytest.approx(points)


def test_a_bonus_for_an_item_in_force_lowers_what_giving_it_costs():
    """The engagement mandate pays the US 3 while the treaty is in force: the US's own treaty costs it 3 less."""
    s = _state("rift_with_beijing", "sincere", "engagement_mandate", [END_OF_WAR, TREATY])
    T = tables(s.scenario)
    parts = dict(score_breakdown(s, "us"))
    assert parts["peace treaty in force"] == 3 and parts["gave peace treaty"] == -6
    val = Valuer(view(s, "us"), T)
    assert val.cost("peace_treaty") == pytest.approx(6 - 3 - val.stake("peace_treaty"))
    assert _values(s, T, "us").cost["peace_treaty"] == pytest.approx(3)


def test_the_search_sees_a_waiver_come_into_effect():
    """ismcts's cached values follow the waiver: before and after the verified step, two different costs."""
    before = _state("rift_with_beijing", "sincere", "hawkish_congress", [END_OF_WAR])
    after = _state("rift_with_beijing", "sincere", "hawkish_congress", [END_OF_WAR, TEST_SITE])
    T = tables(before.scenario)
    assert _values(before, T, "us").cost["peace_treaty"] == pytest.approx(9)
    assert _values(after, T, "us").cost["peace_treaty"] == pytest.approx(6)
