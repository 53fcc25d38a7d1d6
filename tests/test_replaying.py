"""The replay viewer's model (game.replaying): stepping, perspectives, divergence, playing on, the list of saves."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from game import cli
from game.actions import Action
from game.debrief import key_moments
from game.engine import agenda_cards, apply, new_game
from game.record import load_record, save_record, verify
from game.replaying import (
    PERSPECTIVES, PlayOnError, ReplayOpenError, find_original, list_replays, open_replay, session_of, start_match,
)
from tests.helpers import ROOT

GOLDEN = ROOT / "tests" / "data" / "golden"
RECORDS = sorted(GOLDEN.glob("*.json"))


@pytest.fixture(scope="module")
def sessions():
    """Every golden record opened once (a session is read-only apart from its step and perspective)."""
    return {p.stem: open_replay(p) for p in RECORDS}


def test_there_are_golden_records():
    """The goldens cover every way a match ends (crisis, peace, plain, forfeit)."""
    assert len(RECORDS) >= 6


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_stepping_forward_and_back_shows_the_engine_s_states(path, sessions):
    """Every step, forward then back, shows the state new_game + apply recomputes, and the log grows by one entry."""
    s = sessions[path.stem]
    record = s.record
    assert s.divergence is None and s.last == len(record.steps)
    state = new_game(record.scenario_model(), record.seed)
    expected = [state.checksum()]
    for step in record.steps:
        state, _ = apply(state, Action.parse(step.action))
        expected.append(state.checksum())
    for i in list(range(s.last + 1)) + list(range(s.last, -1, -1)):
        assert s.set_step(i) == i
        assert s.state().checksum() == expected[i]
        assert [e.number for e in s.log()] == list(range(1, i + 1))
    assert s.set_step(-5) == 0 and s.set_step(s.last + 5) == s.last


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_rounds_markers_and_series(path, sessions):
    """Round jumps land on round starts; there is a marker for every action and round; series grow with the step."""
    s = sessions[path.stem]
    actions = [m.index for m in s.markers if m.kind == "action"]
    assert actions == list(range(1, s.last + 1))
    rounds = {m.round: m.index for m in s.markers if m.kind == "round"}
    assert rounds and all(s.round_start(r) == i and s.state(i).round == r for r, i in rounds.items())
    i = 0
    seen = [0]
    while i < s.last:
        i = s.next_round(i)
        seen.append(i)
    assert seen[-1] == s.last and seen == sorted(set(seen))
    assert s.prev_round(s.last) <= s.last
    full = s.series(s.last)
    assert list(full["moments"]) == key_moments(s.states)  # each moment once, as the debrief lists them
    assert len(full["tension"]) == len(full["rounds"]) >= 1
    assert len(s.series(0)["tension"]) <= len(full["tension"])
    if s.state(s.last).is_over:
        assert any(m.kind == "end" for m in s.markers)


def _shown(s, i: int, p: str) -> str:
    """Everything the viewer shows at step i in perspective p, as one text to search."""
    parts = [json.dumps(s.view(i, p).to_dict(), default=str), json.dumps(s.summary(i, p), default=str),
             json.dumps(s.series(i), default=str), "\n".join(s.opening(p))]
    parts += [f"{e.number} {e.side} {' | '.join(e.lines)} {e.reason}" for e in s.log(i, p)]
    parts += [m.label for m in s.markers if m.index <= i]
    return "\n".join(parts)


def _secrets(s, i: int, other: str) -> list[str]:
    """What was drawn or done in secret by `other` up to step i: its cards and the truth of its open claims."""
    state = s.state(i)
    name = s.names[other]
    out = []
    for card in agenda_cards(state, other):
        out += [card.name, card.text]
    for c in state.commitments:
        if c.giver == other and c.status == "claimed":
            item = state.scenario.item_by_id[c.item].name
            out += [f"{name} only claims {item}", f"{name} really did implement {item}",
                    f"claiming {item} without doing it"]
    return out


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_a_side_never_sees_the_other_side_s_secrets_before_the_end(path, sessions):
    """US, DPRK (and public) perspectives show neither the other side's card nor its claims' truth before the end."""
    s = sessions[path.stem]
    sides = s.scenario.side_ids
    checked = 0
    for i in range(s.last + 1):
        if s.ended(i):
            continue
        for p in (*sides, "public"):
            text = _shown(s, i, p)
            for other in (x for x in sides if x != p):  # the room ('public') knows neither side's secrets
                secrets = _secrets(s, i, other)
                found = re.search(r"\b(" + "|".join(map(re.escape, secrets)) + r")\b", text)
                assert found is None, (p, i, found and found.group(0))
                checked += len(secrets)
            if p == "public":
                continue
            other = next(x for x in sides if x != p)
            v = s.view(i, p)
            assert all(c.done is None for c in v.commitments if c.giver == other and c.status == "claimed")
    assert checked
    # The search would find them: the spectator's 'everything' shows the cards.
    text = _shown(s, 0, "everything")
    assert all(card.name in text for side in sides for card in agenda_cards(s.state(0), side))


def test_the_secret_search_meets_unverified_claims(sessions):
    """The goldens hold claims the other side could not check (so the search above looks for their truth)."""
    claims = [(name, i) for name, s in sessions.items() for i in range(s.last + 1) if not s.ended(i)
              and any(c.status == "claimed" and not c.done for c in s.state(i).commitments)]
    assert claims


def test_the_other_side_s_reasons_show_only_at_the_end(sessions):
    """A bot's reason ('claiming X without doing it') is its own side's until the match is over."""
    s = sessions["peace_dove_trapper"]
    mid = s.last // 2
    for p in ("us", "dprk"):
        assert all(not e.reason for e in s.log(mid, p) if e.side != p)
        assert any(e.reason for e in s.log(mid, p) if e.side == p)
    assert all(not e.reason for e in s.log(mid, "public"))
    assert any(e.reason for e in s.log(s.last, "us") if e.side == "dprk")


def test_perspectives(sessions):
    """The four perspectives; an unknown one is refused."""
    s = sessions["plain_hawk_dove"]
    assert PERSPECTIVES == ("public", "us", "dprk", "everything")
    for p in PERSPECTIVES:
        s.set_perspective(p)
        assert s.perspective == p and s.view() is not None
    with pytest.raises(ValueError):
        s.set_perspective("teacher")
    s.set_perspective("public")


def _tampered(tmp_path: Path, name: str, change) -> Path:
    data = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    change(data)
    out = tmp_path / f"{name}.tampered.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def test_a_tampered_record_opens_at_its_divergence(tmp_path, capsys):
    """A changed action or checksum: the match shows up to the action before, with the message --verify prints."""
    def change(d):
        d["steps"][29]["checksum"] = "0123456789abcdef"

    s = open_replay(_tampered(tmp_path, "peace_dove_trapper", change))
    assert s.divergence is not None and s.divergence.at == 30 and not s.divergence.at_end
    assert s.last == 29 and s.set_step(50) == 29
    assert "action 30 of" in s.divergence.message and "\n" not in s.divergence.message
    assert [e.number for e in s.log(29)] == list(range(1, 30))

    code = cli.main(["replay", str(s.source), "--verify"])
    assert code == 1 and capsys.readouterr().err == f"error: {s.divergence.message}\n"

    def illegal(d):
        d["steps"][9]["action"] = d["steps"][9]["action"].split()[0] + " propose summit"

    s = open_replay(_tampered(tmp_path, "crisis_random", illegal))
    assert s.divergence.at == 10 and s.last == 9

    def ending(d):
        d["scores"]["us"] = 42.0

    s = open_replay(_tampered(tmp_path, "plain_hawk_dove", ending))
    assert s.divergence is not None and s.divergence.at_end and s.last == len(s.record.steps)


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": "something else"}', b"\xff\xfe"])
def test_an_unreadable_file_gives_one_line(tmp_path, content):
    """Not a record: ReplayOpenError with one line naming the file."""
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(ReplayOpenError) as err:
        open_replay(bad)
    assert "\n" not in str(err.value) and "bad.json" in str(err.value)
    with pytest.raises(ReplayOpenError):
        open_replay(tmp_path / "missing.json")


def test_play_on_forks_resumes_and_notes_who_took_over(tmp_path, sessions):
    """play_on makes an unfinished record that resumes with the new players; the played record keeps the fork."""
    s = sessions["peace_dove_trapper"]
    fork = s.play_on(40, {"us": "random", "dprk": "passive"})
    assert fork.forked_from.at == 40 and fork.forked_from.of == len(s.record.steps)
    assert fork.forked_from.source == "peace_dove_trapper.json"
    assert fork.takeovers[-1].at == 40 and fork.takeovers[-1].players["us"].name == "random"
    verify(fork)
    match = start_match(fork, background=False)
    try:
        match.run_bots()
        played = match.record()
    finally:
        match.close()
    assert played.finished and played.forked_from == fork.forked_from
    assert played.takeovers == fork.takeovers and played.steps[:40] == s.record.steps[:40]
    path = save_record(played, tmp_path / "fork.json")
    again = open_replay(path)
    assert again.divergence is None and again.summary()["forked_from"].at == 40
    shutil.copy(GOLDEN / "peace_dove_trapper.json", tmp_path / "peace_dove_trapper.json")
    assert find_original(again, folders=[]) == tmp_path / "peace_dove_trapper.json"
    both = s.compare(again)
    assert both.related and both.common >= 40 and both.left.outcome == "peace"
    assert set(both.right.scores) == {"us", "dprk"}
    with pytest.raises(PlayOnError):
        s.play_on(s.last, {"us": "random", "dprk": "random"})  # the game is over there
    with pytest.raises(PlayOnError):
        start_match(s.play_on(10, {"us": "nosuchbot", "dprk": "random"}), background=False)


def test_play_on_with_a_person(sessions):
    """A person can take over: the seat is a Human with the chosen name."""
    s = sessions["plain_random_passive"]
    fork = s.play_on(5, {"us": "human:Ana", "dprk": {"kind": "bot", "name": "verifier"}})
    match = start_match(fork, background=False)
    try:
        assert match.seats["us"].name == "Ana" and match.state.checksum() == s.state(5).checksum()
        assert match.record().takeovers == fork.takeovers  # the chosen players carry on: no second takeover
    finally:
        match.close()
    assert session_of(fork).last == 5


def test_list_replays_newest_first_skipping_unreadable(tmp_path):
    """Saved records and each game's newest loadable autosave, newest first; junk is skipped."""
    names = ["crisis_random", "peace_dove_trapper", "plain_hawk_dove"]
    for n, name in enumerate(names):
        p = tmp_path / f"{name}.json"
        shutil.copy(GOLDEN / f"{name}.json", p)
        os.utime(p, (1_000_000 + n * 100, 1_000_000 + n * 100))
    (tmp_path / "junk.json").write_text("{", encoding="utf-8")
    (tmp_path / "play-1.autosave1.json").write_text("{", encoding="utf-8")  # damaged: the older one is listed
    older = tmp_path / "play-1.autosave2.json"
    shutil.copy(GOLDEN / "forfeit_random_quitter.json", older)
    os.utime(older, (2_000_000, 2_000_000))
    listed = list_replays([tmp_path])
    assert [r.path.name for r in listed] == ["play-1.autosave2.json", "plain_hawk_dove.json",
                                             "peace_dove_trapper.json", "crisis_random.json"]
    first = listed[0]
    assert first.autosave and first.outcome == "forfeit" and set(first.scores) == {"us", "dprk"}
    assert listed[2].sides == {"us": "dove", "dprk": "trapper"} and listed[2].date == "2026-01-05 09:40"
    assert list_replays([tmp_path / "nowhere"]) == []


def test_list_replays_defaults_to_the_saves_folder(tmp_path, monkeypatch):
    """Without folders it lists $CROSSROADS_HOME/saves, the folder the window saves and autosaves to."""
    from game.replay_files import saves_dir
    from game.ui.session import saves_dir as window_saves

    monkeypatch.setenv("CROSSROADS_HOME", str(tmp_path))
    assert saves_dir() == window_saves() == tmp_path / "saves"
    (tmp_path / "saves").mkdir()
    shutil.copy(GOLDEN / "crisis_random.json", tmp_path / "saves" / "a.json")
    assert [r.path.name for r in list_replays()] == ["a.json"]
    assert load_record(tmp_path / "saves" / "a.json").outcome == "crisis"


def test_the_transcript_numbers_are_the_log_s(sessions, capsys):
    """`replay --text` numbers each action's first line with the log's number, the N that --fork-at N keeps."""
    s = sessions["peace_verifier_reciprocator"]
    assert cli.main(["replay", str(s.source), "--text"]) == 0
    numbered = re.findall(r"(?m)^ ?(\d+)\. (.*)$", capsys.readouterr().out)
    entries = s.log(s.last, "everything")
    assert [int(n) for n, _ in numbered] == sorted({int(n) for n, _ in numbered}) and len(numbered) > 50
    for n, text in numbered:
        assert entries[int(n) - 1].lines[0] == text
