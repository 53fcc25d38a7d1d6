"""How the built-in bots plan toward the big endings: end stakes, refused deals, the verifier's inspection rule."""

from __future__ import annotations

from game.bots import make_bot
from game.bots.common import Ctx, HeuristicBot, Valuer, best_deal, end_stakes
from game.engine import new_game, tables
from game.match import play_match
from game.scenario import default_scenario
from game.view import view


def _deals(result, side: str) -> list[tuple[int, frozenset, frozenset]]:
    """Every deal `side` sent in a match: (round, what it gives, what it asks for)."""
    out, give, get = [], set(), set()
    for step in result.steps:
        words = step.action.split()
        if step.side != side:
            continue
        if words[1] in ("propose", "counter"):
            give, get = set(), set()
        elif words[1] == "give":
            give.add(words[2])
        elif words[1] == "get":
            get.add(words[2])
        elif words[1] == "send":
            out.append((step.round, frozenset(give), frozenset(get)))
    return out


def test_the_steps_to_peace_and_settlement_carry_the_ending_they_lead_to():
    sc = default_scenario()
    T = tables(sc)
    v = view(new_game(sc, 1), "us")
    o = sc.outcomes
    stakes = end_stakes(v, T)
    peace_gain = o.peace - v.trust_index / o.plain_trust_divisor
    assert stakes["peace_treaty"] == stakes["end_of_war"] == peace_gain
    settle_gain = o.settlement - o.peace
    for step in ("denuclearization", "declaration", "inspectors"):
        assert stakes[step] == settle_gain, step
    # What a settlement adds is owed to the denuclearization steps, not again to the treaty.
    assert "reactor_freeze" not in stakes and "aid" not in stakes
    # Both sides count the ending: giving the treaty costs the US less than the table says, by the same stake.
    val = Valuer(v, T)
    with_stakes = val.cost("peace_treaty"), val.value("end_of_war")
    val.stakes = {}
    assert with_stakes == (val.cost("peace_treaty") - peace_gain, val.value("end_of_war") + peace_gain)


def test_a_chain_that_cannot_finish_in_the_rounds_left_is_worth_nothing():
    sc = default_scenario()
    late = new_game(sc, 1).clone()
    late.round = sc.rounds - 1  # two strategic steps, two rounds each, no longer fit
    assert end_stakes(view(late, "us"), tables(sc)) == {}


def test_a_refused_deal_is_not_offered_again_for_three_rounds():
    result = play_match(default_scenario(), 5, {"us": make_bot("reciprocator"), "dprk": make_bot("passive")})
    deals = _deals(result, "us")
    assert len(deals) >= 2, "the reciprocator should keep trying"
    for n, (rnd, give, get) in enumerate(deals):
        for later, g2, t2 in deals[n + 1:]:
            if (g2, t2) == (give, get):
                assert later - rnd >= HeuristicBot.REMEMBER_REFUSAL, (rnd, later, give, get)


def test_best_deal_skips_excluded_and_disallowed_deals():
    sc = default_scenario()
    T = tables(sc)
    val = Valuer(view(new_game(sc, 1), "us"), T)
    first = best_deal(val, ["aid"], ["remains"], min_mine=0.0, min_theirs=-5, weight_theirs=1.0)
    assert first == (("aid",), ("remains",))
    second = best_deal(val, ["aid"], ["remains"], min_mine=0.0, min_theirs=-5, weight_theirs=1.0, exclude={(frozenset(first[0]), frozenset(first[1]))})
    assert second is not None and second != first
    assert best_deal(val, ["aid"], ["remains"], min_mine=0.0, min_theirs=-5, weight_theirs=1.0, allowed=lambda give, get: not give) == ((), ("remains",))


def test_the_verifier_takes_an_unverifiable_strategic_item_only_with_a_way_to_check_it():
    sc = default_scenario()
    bot = make_bot("verifier")
    bot.reset("us", 1)
    ctx = Ctx(view(new_game(sc, 1), "us"), [], sc)
    assert not bot.deal_ok(ctx, (), ("declaration",))
    assert bot.deal_ok(ctx, (), ("inspectors", "declaration"))
    assert bot.deal_ok(ctx, ("aid",), ("remains",))
