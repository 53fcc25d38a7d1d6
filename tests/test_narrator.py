"""The narrator: hand-made happenings into sentences for each reader, and the data every happening carries."""

from __future__ import annotations

import json
import random

import pytest

from game.engine import apply, legal_actions, new_game
from game.happenings import (
    DATA_KEYS, Cause, CommitmentStatus, ForfeitKind, HappeningKind as K, Outcome, Phase, Verdict,
)
from game.narrator import Narrator, debrief_verdict, narrate, narrate_lines
from game.scenario import default_scenario
from game.state import Happening

SC = default_scenario()


def H(kind: K, to: str | None = None, in_round: int = 1, **data) -> Happening:
    """A hand-made happening (the engine's own `_say` builds them the same way)."""
    return Happening(in_round, kind, to, data)


def commitment(item: str, giver: str, status: str = "pending", channel: str = "working", due: int = 3) -> dict:
    return {"item": item, "giver": giver, "receiver": "dprk" if giver == "us" else "us", "channel": channel,
            "agreed": 1, "due": due, "status": status}


def board(**trust: float) -> dict:
    """A ROUND or ROUND_END board: the named channels open with that trust, the others closed."""
    return {"trust": {c: trust.get(c, 0.0) for c in SC.channel_ids}, "open": {c: c in trust for c in SC.channel_ids}}


def round_start(n: int, tension: int = 4, **trust: float) -> Happening:
    return H(K.ROUND, in_round=n, round=n, rounds=SC.rounds, tension=tension, **board(**trust))


def round_end(n: int, tension: int = 4, index: float = 0.0, **trust: float) -> Happening:
    return H(K.ROUND_END, in_round=n, round=n, tension=tension, trust_index=index, **board(**trust))


def trust(channel: str, before: float, after: float, cause: Cause = Cause.DIFFUSION) -> Happening:
    return H(K.TRUST, channel=channel, before=before, after=after, cause=cause)


# ---------------------------------------------------------------- the enums

def test_enum_values_are_the_strings_every_file_already_uses():
    assert Phase.ACT == "act" and "pending" == CommitmentStatus.PENDING and Outcome.CRISIS == "crisis"
    assert ForfeitKind.TIMEOUT == "timeout" and K.ROUND_END == "round_end"
    assert json.dumps({"phase": Phase.DRAFT, "kind": K.GAME_OVER}) == '{"phase": "draft", "kind": "game_over"}'
    assert {o.value for o in Outcome} == {"settlement", "peace", "crisis", "plain", "forfeit", "unfinished"}
    assert {s.value for s in CommitmentStatus} == {"pending", "verified", "claimed", "broken", "exposed", "reversed",
                                                   "fallen"}


def test_every_kind_says_what_data_it_carries():
    assert set(DATA_KEYS) == set(K)
    assert all(DATA_KEYS[k] for k in K)


# ---------------------------------------------------------------- sentences, names not ids

@pytest.mark.parametrize("h, text", [
    (H(K.TIE, a="dprk.leader", b="prc", before=60, after=50), "Tie between DPRK Chairman and Beijing: 60 -> 50"),
    (H(K.ACTION, side="us", action="us meet peace_treaty", verb="meet", channel="working", item="peace_treaty"),
     "United States holds a working-level meeting on peace treaty"),
    (H(K.PROPOSAL, side="dprk", action="dprk send", receiver="us", proposal="deal", channel="hotline",
       give=("remains",), get=("aid", "travel"), counter=True),
     "DPRK counters through the Leaders' hotline channel: gives return of soldiers' remains; "
     "asks for humanitarian aid, easing of travel limits"),
    (H(K.ACCEPTED, side="dprk", sender="us", proposal="summit", channel=None, at=5),
     "DPRK accepts United States's summit: it opens round 5"),
    (H(K.REJECTED, side="us", sender="dprk", proposal="open", channel="exchange"),
     "United States rejects opening the Cultural exchanges channel"),
    (H(K.COMMITMENT, **commitment("aid", "us")), "United States will give humanitarian aid in round 3"),
    (H(K.PRESSURE, side="dprk", action="dprk pressure missile_test", move="missile_test"), "DPRK: Test a missile"),
    (H(K.EXPOSED, by="the satellite pass", **commitment("declaration", "dprk", "exposed")),
     "The satellite pass exposes a false claim: nuclear declaration was never done"),
    (H(K.FALLEN, because="end_of_war", **commitment("peace_treaty", "us", "fallen")),
     "peace treaty falls with end-of-war declaration"),
    (H(K.AVERTED, card="joint_exercises", item="exercise_suspension", amount=2),
     "No effect: suspension of joint exercises is in force"),
    (H(K.DEFUSED, card="cyberattack", channel="hotline", trust=45.0, amount=2, halved=1),
     "The trusted Leaders' hotline halves the spike"),
    (H(K.SETTLEMENT, items=("peace_treaty", "denuclearization"), outcome=Outcome.SETTLEMENT),
     "Settlement: peace treaty and complete denuclearization are in force and verified."),
    (H(K.CRISIS, tension=10, outcome=Outcome.CRISIS), "Tension reaches 10: the talks collapse into crisis."),
    (H(K.TENSION, before=3, after=5, cause=Cause.ITEM, item="aid"), "Tension 3 -> 5 (humanitarian aid)"),
    (H(K.REVEAL, card="satellite_pass", result="none", item=None), "No unverified claim to look at"),
    (H(K.INTEL, to="us", side="us", move="motive", result="ruled_out", deck="motive", card="trap", item=None),
     None),  # 'trap' is not a motive card: the fallback is the id (checked below with a real one)
    (H(K.INTEL, to="us", side="us", move="motive", result="ruled_out", deck="motive", card="sanctions_bite",
       item=None), "Intelligence: DPRK's motive is not 'Sanctions bite'"),
    (H(K.GAME_OVER, outcome=Outcome.PEACE, scores={"us": 12.5, "dprk": -1.0}, verdict=Verdict.EXPLOITED,
       winner="us", loser="dprk"),
     "The game ends in peace: a treaty is in force. Scores: United States 12.5, DPRK -1. "
     "United States exploited DPRK."),
    (H(K.REVEAL_AGENDA, side="dprk", cards=("sanctions_bite", "trap")), "DPRK held: Sanctions bite, Trap"),
])
def test_a_sentence_for_each_kind_with_names(h, text):
    said = narrate(h, SC, "all")
    if text is None:
        assert said == "Intelligence: DPRK's motive is not 'trap'"
    else:
        assert said == text


def test_verdicts_in_words():
    assert debrief_verdict(SC, {"us": 3.0, "dprk": 2.0}) == "Both sides came out ahead."
    assert debrief_verdict(SC, {"us": -3.0, "dprk": 0.0}) == "Both sides lost."
    assert debrief_verdict(SC, {"us": 0.0, "dprk": 0.0}) == "Neither side gained anything."
    assert debrief_verdict(SC, {"us": 0.0, "dprk": 4.0}) == "Only DPRK came out ahead."


# ---------------------------------------------------------------- readers

def test_each_reader_sees_what_it_may():
    truth = H(K.TRUTH, to="dprk", side="dprk", item="declaration", done=False)
    claim = H(K.CLAIMED, side="dprk", **commitment("declaration", "dprk", "claimed"))
    assert narrate(truth, SC, "dprk") == "DPRK only claims nuclear declaration: nothing was done"
    assert narrate(truth, SC, "us") is None and narrate(truth, SC, "public") is None
    assert narrate(truth, SC, "all") == "DPRK only claims nuclear declaration: nothing was done"
    for reader in ("us", "dprk", "all", "public"):
        assert narrate(claim, SC, reader) == "DPRK reports nuclear declaration implemented (unverified)"
    assert narrate_lines([claim, truth], SC, "all") == [
        "    DPRK reports nuclear declaration implemented (unverified)",
        "    DPRK only claims nuclear declaration: nothing was done [private]"]
    assert narrate_lines([claim, truth], SC, "public") == ["    DPRK reports nuclear declaration implemented (unverified)"]


def test_an_unknown_reader_is_refused():
    with pytest.raises(ValueError, match="no reader 'china'"):
        narrate(H(K.EVENT, card="quiet_month"), SC, "china")
    with pytest.raises(ValueError):
        Narrator(SC, "everyone")


def test_drafts_are_said_only_when_verbose():
    d = H(K.DRAFT, to="us", side="us", step="give", channel="working", item="aid")
    assert narrate(d, SC, "us") is None and narrate_lines([d], SC, "us") == []
    assert narrate(d, SC, "us", verbose=True) == "Draft: United States would give humanitarian aid"


# ---------------------------------------------------------------- trust bookkeeping per round

def _round_of_trust() -> list[Happening]:
    return [
        round_start(2, hotline=27.0, working=24.0),
        H(K.TURN, side="us", ap=2),
        H(K.ACTION, side="us", action="us call", verb="call", channel="hotline", item=None),
        trust("hotline", 27.0, 33.0, Cause.CALL),
        H(K.TENSION, before=4, after=3, cause=Cause.CALL, item=None),
        trust("working", 24.0, 22.0, Cause.UNUSED),
        trust("hotline", 33.0, 35.0),
        H(K.CHANNEL_OPENED, channel="exchange", trust=10.0, cause=Cause.AGREED),
        round_end(2, tension=3, index=24.97, hotline=35.0, working=22.0, exchange=10.0),
    ]


def test_trust_is_summed_up_once_a_round():
    lines = narrate_lines(_round_of_trust(), SC, "us")
    assert lines == [
        "== Round 2 of 12 ==",
        "  -- United States to move (2 action points) --",
        "    United States calls on the hotline",
        "    Tension 4 -> 3 (hotline call)",
        "    The Cultural exchanges channel opens (agreed); trust 10",
        "    trust: Leaders' hotline 35 (+8), Working-level meetings 22 (-2), Cultural exchanges 10 (opened)",
        "End of round 2: tension 3, trust index 25",
    ]


def test_verbose_keeps_every_number():
    lines = narrate_lines(_round_of_trust(), SC, "us", verbose=True)
    assert "    Leaders' hotline trust 27 -> 33 (hotline call)" in lines
    assert "    Working-level meetings trust 24 -> 22 (unused)" in lines
    assert lines[-1] == ("End of round 2: tension 3 | Leaders' hotline 35 | Working-level meetings 22 | "
                         "Cultural exchanges 10 | trust index 24.97")
    assert not any(line.startswith("    trust:") for line in lines)


def test_a_round_end_alone_gives_the_values():
    h = round_end(4, tension=2, index=30.0, hotline=40.0, working=30.0)
    assert narrate(h, SC, "public") == ("End of round 4: tension 2, trust index 30; "
                                        "trust: Leaders' hotline 40, Working-level meetings 30")


def test_a_stream_that_starts_mid_round_sums_up_without_changes():
    lines = narrate_lines(_round_of_trust()[2:], SC, "us")
    assert lines[-2:] == ["    trust: Leaders' hotline 35, Working-level meetings 22, Cultural exchanges 10",
                          "End of round 2: tension 3, trust index 25"]


def test_a_game_that_ends_mid_round_still_sums_up_its_trust():
    stream = [round_start(3, hotline=50.0), trust("hotline", 50.0, 25.0, Cause.BROKEN),
              H(K.CRISIS, tension=10, outcome=Outcome.CRISIS),
              H(K.GAME_OVER, outcome=Outcome.CRISIS, scores={"us": -10.0, "dprk": -10.0}, verdict=Verdict.BOTH_LOST,
                winner=None, loser=None)]
    lines = narrate_lines(stream, SC, "all")
    assert lines[-3:] == ["    Tension reaches 10: the talks collapse into crisis.",
                          "    trust: Leaders' hotline 25 (-25)",
                          "The game ends in crisis. Scores: United States -10, DPRK -10. Both sides lost."]


def test_a_stream_in_pieces_reads_the_same_as_whole():
    stream = _round_of_trust() + [round_start(3, hotline=35.0, working=22.0, exchange=10.0),
                                  trust("exchange", 10.0, 13.0, Cause.EVENT),
                                  round_end(3, index=26.0, hotline=35.0, working=22.0, exchange=13.0)]
    whole = narrate_lines(stream, SC, "dprk")
    n = Narrator(SC, "dprk")
    pieces = [line for i in range(0, len(stream), 3) for line in n.lines(stream[i:i + 3])]
    assert pieces == whole
    assert "" in whole and "    trust: Leaders' hotline 35 (+0), Working-level meetings 22 (+0), " \
                           "Cultural exchanges 13 (+3)" in whole


# ---------------------------------------------------------------- what the engine writes: data, no prose

def _random_games(n: int):
    for seed in range(n):
        rng = random.Random(seed)
        s = new_game(SC, seed)
        yield from s.happened
        while not s.is_over:
            la = legal_actions(s)
            s, ev = apply(s, la[rng.randrange(len(la))])
            yield from ev


def test_every_happening_carries_its_data_and_no_prose():
    seen = set()
    ids = {a.id for a in SC.actors} | {"dprk.leader", "us.officials"}
    for h in _random_games(40):
        seen.add(h.kind)
        assert isinstance(h.kind, K) and not hasattr(h, "text")
        assert set(h.data) == set(DATA_KEYS[h.kind]), h
        for reader in ("all", "us", "dprk", "public"):
            for verbose in (False, True):
                said = narrate(h, SC, reader, verbose=verbose)
                assert said is None or (said and not any(f" {i} " in f" {said} " for i in ids)), said
    # random play reaches most kinds (a summit, a settlement or a gift offer it may never reach)
    assert len(seen) >= 30, sorted(set(K) - seen)


def test_the_record_schema_takes_exactly_the_outcomes():
    from typing import get_args

    from game.record import OUTCOMES, Record

    assert set(get_args(Record.model_fields["outcome"].annotation)) == set(OUTCOMES) == {o.value for o in Outcome}
