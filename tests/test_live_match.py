"""LiveMatch: a match stepped from outside by people and bots, with background thinking and autosave."""

from __future__ import annotations

import time

import pytest

from game.actions import Give, Propose, Send
from game.bots import make_bot
from game.engine import IllegalActionError, legal_actions
from game.match import Human, LiveMatch, play_match
from game.record import Autosaver, load_record, resume, verify
from game.scenario import default_scenario

SC = default_scenario()


def bots(us="verifier", dprk="trapper"):
    return {"us": make_bot(us), "dprk": make_bot(dprk)}


def test_play_match_is_a_loop_over_live_match_with_the_same_steps():
    by_loop = play_match(SC, 4, bots())
    m = LiveMatch(SC, 4, bots())
    while m.bot_to_move:
        m.step_bot()
    assert [s.action for s in m.steps] == [s.action for s in by_loop.steps]
    assert m.result().scores == by_loop.scores and m.result().outcome == by_loop.outcome


@pytest.mark.heavy
def test_a_bot_thinking_in_its_own_process_chooses_as_it_would_in_this_one():
    direct = play_match(SC, 9, bots("ismcts:iterations=30", "random"))
    with LiveMatch(SC, 9, bots("ismcts:iterations=30", "random"), background=True) as m:
        polls = 0
        while m.bot_to_move:
            m.begin_bot_move()
            while m.poll_bot() is None:  # never blocks: the caller could draw a frame here
                polls += 1
                time.sleep(0.001)
    assert [s.action for s in m.steps] == [s.action for s in direct.steps]
    assert [s.reason for s in m.steps] == [s.reason for s in direct.steps]
    assert polls > 0


def test_a_person_moves_through_submit_and_a_whole_deal_is_checked_before_any_of_it_applies():
    m = LiveMatch(SC, 3, {"us": Human("Ana"), "dprk": make_bot("dove")})
    m.run_bots()
    assert m.person_to_move and m.to_move == "us"
    before = m.state
    with pytest.raises(IllegalActionError):
        m.submit_all([Propose("us", "hotline"), Give("us", "aid"), Send("us")])  # the hotline is closed
    assert m.state is before and not m.steps
    with pytest.raises(IllegalActionError):
        m.submit("dprk pass")
    m.submit(legal_actions(m.state)[0])
    assert len(m.steps) == 1


def test_happenings_are_handed_out_once_per_reader():
    m = LiveMatch(SC, 2, bots("dove", "dove"))
    opening = m.take_happenings("window")
    assert opening and m.take_happenings("window") == []
    m.step_bot()
    assert m.take_happenings("window") == m.happenings[len(opening):]
    assert m.take_happenings("log") == m.happenings


def test_every_move_autosaves_and_the_autosave_resumes_to_the_same_end(tmp_path):
    saver = Autosaver(tmp_path, "g")
    m = LiveMatch(SC, 6, {"us": Human("Ana"), "dprk": make_bot("reciprocator")}, autosaver=saver)
    assert load_record(saver.path(1)).steps == []  # saved before the first move
    for _ in range(5):
        m.run_bots()
        m.submit(legal_actions(m.state)[-1])
    saved = load_record(saver.path(1))
    assert len(saved.steps) == len(m.steps) and saved.players["us"].kind == "human"
    r = resume(saved)
    again = LiveMatch(r.scenario, r.seed, {"us": make_bot("dove"), "dprk": make_bot("reciprocator")},
                      start=r.state, prior_steps=r.prior_steps, resumed_from=saved)
    again.run_bots()
    record = again.record()
    assert verify(record).final.is_over
    assert record.players["us"].name == "Ana" and record.takeovers[0].players["us"].name == "dove"


def test_a_resumed_match_with_the_same_players_notes_no_takeover(tmp_path):
    saver = Autosaver(tmp_path, "g")
    m = LiveMatch(SC, 6, bots("dove", "hawk"), autosaver=saver)
    for _ in range(7):
        m.step_bot()
    saved = load_record(saver.path(1))
    r = resume(saved)
    again = LiveMatch(r.scenario, r.seed, bots("dove", "hawk"), start=r.state, prior_steps=r.prior_steps,
                      resumed_from=saved)
    again.run_bots()
    assert again.record().takeovers == [] and verify(again.record()).final.is_over


def test_preview_view_leaves_the_match_untouched():
    m = LiveMatch(SC, 3, {"us": Human(), "dprk": Human()})
    for _ in range(200):
        legal = legal_actions(m.state)
        deal = next((a for a in legal if isinstance(a, Propose)), None)
        if deal is not None:
            break
        m.submit(next((a for a in legal if a.verb in ("accept", "open")), legal[-1]))
    assert deal is not None
    start, steps = m.state, len(m.steps)
    seen = m.preview_view([deal], m.to_move)
    assert seen.phase == "draft" and seen.draft[0] == deal.channel
    assert m.state is start and len(m.steps) == steps
