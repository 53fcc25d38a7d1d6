""""What would it take?" asked of a bot that thinks in a process of its own (the window's background moves): the
hosted bot answers, and it is the bot that then plays, so it accepts the deal it said it would accept."""

from __future__ import annotations

import random

import pytest

from game.actions import Propose, deal_steps
from game.bots import make_bot
from game.bots.advice import DealAdvice
from game.bots.common import eligible
from game.engine import tables
from game.match import LiveMatch
from game.scenario import default_scenario
from game.seats import Human


def _play_until_asked(match: LiveMatch, bot_side: str, person, rng: random.Random, asks: int = 6):
    """Play the person's seat with `person` (a bot), asking the hosted bot about a deal at each chance to propose;
    the first deal it would accept is sent. Returns (the advice taken, the round it was sent in) or None."""
    sc = match.scenario
    T = tables(sc)
    me = T.other[bot_side]
    while not match.finished:
        if match.bot_to_move:
            match.step_bot()
            continue
        legal = match.legal()
        proposes = [a for a in legal if isinstance(a, Propose)]
        if proposes and match.state.phase == "act" and asks > 0:
            asks -= 1
            ch = rng.choice(proposes).channel
            v = match.view(me)
            gives, gets = eligible(v, T, me, ch), eligible(v, T, bot_side, ch)
            give = tuple(rng.sample(gives, min(len(gives), 1)))
            get = tuple(rng.sample(gets, min(len(gets), 1)))
            advice = match.what_would_it_take(bot_side, ch, give, get)
            assert isinstance(advice, DealAdvice) and advice.text()
            if advice.nearest is not None:
                ch, give, get = advice.nearest
                sent_in = match.state.round
                match.submit_all(deal_steps(me, ch, give, get))
                return advice, sent_in
        choice = person.choose(match.view(me), legal, rng)
        match.submit(choice[0] if isinstance(choice, tuple) else choice)
    return None


@pytest.mark.parametrize("spec", ["reciprocator", "ismcts:iterations=8"])
def test_a_hosted_bot_answers_and_then_keeps_its_word(spec):
    """The window's hosted bot is asked (not an in-window copy), and accepts the deal it said it would."""
    sc = default_scenario()
    checked = 0
    for seed in (3, 8):
        bot = make_bot(spec)
        person = make_bot("dove")
        person.scenario = sc
        person.reset("us", seed)
        with LiveMatch(sc, seed, {"us": Human("Ana"), "dprk": bot}, background=True) as match:
            assert match._processes, "a built-in bot thinks in a process of its own"
            got = _play_until_asked(match, "dprk", person, random.Random(seed))
            if got is None:
                continue
            _, sent_in = got
            start = len(match.steps)
            while not match.finished and not any(st.side == "dprk" and st.action.split()[1] in ("accept", "reject")
                                                 for st in match.steps[start:]):
                if match.bot_to_move:
                    match.step_bot()
                else:
                    match.submit(next(a for a in match.legal() if str(a).endswith(" pass")) if any(
                        str(a).endswith(" pass") for a in match.legal()) else match.legal()[0])
            answers = [st for st in match.steps[start:] if st.side == "dprk" and st.action.split()[1] in
                       ("accept", "reject")]
            assert answers and answers[0].round in (sent_in, sent_in + 1)  # answered on the bot's next turn
            assert answers[0].action == "dprk accept", answers[0]
            assert bot.scenario is None  # the in-window object was never set up nor asked
            checked += 1
    assert checked > 0


def test_asking_a_person_or_a_thinking_bot_is_refused():
    """Only a bot's seat can be asked, and not while that bot is choosing a move (its replies share one pipe)."""
    sc = default_scenario()
    with LiveMatch(sc, 5, {"us": make_bot("dove"), "dprk": Human("Bo")}, background=True) as match:
        assert not match.can_advise("dprk") and match.can_advise("us")
        with pytest.raises(ValueError):
            match.what_would_it_take("dprk", "working", (), ())
        assert match.bot_to_move
        match.begin_bot_move()
        with pytest.raises(RuntimeError):
            match.what_would_it_take("us", "working", (), ())
        match.step_bot()


def test_an_in_process_bot_is_asked_where_it_plays():
    """Without background moves the seat itself answers (and remembers its word for its own move)."""
    sc = default_scenario()
    bot = make_bot("reciprocator")
    with LiveMatch(sc, 2, {"us": Human(), "dprk": bot}) as match:
        advice = match.what_would_it_take("dprk", "working", (), ())
        assert isinstance(advice, DealAdvice)
        assert bot.scenario is sc
