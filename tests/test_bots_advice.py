""""What would it take?" (issue 17): every built-in bot answers about a deal being composed, honestly to its own
rule: it then accepts the deal it said it would accept, and (a rule-based bot) refuses what it said it would refuse."""

from __future__ import annotations

import random

import pytest

from game.actions import Accept, Pass, Propose, Reject, deal_steps
from game.bots import BUILTIN, make_bot
from game.bots.advice import DealAdvice
from game.bots.common import eligible
from game.engine import apply, legal_actions, new_game, tables
from game.scenario import default_scenario
from game.view import view

SPECS = {name: name for name in BUILTIN}
SPECS["ismcts"] = "ismcts:steps=40"  # the default search (the line search) at a small budget
SPECS["ismcts:search=tree"] = "ismcts:iterations=6"  # the tree search, still offered
RULE_BASED = ("passive", "hawk", "dove", "reciprocator", "verifier", "trapper")


def _scenes(bot_side: str, seed: int, limit: int):
    """States of a dove-vs-dove game where the side facing `bot_side` may propose a deal (its 'act' turn)."""
    sc = default_scenario()
    s = new_game(sc, seed)
    players = {side: make_bot("dove") for side in tables(sc).sides}
    for side, b in players.items():
        b.scenario = sc
        b.reset(side, seed)
    rng = random.Random(seed)
    found = 0
    while not s.is_over and found < limit:
        legal = legal_actions(s)
        if s.to_move != bot_side and s.phase == "act" and any(isinstance(a, Propose) for a in legal):
            found += 1
            yield s
        choice = players[s.to_move].choose(view(s, s.to_move), legal, rng)
        s, _ = apply(s, choice[0] if isinstance(choice, tuple) else choice)


def _compose(s, rng: random.Random):
    """A random deal the side to move could compose now: (channel, give, get)."""
    sc = s.scenario
    T = tables(sc)
    me = s.to_move
    v = view(s, me)
    channels = [a.channel for a in legal_actions(s) if isinstance(a, Propose)]
    ch = rng.choice(channels)
    gives, gets = eligible(v, T, me, ch), eligible(v, T, T.other[me], ch)
    give = tuple(rng.sample(gives, min(len(gives), rng.randint(0, 2))))
    get = tuple(rng.sample(gets, min(len(gets), rng.randint(1, 2))))
    return ch, give, get


def _answer_after_sending(s, bot, bot_side: str, deal):
    """Send the deal, pass until the bot must answer it, and return the bot's answer."""
    ch, give, get = deal
    asker = s.to_move
    for a in deal_steps(asker, ch, give, get):
        s, _ = apply(s, a)
    while not (s.to_move == bot_side and s.phase == "answer"):
        legal = legal_actions(s)
        assert s.to_move == asker, "the bot must answer before anything else of its turn"
        s, _ = apply(s, Pass(asker) if Pass(asker) in legal else legal[0])
    while True:
        choice = bot.choose(view(s, bot_side), legal_actions(s), random.Random(5))
        action = choice[0] if isinstance(choice, tuple) else choice
        p = next(p for p in s.proposals if p.receiver == bot_side)
        if p.kind == "deal" and p.sender == asker:
            return action
        s, _ = apply(s, action)  # an earlier proposal (a channel to open) is answered first
        assert s.to_move == bot_side and s.phase == "answer"


def _bot(name: str, side: str, seed: int):
    bot = make_bot(SPECS[name])
    bot.scenario = default_scenario()
    bot.reset(side, seed)
    return bot


@pytest.mark.parametrize("name", list(SPECS))
@pytest.mark.parametrize("bot_side", ["us", "dprk"])
def test_a_bot_accepts_what_it_said_it_would(name, bot_side):
    """Asked about random deals in real positions, the bot's yes (or its nearest deal) is then accepted."""
    rng = random.Random(11)
    asked = yes = nearest = 0
    limit = 3 if name.startswith("ismcts") else 8
    for seed in (1, 2):
        for s in _scenes(bot_side, seed, limit):
            deal = _compose(s, rng)
            bot = _bot(name, bot_side, seed)
            advice = bot.what_would_it_take(view(s, bot_side), *deal)
            assert isinstance(advice, DealAdvice) and advice.reason and advice.text()
            asked += 1
            if advice.nearest is None:
                continue
            yes += advice.accept
            nearest += not advice.accept
            assert (advice.nearest == deal) == advice.accept
            assert isinstance(_answer_after_sending(s, bot, bot_side, advice.nearest), Accept), (advice, deal)
    assert asked > 0
    if name not in ("passive", "random"):
        assert yes + nearest > 0, f"{name} never said yes to anything"


@pytest.mark.parametrize("name", RULE_BASED)
def test_a_rule_based_bot_refuses_what_it_said_it_would_refuse(name):
    """Sent in the same round it was asked about, a deal a rule-based bot said no to is refused."""
    rng = random.Random(3)
    checked = 0
    for bot_side in ("us", "dprk"):
        for s in _scenes(bot_side, 4, 10):
            # The bot answers in this round only when the asker moves first, and answers earlier proposals
            # first (what it agrees there changes what this deal is worth to it).
            if s.turn != 0 or any(p.receiver == bot_side for p in s.proposals):
                continue
            deal = _compose(s, rng)
            bot = _bot(name, bot_side, 4)
            advice = bot.what_would_it_take(view(s, bot_side), *deal)
            if advice.accept:
                continue
            fresh = _bot(name, bot_side, 4)  # a bot that was not asked, so it gave no word on a nearest deal
            assert isinstance(_answer_after_sending(s, fresh, bot_side, deal), Reject), advice
            checked += 1
    assert checked > 0


def test_the_advice_names_the_changes_in_words():
    """A refusal comes with the nearest deal and the changes that lead to it, in plain words."""
    rng = random.Random(2)
    for s in _scenes("dprk", 1, 12):
        deal = _compose(s, rng)
        advice = _bot("reciprocator", "dprk", 1).what_would_it_take(view(s, "dprk"), *deal)
        if not advice.accept and advice.nearest is not None:
            assert advice.changes and all(c.startswith(("add ", "leave ", "stop asking", "ask for")) for c in advice.changes)
            assert "I would say yes if you" in advice.text()
            return
    pytest.fail("no refusal with a nearest deal in these scenes")


def test_asking_does_not_change_how_a_bot_plays():
    """A bot that was asked (about a deal never sent) plays the rest of the match as one that was not."""
    s = next(iter(_scenes("dprk", 3, 1)))
    asked, fresh = _bot("verifier", "dprk", 3), _bot("verifier", "dprk", 3)
    asked.what_would_it_take(view(s, "dprk"), *_compose(s, random.Random(1)))
    s2 = s
    for _ in range(200):
        if s2.is_over:
            break
        legal = legal_actions(s2)
        if s2.to_move == "dprk":
            a1, a2 = (asked.choose(view(s2, "dprk"), legal, random.Random(0)),
                      fresh.choose(view(s2, "dprk"), legal, random.Random(0)))
            assert a1 == a2
            a = a1[0]
        else:
            a = Pass("us") if Pass("us") in legal else (Reject("us") if Reject("us") in legal else legal[0])
        s2, _ = apply(s2, a)


def test_a_bot_without_a_rule_of_its_own_promises_nothing():
    """The protocol's default (a student's bot) says it cannot answer in advance, and proposes no deal."""
    from game.bots.base import Bot

    class Mine(Bot):
        def choose(self, view, legal, rng):
            return legal[0]

    s = next(iter(_scenes("dprk", 1, 1)))
    bot = Mine()
    bot.reset("dprk", 1)
    advice = bot.what_would_it_take(view(s, "dprk"), *_compose(s, random.Random(1)))
    assert not advice.accept and advice.nearest is None and "does not say" in advice.reason


def test_a_malformed_question_gets_a_one_line_error():
    s = next(iter(_scenes("dprk", 1, 1)))
    bot = _bot("dove", "dprk", 1)
    v = view(s, "dprk")
    for args, msg in ((("telegraph", ("aid",), ()), "no channel"), (("working", ("unicorn",), ()), "no item"),
                      (("working", ("remains",), ()), "not the giver's"),
                      (("working", ("aid", "travel", "liaison_office", "partial_relief"), ()), "at most 3")):
        with pytest.raises(ValueError, match=msg):
            bot.what_would_it_take(v, *args)
