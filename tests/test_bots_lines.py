"""`ismcts:search=lines` (issue 17): the line search, the default mode of `ismcts` (`game.bots.ismcts_lines`).

Small step budgets keep these matches quick; what they check does not depend on the budget.
"""

from __future__ import annotations

import random
import re

import pytest

from game.actions import Accept
from game.bots import BotSpecError, make_bot
from game.bots import ismcts_lines
from game.bots.common import BROKEN
from game.bots.heuristics import DoveBot, ReciprocatorBot
from game.engine import apply, legal_actions, new_game, tables
from game.match import play_match
from game.scenario import default_scenario
from game.view import view

FAST = "ismcts:search=lines,steps=40"


def test_the_line_search_is_the_default_named_in_the_label_and_checked():
    assert make_bot("ismcts").label() == "ismcts" and make_bot("ismcts").search == "lines"
    assert make_bot("ismcts:search=lines").label() == "ismcts"  # the default is not shown
    assert make_bot(FAST).label() == "ismcts:steps=40"
    assert make_bot("ismcts").steps == ismcts_lines.DEFAULT_STEPS
    assert make_bot("ismcts:level=hard").steps == 3 * ismcts_lines.DEFAULT_STEPS
    assert make_bot("ismcts:level=easy").steps < ismcts_lines.DEFAULT_STEPS
    # The tree is still there: asked by name, or by a tree budget (the specs of earlier tournaments mean the same)
    for spec, label in (("ismcts:search=tree", "ismcts:search=tree"), ("ismcts:iterations=5", "ismcts:iterations=5"),
                        ("ismcts:ms=50", "ismcts:ms=50")):
        assert make_bot(spec).search == "tree" and make_bot(spec).label() == label
        assert make_bot(make_bot(spec).label()).search == "tree"  # a label read back is the same bot
    for bad in ("ismcts:search=deep", "ismcts:search=tree,steps=100", "ismcts:search=lines,iterations=5",
                "ismcts:search=lines,ms=50", "ismcts:steps=0", "ismcts:steps=2.5"):
        with pytest.raises(BotSpecError):
            make_bot(bad)


def test_reproducible_for_a_seed_and_spec():
    """The same seed and spec play the same match, move for move (the budget is steps, not time)."""
    sc = default_scenario()
    runs = [play_match(sc, 7, {"us": make_bot(FAST), "dprk": make_bot("trapper")}) for _ in range(2)]
    assert [s.action for s in runs[0].steps] == [s.action for s in runs[1].steps]
    assert runs[0].scores == runs[1].scores
    other = play_match(sc, 8, {"us": make_bot(FAST), "dprk": make_bot("trapper")})
    assert [s.action for s in other.steps] != [s.action for s in runs[0].steps]


def test_every_decision_keeps_its_step_budget(monkeypatch):
    """Every move applied in a playout is counted, and no decision uses more steps than its budget, the first
    round of playouts included (a playout stops at its share and is evaluated), over a few whole matches."""
    applied = []
    real_apply = ismcts_lines.apply

    def counting(s, a):
        applied.append(1)
        return real_apply(s, a)

    monkeypatch.setattr(ismcts_lines, "apply", counting)
    decisions = []

    class Spy:
        def __init__(self, bot):
            self.bot = bot

        def __getattr__(self, name):
            return getattr(self.bot, name)

        def reset(self, side, seed):
            self.bot.scenario = self.scenario
            self.bot.reset(side, seed)

        def choose(self, v, legal, rng):
            before = len(applied)
            out = self.bot.choose(v, legal, rng)
            ls = self.bot._lines
            if v.phase != "draft" and len(legal) > 1:
                decisions.append((self.bot.steps, len(applied) - before, ls.last_steps,
                                  ls.last_rounds * ls.last_candidates, list(ls.last_round_steps), ls.last_cut))
            return out

    # 60 steps: a whole game never fits a playout, so the first round is always cut; 5 steps: fewer candidates.
    for steps, seed, other in ((60, 3, "reciprocator"), (60, 4, "trapper"), (5, 5, "verifier")):
        spec = f"ismcts:search=lines,steps={steps}"
        play_match(default_scenario(), seed, {"us": Spy(make_bot(spec)), "dprk": make_bot(other)})
        play_match(default_scenario(), seed, {"us": make_bot(other), "dprk": Spy(make_bot(spec))})
    searched = [d for d in decisions if d[2] > 0]
    assert searched, "no decision was searched"
    assert any(d[5] > 0 for d in searched), "no playout was stopped at its share of the budget"
    for steps, moves, used, playouts, rounds, _ in decisions:
        assert used <= steps
        assert used == moves + playouts  # each move applied counts one, and so does each playout started
        assert sum(rounds) == used


def _my_breaks_are_answers(spec: str, side: str, other_spec: str, seed: int) -> int:
    """Play a match; at every promise the bot breaks or fakes, the other side has broken more of its own."""
    sc = default_scenario()
    T = tables(sc)
    other = T.other[side]
    mine = 0

    def on_step(state, step, happenings):
        nonlocal mine
        if step.side == side and step.action.split()[1] in ("break", "fake"):
            mine += 1
            theirs = sum(c.giver == other and c.status in BROKEN for c in state.commitments)
            assert mine <= theirs, f"seed {seed}: {step.action} with {theirs} broken by the other side"

    players = {side: make_bot(spec), other: make_bot(other_spec)}
    play_match(sc, seed, players, on_step=on_step)
    return mine


@pytest.mark.parametrize("level", ["easy", "normal"])  # hard differs from normal only in its budget
def test_never_breaks_a_promise_unprovoked(level):
    """Breaking or faking is the home line's call, and it only answers promises the other side broke."""
    spec = f"ismcts:search=lines,steps=30,level={level}"
    answered = 0
    for seed, side, other in ((1, "us", "trapper"), (2, "dprk", "trapper"), (3, "us", "hawk")):
        answered += _my_breaks_are_answers(spec, side, other, seed)
    if level == "easy":
        assert answered == 0  # the dove, its home line at this level, keeps every promise
    else:
        assert answered > 0  # the reciprocator, its home line, answers the trapper's broken promises


def test_each_level_has_its_home_line_and_plays():
    sc = default_scenario()
    for level, home in (("easy", DoveBot), ("normal", ReciprocatorBot), ("hard", ReciprocatorBot)):
        bot = make_bot(f"ismcts:search=lines,steps=30,level={level}")
        bot.scenario = sc
        bot.reset("us", 1)
        assert bot._lines.home_cls is home and type(bot._lines.lines[0]) is home
        r = play_match(sc, 5, {"us": bot, "dprk": make_bot("verifier")})
        assert r.forfeit is None and r.final.is_over


def test_agreement_is_not_searched():
    """Where every line names the same move, it is played with no playout at all."""
    sc = default_scenario()
    bot = make_bot(FAST)
    bot.scenario = sc
    bot.reset("us", 1)
    s = new_game(sc, 1)
    rng = random.Random(0)
    seen = {"agreed": 0, "searched": 0}
    other = make_bot("reciprocator")
    other.scenario = sc
    other.reset("dprk", 1)
    while not s.is_over and s.round <= 4:
        legal = legal_actions(s)
        if s.to_move == "us":
            choice = bot.choose(view(s, "us"), legal, rng)
            if len(legal) > 1 and s.phase != "draft":
                key = "searched" if bot._lines.last_candidates > 1 else "agreed"
                seen[key] += 1
                assert (bot._lines.last_steps > 0) == (key == "searched")
        else:
            choice = other.choose(view(s, "dprk"), legal, rng)
        s, _ = apply(s, choice[0] if isinstance(choice, tuple) else choice)
    assert seen["agreed"] > 0


def test_what_would_it_take_is_honest():
    """Asked about deals in real positions, what it says it accepts it then accepts (the advice tests' scenes)."""
    from tests.test_bots_advice import _answer_after_sending, _compose, _scenes

    sc = default_scenario()
    rng = random.Random(4)
    checked = 0
    for bot_side in ("us", "dprk"):
        for s in _scenes(bot_side, 2, 2):
            deal = _compose(s, rng)
            bot = make_bot(FAST)
            bot.scenario = sc
            bot.reset(bot_side, 2)
            advice = bot.what_would_it_take(view(s, bot_side), *deal)
            assert advice.reason
            if advice.nearest is None:
                continue
            assert isinstance(_answer_after_sending(s, bot, bot_side, advice.nearest), Accept), advice
            checked += 1
    assert checked > 0


def test_reasons_are_the_lines_words():
    """Its reason is the chosen line's, in the game's words, saying so where the futures played out decided."""
    sc = default_scenario()
    T = tables(sc)
    ids = {i for i in T.items if "_" in i} | {c for d in T.card.values() for c in d if "_" in c}
    r = play_match(sc, 2, {"us": make_bot("trapper"), "dprk": make_bot(FAST)})
    reasons = [st.reason for st in r.steps if st.side == "dprk"]
    assert reasons and all(x.strip() for x in reasons)
    assert not any(re.search(rf"\b{i}\b", x) for i in ids for x in reasons)
    assert any("futures I played out" in x for x in reasons)


def test_the_other_sides_play_is_read_from_its_record_alike_for_both_sides():
    """The trapper's share of the futures is a fifth with no record, for the US and the DPRK alike (the DPRK's
    hidden card, a trap half the time, is not its play); it rises with the promises the other side broke."""
    sc = default_scenario()
    s = new_game(sc, 1)
    for side in ("us", "dprk"):
        shares = dict(ismcts_lines.stance_weights(view(s, side)))
        assert shares[ismcts_lines.TrapperBot] == pytest.approx(0.2)
        assert sum(shares.values()) == pytest.approx(1.0)
    end = play_match(sc, 1, {"us": make_bot("reciprocator"), "dprk": make_bot("trapper")}).final
    assert any(c.giver == "dprk" and c.status in BROKEN for c in end.commitments)
    assert dict(ismcts_lines.stance_weights(view(end, "us")))[ismcts_lines.TrapperBot] > 0.2
