"""The scenario option `settle_at_round_start`: both sides settle what falls due before either acts.

Off by default (each side settles at the start of its own turn), and left out of a scenario's dump while off,
so the default scenario, its content hash and every record are exactly as before the option existed.
"""

from __future__ import annotations

from pathlib import Path

from game.bots import make_bot
from game.match import play_match
from game.record import load_record, record_from_result, save_record, verify
from game.scenario import default_scenario, load_scenario, parse_scenario
from tests.helpers import ROOT, Game, edits, legal_texts, open_at_start, scenario, setting

ALL = ("hotline", "working", "exchange")


def test_off_by_default_and_left_out_of_the_dump():
    """Off, the option is not in the dump and does not change the hash; on, it is and it does."""
    sc = default_scenario()
    assert sc.settle_at_round_start is False
    raw = sc.model_dump(mode="json")
    assert "settle_at_round_start" not in raw
    raw["settle_at_round_start"] = False
    assert parse_scenario(raw, "<inline>").content_hash == sc.content_hash
    raw["settle_at_round_start"] = True
    on = parse_scenario(raw, "<inline>")
    assert on.model_dump(mode="json")["settle_at_round_start"] is True
    assert on.content_hash != sc.content_hash


def _deal_due_in_round_2(on: bool) -> Game:
    """Round 1: the US (first in odd rounds) offers aid for the remains, the DPRK accepts: both fall due in round 2."""
    sc = scenario(edits(open_at_start(*ALL, trust=50), setting("settle_at_round_start", on)))
    return Game(sc).play("us propose working", "us give aid", "us get remains", "us send", "us pass",
                         "dprk accept").to_round(2)


def test_on_the_second_mover_settles_before_the_first_mover_acts():
    """Round 2: the DPRK (first) settles, then the US settles, then the DPRK acts with all its action points."""
    g = _deal_due_in_round_2(True)
    assert (g.state.to_move, g.state.phase) == ("dprk", "settle")
    g.do("dprk implement remains")
    assert (g.state.to_move, g.state.phase, g.state.ap) == ("us", "settle", 0)
    assert set(legal_texts(g.state)) == {"us implement aid", "us break aid"}
    g.do("us implement aid")
    assert (g.state.to_move, g.state.phase, g.state.ap) == ("dprk", "act", 2)
    assert {c.item: c.status for c in g.state.commitments} == {"aid": "verified", "remains": "verified"}
    g.do("dprk pass")
    assert (g.state.to_move, g.state.phase, g.state.ap) == ("us", "act", 2)
    turns = [(h.data["side"], h.data["ap"]) for h in g.happenings if h.kind == "turn" and h.round == 2]
    assert turns == [("dprk", 2), ("us", 0), ("dprk", 2), ("us", 2)]


def test_off_the_second_mover_settles_in_its_own_turn():
    """Without the option the US's aid is still a promise while the DPRK acts in round 2."""
    g = _deal_due_in_round_2(False)
    g.do("dprk implement remains")
    assert (g.state.to_move, g.state.phase) == ("dprk", "act")
    assert {c.item: c.status for c in g.state.commitments} == {"aid": "pending", "remains": "verified"}
    g.do("dprk pass")
    assert (g.state.to_move, g.state.phase) == ("us", "settle")


def test_on_nothing_due_is_pending_when_a_side_acts():
    """In whole bot matches with the option, every promise due this round is settled before the round's first act."""
    sc = load_scenario(ROOT / "rules" / "lesson_45min.toml")
    assert sc.settle_at_round_start
    checked = 0

    def on_step(state, step, happenings):
        nonlocal checked
        if state.phase == "act" and not state.is_over:
            assert not [c for c in state.commitments if c.status == "pending" and c.due <= state.round]
            checked += 1

    for seed in range(3):
        play_match(sc, seed, {"us": make_bot("reciprocator"), "dprk": make_bot("verifier")}, on_step=on_step)
    assert checked > 50


def test_a_match_with_the_option_replays_from_its_record(tmp_path: Path):
    """The option travels in the record's embedded scenario, and the record verifies."""
    sc = load_scenario(ROOT / "rules" / "lesson_45min.toml")
    result = play_match(sc, 7, {"us": make_bot("reciprocator"), "dprk": make_bot("reciprocator")}, checksums=True)
    record = record_from_result(result, started="2026-12-02T09:00:00+00:00")
    loaded = load_record(save_record(record, tmp_path / "m.json"))
    assert loaded.scenario["settle_at_round_start"] is True
    rep = verify(loaded)
    assert rep.final.checksum() == result.final.checksum() and rep.actions == len(result.steps)
