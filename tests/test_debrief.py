"""The debrief: read from the states a match went through, shared by play, match and replay --text."""

from __future__ import annotations

from pathlib import Path

from game.debrief import build_debrief, debrief_lines, key_moments
from game.engine import agenda_cards
from game.record import load_record, verify

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"


def _replayed(name: str):
    return verify(load_record(GOLDEN / name))


def test_the_debrief_reveals_both_cards_and_its_parts_add_up_to_the_scores():
    rep = _replayed("peace_dove_trapper.json")
    d = build_debrief(rep.states)
    final = rep.final
    texts = [c.text for s in final.scenario.side_ids for c in agenda_cards(final, s)]
    assert [text for _, _, text in d.cards] == texts
    for (name, parts), (_, score) in zip(d.parts, d.scores):
        assert abs(sum(v for _, v in parts) - score) < 0.02
    assert d.outcome == "peace" and "peace" in d.outcome_words


def test_trust_and_tension_are_tabled_for_every_round_and_the_end():
    rep = _replayed("plain_hawk_dove.json")
    d = build_debrief(rep.states)
    rounds = rep.final.scenario.rounds
    assert [r.round for r in d.rounds] == [*range(1, rounds + 1), 0]
    assert d.rounds[-1].tension == rep.final.tension and d.rounds[-1].trust_index == rep.final.trust_index()


def test_key_moments_find_the_broken_promises_and_summits_the_states_show():
    for path in sorted(GOLDEN.glob("*.json")):
        rep = verify(load_record(path))
        moments = key_moments(rep.states)
        broken = sum(1 for c in rep.final.commitments if c.status in ("broken", "reversed"))
        assert sum(1 for m in moments if m.kind == "broken") == broken
        exposed = sum(1 for c in rep.final.commitments if c.status == "exposed")
        assert sum(1 for m in moments if m.kind == "exposed") == exposed
        assert sum(1 for m in moments if m.kind == "summit") == rep.final.summits
        assert sum(1 for m in moments if m.kind == "event") == rep.final.round


def test_the_text_debrief_names_every_part():
    lines = debrief_lines(build_debrief(_replayed("crisis_random.json").states))
    text = "\n".join(lines)
    for heading in ("Outcome:", "Hidden cards:", "score, part by part:", "Claims never caught:", "Key moments:",
                    "Trust and tension, round by round"):
        assert heading in text
