"""The action menu and the deal builder agree with the engine, and every refusal names its rule.

A property test plays games (random play, and built-in bots that make deals, summits and claims) and at
every step checks: the menu's legal entries are exactly `legal_actions`; every greyed entry has a specific
reason, the one `explain_illegal` gives; `why_not` on the view's board says what it says on the state for
every action one could write; and the deal builder's addable items are exactly the `give`/`get` actions
the engine allows once the deal is started.
"""

from __future__ import annotations

import random
from collections import Counter as Multiset

from hypothesis import HealthCheck, given, settings, strategies as st

from game.actions import Counter, Propose, deal_steps
from game.bots import make_bot
from game.engine import SUMMIT, apply, explain_illegal, legal_actions, new_game, tables, why_not
from game.menu import GROUPS, action_menu, deal_options
from game.scenario import default_scenario
from game.view import PUBLIC, SPECTATOR, board, view
from tests.helpers import Game, open_at_start, scenario
from tests.test_properties import action_universe

SCENARIOS = {"default": default_scenario(),
             "open50": scenario(open_at_start("hotline", "working", "exchange", trust=50), events=None)}
UNIVERSE = {name: action_universe(sc) for name, sc in SCENARIOS.items()}
GENERIC = ("not legal now", "cannot be added now", "can no longer be accepted as it stands")
COMMON = dict(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_menu(state, universe) -> None:
    """The menu, why_not and the deal builder against legal_actions, in one state."""
    legal = legal_actions(state)
    mover = state.to_move
    for who in (mover, SPECTATOR):
        menu = action_menu(view(state, who))
        if state.is_over:
            assert menu == ()
            continue
        assert {e.group for e in menu} <= set(GROUPS) and len({e.key for e in menu}) == len(menu)
        assert Multiset(e.action for e in menu if e.legal) == Multiset(legal), (state, who)
        for e in menu:
            assert e.label and e.rule and e.effect and e.cost == (1 if e.action and e.action.costs_ap else 0)
            if e.legal:
                assert e.reason == ""
                continue
            assert e.reason and not any(g in e.reason for g in GENERIC), e
            if e.action is not None:
                assert e.action not in legal and explain_illegal(state, e.action) == e.reason
    if not state.is_over:
        assert action_menu(view(state, state.other(mover))) == ()
        assert action_menu(view(state, PUBLIC)) == ()
    b = board(view(state, mover))
    for a in universe:
        why = why_not(state, a)
        assert (why is None) == (a in legal), (a, why)
        assert why is None or (why and not any(g in why for g in GENERIC)), (a, why)
        if a.side == mover:
            assert why_not(b, a) == why, (a, why)
    check_deal_options(state)


def check_deal_options(state) -> None:
    """Addable items are the give/get the engine allows after the deal (or counter) starts; a full deal sends."""
    side = state.to_move
    v = view(state, side)
    legal = legal_actions(state)
    starts = [(a.channel, a) for a in legal if isinstance(a, Propose)]
    if state.phase == "answer" and Counter(side) in legal:
        starts.append((state.proposals[0].channel if state.proposals[0].receiver == side else
                       next(p for p in state.proposals if p.receiver == side).channel, Counter(side)))
    for channel, first in starts:
        opts = deal_options(v, channel)
        drafting, _ = apply(state, first)
        after = legal_actions(drafting)
        assert [o.item for o in opts.give if o.addable] == [a.item for a in after if a.verb == "give"]
        assert [o.item for o in opts.get if o.addable] == [a.item for a in after if a.verb == "get"]
        assert not opts.can_send and "empty" in opts.why_not_send
        give = tuple(o.item for o in opts.give if o.addable)[:3]
        get = tuple(o.item for o in opts.get if o.addable)[:3]
        full = deal_options(v, channel, give, get)
        assert full.can_send, full.why_not_send
        s = state
        for a in deal_steps(side, channel, give, get, counter=isinstance(first, Counter)):
            s, _ = apply(s, a)
    if state.phase == "act":
        for ch in (*tables(state.scenario).channels, SUMMIT):
            if Propose(side, ch) not in legal:
                opts = deal_options(v, ch)
                assert not opts.can_send and opts.why_not_send == why_not(state, Propose(side, ch))


def play(name: str, seed: int, policy: str, stray: float = 0.1) -> set[str]:
    """Play one game by `policy` ('random', or bots 'us_bot/dprk_bot'), checking every state; what it reached."""
    sc = SCENARIOS[name]
    rng = random.Random(seed)
    state = new_game(sc, seed)
    bots = {}
    if policy != "random":
        for side, bot_name in zip(("us", "dprk"), policy.split("/")):
            bot = make_bot(bot_name)
            bot.scenario = sc
            bot.reset(side, seed)
            bots[side] = bot
    seen: set[str] = set()
    while True:
        check_menu(state, UNIVERSE[name])
        if state.is_over:
            return seen
        legal = legal_actions(state)
        seen.add(state.phase)
        seen.update(a.verb for a in legal)
        if state.summit_round:
            seen.add("summit round")
        bot = bots.get(state.to_move)
        if bot is None or rng.random() < stray:  # a bot game strays now and then, to reach more positions
            action = legal[rng.randrange(len(legal))]
        else:
            choice = bot.choose(view(state, state.to_move), legal, rng)
            action = choice[0] if isinstance(choice, tuple) else choice
        state, _ = apply(state, action)


@settings(max_examples=6, **COMMON)
@given(name=st.sampled_from(sorted(SCENARIOS)), seed=st.integers(0, 10_000),
       policy=st.sampled_from(["random", "verifier/trapper", "dove/reciprocator", "trapper/dove"]))
def test_menu_equals_legal_actions_in_every_reached_state(name, seed, policy):
    """Menu legal entries == legal_actions, reasons are specific and shared, deal builder == engine."""
    assert play(name, seed, policy)


def test_bot_games_reach_the_interesting_positions():
    """Fixed games, checked the same way, that reach answers, counters, claims, drafts and summits."""
    seen = set()
    for seed, policy in ((1, "verifier/trapper"), (2, "dove/reciprocator"), (3, "trapper/dove")):
        seen |= play("open50", seed, policy, stray=0.0)
    assert {"answer", "settle", "draft", "act", "counter", "fake", "implement", "break", "summit", "summit round",
            "give", "get", "intel", "reverse"} <= seen


def test_each_pressure_move_and_meeting_kind_is_its_own_entry():
    """A show of force is there (and submittable) even with nothing to break; each meeting item is an entry."""
    sc = SCENARIOS["open50"]
    s = new_game(sc, 1)
    menu = {e.key: e for e in action_menu(view(s, "us"))}
    assert menu["pressure:sanctions"].legal and menu["pressure:show_of_force"].legal
    apply(s, menu["pressure:show_of_force"].action)
    meets = [e for e in menu.values() if e.key.startswith("meet:")]
    assert meets and all(e.legal for e in meets)
    assert not menu["meet"].legal and "groundwork" in menu["meet"].reason


def test_reasons_name_the_rule():
    """A few refusals, worded for people."""
    g = Game(SCENARIOS["default"])
    menu = {e.key: e for e in action_menu(view(g.state, "us"))}
    assert menu["call"].reason == "the Leaders' hotline channel is closed"
    assert menu["open:hotline"].reason.startswith("the Leaders' hotline channel needs Working-level meetings trust")
    assert "summit needs" in menu["summit"].reason
    assert menu["intel:claim"].action is None and "no unverified claim" in menu["intel:claim"].reason
    sc = scenario(open_at_start("hotline", "working", "exchange", trust=30))
    v = view(new_game(sc, 1), "us")
    opts = deal_options(v, "exchange", give=("aid",))
    by = {o.item: o for o in opts.give + opts.get}
    assert by["aid"].in_deal and not by["aid"].addable and by["aid"].reason == ""
    assert by["liaison_office"].reason == ("liaison office is a technical item, and the Cultural exchanges channel "
                                           "carries only soft items")
    hot = {o.item: o for o in deal_options(v, "hotline").get}
    assert hot["inspectors"].reason == "admitting inspectors needs a trust index of 40 (it is 30)"
    v100 = view(new_game(scenario(open_at_start("hotline", "working", "exchange", trust=100)), 1), "us")
    assert {o.item: o for o in deal_options(v100, "hotline").get}["declaration"].reason == \
        "nuclear declaration needs groundwork 2 from working-level meetings first (it has 0)"
    assert opts.can_send and by["aid"].value < 0 < by["remains"].value
    twice = deal_options(v, "exchange", give=("aid", "aid"))
    assert not twice.can_send and "twice" in twice.why_not_send
    assert "not legal now" not in explain_illegal(new_game(sc, 1), Counter("us"))


def test_summit_is_allowed_from_a_view_before_any_summit():
    """last_summit is None before the first summit, so the cooldown does not refuse a summit in round 1."""
    sc = scenario(open_at_start("hotline", "working", "exchange", trust=50))
    s = new_game(sc, 1)
    v = view(s, "us")
    assert v.last_summit is None and s.round == 1
    summit = next(e for e in action_menu(v) if e.key == "summit")
    assert summit.legal
