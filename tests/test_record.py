"""Match records: round trip, verification errors, forking, resuming, autosave and the record/replay commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import game
from game import cli
from game.bots import BUILTIN, make_bot
from game.match import play_match
from game.record import (
    Autosaver, Player, Record, RecordError, VerificationError, build_record, fork, load_record, on_step_autosave,
    parse_record, player_from_label, record_from_result, record_json, replay, resume, save_record, verify,
)
from game.scenario import default_scenario
from game.transcript import transcript_lines


@pytest.fixture(scope="module")
def scenario():
    return default_scenario()


def _match(scenario, seed=5, us="random", dprk="random", **kw):
    return play_match(scenario, seed, {"us": make_bot(us), "dprk": make_bot(dprk)}, **kw)


@pytest.fixture(scope="module")
def result(scenario):
    return _match(scenario, 5, checksums=True)


@pytest.fixture(scope="module")
def record(result):
    return record_from_result(result, started="2026-01-05T09:00:00+00:00")


def _edit(record: Record, fn) -> bytes:
    data = json.loads(record_json(record))
    fn(data)
    return json.dumps(data).encode()


def run(argv, capsys):
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------- round trip

def test_round_trip_gives_the_same_final_state_and_transcript(tmp_path, result, record):
    path = save_record(record, tmp_path / "m.json")
    loaded = load_record(path)
    assert loaded == record
    rep = verify(loaded)
    assert rep.final == result.final and rep.final.checksum() == result.final.checksum()
    assert rep.actions == len(result.steps)
    for side in ("all", "us", "dprk"):
        for verbose in (False, True):
            assert (transcript_lines(rep.happenings, side, scenario=rep.final.scenario, verbose=verbose)
                    == transcript_lines(result.happenings, side, scenario=result.scenario, verbose=verbose))


def test_record_holds_what_the_issue_asks(record, result, scenario):
    assert record.format == "crossroads-record" and record.format_version == 1
    assert record.game_version == game.__version__
    assert record.scenario == scenario.model_dump(mode="json")
    assert record.scenario_id == scenario.id and record.scenario_hash == scenario.content_hash
    assert record.seed == 5 and record.outcome == result.outcome
    assert record.players["us"] == Player(kind="bot", name="random")
    assert [(s.side, s.round, s.action, s.checksum) for s in record.steps] == \
        [(s.side, s.round, s.action, s.checksum) for s in result.steps]
    assert all(len(s.checksum) == 16 for s in record.steps)
    assert record.scores == result.scores
    assert record.started == "2026-01-05T09:00:00+00:00" and record.ended


def test_checksums_are_filled_in_when_the_match_did_not_compute_them(scenario, record):
    plain = _match(scenario, 5)  # checksums=False
    assert all(s.checksum == "" for s in plain.steps)
    again = record_from_result(plain)
    assert [s.checksum for s in again.steps] == [s.checksum for s in record.steps]


def test_replay_gives_every_state_for_scrubbing(record, result):
    rep = replay(record)
    assert rep.state_at(0).round == 1 and rep.state_at(0).happened
    for i, step in enumerate(record.steps, 1):
        assert rep.state_at(i).checksum() == step.checksum
    assert rep.happenings_until(rep.actions) == rep.happenings == result.happenings
    assert rep.happenings_until(3) == [h for s in rep.states[:4] for h in s.happened]


def test_humans_and_bot_parameters_are_recorded(scenario, result):
    rec = record_from_result(result, {"us": {"kind": "human", "name": "Ana"},
                                      "dprk": Player(kind="bot", name="mcts", params={"iterations": 400})})
    back = parse_record(record_json(rec))
    assert back.players["us"] == Player(kind="human", name="Ana")
    assert back.players["dprk"].label() == "mcts:iterations=400"
    assert player_from_label("mcts:iterations=400,c=1.5,style=calm").params == {"iterations": 400, "c": 1.5,
                                                                                 "style": "calm"}


def test_a_twelve_round_record_is_under_50_kb(scenario):
    names = [n for n, cls in BUILTIN.items() if not cls.classifier.get("search")]
    biggest = 0
    for i, us in enumerate(names):
        for j, dprk in enumerate(names):
            rec = record_from_result(_match(scenario, 100 + 7 * i + j, us, dprk))
            biggest = max(biggest, len(record_json(rec).encode()))
    assert biggest < 50_000, f"largest record {biggest} bytes"


# ---------------------------------------------------------------- verification failures

def test_a_changed_checksum_names_the_action(record):
    bad = parse_record(_edit(record, lambda d: d["steps"][6].update(checksum="0" * 16)), "m.json")
    with pytest.raises(VerificationError, match=r"^m\.json: action 7 of \d+ .*checksum") as err:
        verify(bad, "m.json")
    assert err.value.index == 7


def test_an_illegal_action_names_the_action(record):
    def swap(d):
        d["steps"][3]["action"] = d["steps"][3]["side"] + " call"
    with pytest.raises(VerificationError, match=r"action 4 of \d+ .*illegal at that point") as err:
        verify(parse_record(_edit(record, swap)))
    assert err.value.index == 4


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["steps"][0].update(action="us fly away"), "not an action"),
    (lambda d: d["steps"][0].update(round=4), "recorded in round 4"),
    (lambda d: d.update(seed=d["seed"] + 1), "the new game differs"),
    (lambda d: d.update(outcome="peace" if d["outcome"] != "peace" else "plain"), "records the outcome"),
    (lambda d: d["scores"].update(us=d["scores"]["us"] + 1), "score"),
    (lambda d: d.update(steps=d["steps"] + d["steps"][-1:]), "already over"),
])
def test_other_differences_fail_verification(record, edit, message):
    with pytest.raises(VerificationError, match=message):
        verify(parse_record(_edit(record, edit)))


def test_an_edited_scenario_does_not_match_its_hash(record):
    bad = _edit(record, lambda d: d["scenario"].update(rounds=13))
    with pytest.raises(VerificationError, match="does not match its recorded hash"):
        parse_record(bad, "m.json")


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(colour="red"), r"^m\.json: colour: unknown field$"),
    (lambda d: d["steps"][2].update(extra=1), r"^m\.json: steps\[2\]\.extra: unknown field$"),
    (lambda d: d.update(format_version=2), "newer than this program reads"),
    (lambda d: d.update(format_version="one"), "unknown record format version \"one\""),
    (lambda d: d.update(format="chess"), "not a Crossroads match record"),
    (lambda d: d.update(seed="5"), r"^m\.json: seed: "),
    (lambda d: d["players"].pop("dprk"), "players: name each side once"),
    (lambda d: d.update(outcome="forfeit"), "go together"),
    (lambda d: d["scenario"].update(rounds=0), r"^m\.json: scenario: rounds: "),
    (lambda d: d.update(started="yesterday"), r"^m\.json: started: "),
])
def test_invalid_records_are_one_line_errors_naming_the_file(record, edit, message):
    with pytest.raises(RecordError, match=message) as err:
        parse_record(_edit(record, edit), "m.json")
    assert "\n" not in str(err.value)
    assert not isinstance(err.value, VerificationError) or "hash" in str(err.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(RecordError, match="no such file"):
        load_record(tmp_path / "missing.json")
    with pytest.raises(RecordError, match="is a folder"):
        load_record(tmp_path)
    (tmp_path / "e.json").write_bytes(b"")
    with pytest.raises(RecordError, match="empty file"):
        load_record(tmp_path / "e.json")
    (tmp_path / "big.json").write_bytes(b" " * 5_000_001)
    with pytest.raises(RecordError, match="too large"):
        load_record(tmp_path / "big.json")
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(RecordError, match="a JSON object, this is a list"):
        load_record(tmp_path / "list.json")


# ---------------------------------------------------------------- fork and resume

def test_fork_keeps_the_first_n_actions(record):
    new = fork(record, 20, source="dir/m.json")
    assert new.outcome == "unfinished" and len(new.steps) == 20 and new.steps == record.steps[:20]
    assert new.forked_from.at == 20 and new.forked_from.of == len(record.steps) and new.forked_from.source == "m.json"
    assert verify(new).final.checksum() == record.steps[19].checksum
    with pytest.raises(RecordError, match="cannot fork at 999"):
        fork(record, 999)
    with pytest.raises(RecordError, match="the game is over"):
        fork(record, len(record.steps))


def test_resume_continues_a_stopped_match_and_keeps_every_action(scenario):
    stopped = _match(scenario, 8, "dove", "reciprocator", max_steps=25, checksums=True)
    old = record_from_result(stopped)
    assert old.outcome == "unfinished" and len(old.steps) == 25
    go = resume(parse_record(record_json(old)))
    players = {"us": make_bot("hawk"), "dprk": make_bot("dove")}
    result = play_match(go.scenario, go.seed, players, **go.play_args())
    new = record_from_result(result, players, resumed_from=go.record)
    assert new.steps[:25] == old.steps and len(new.steps) > 25 and new.finished
    assert new.players == old.players
    assert new.takeovers[0].at == 25 and new.takeovers[0].players["us"].name == "hawk"
    assert new.players_at(24)["us"].name == "dove" and new.players_at(25)["us"].name == "hawk"
    verify(parse_record(record_json(new)))
    with pytest.raises(RecordError, match="the match is over"):
        resume(new)


# ---------------------------------------------------------------- autosave

def test_autosave_keeps_the_last_three(tmp_path, record):
    saver = Autosaver(tmp_path / "saves", "class7")
    for n in range(5, 10):
        saver.save(fork(record, n))
    assert [p.name for p in saver.paths()] == [f"class7.autosave{i}.json" for i in (1, 2, 3)]
    assert [len(load_record(p).steps) for p in saver.paths()] == [9, 8, 7]
    assert sorted(p.name for p in (tmp_path / "saves").iterdir()) == [p.name for p in saver.paths()]
    path, latest = saver.latest()
    assert path == saver.path(1) and len(latest.steps) == 9
    saver.path(1).write_text('{"format": "crossroads-record", "tru')  # the newest damaged: fall back
    assert len(saver.latest()[1].steps) == 8
    saver.clear()
    assert saver.paths() == [] and saver.latest() is None


def test_autosave_after_every_action_of_a_match(tmp_path, scenario):
    saver = Autosaver(tmp_path, "hotseat")
    players = {"us": make_bot("dove"), "dprk": make_bot("reciprocator")}
    seen = []

    def hook(state, step, ev, inner=on_step_autosave(saver, scenario, 4, players)):
        inner(state, step, ev)
        seen.append(len(load_record(saver.path(1)).steps))

    result = play_match(scenario, 4, players, on_step=hook, max_steps=30)
    assert seen == list(range(1, 31))
    latest = saver.latest()[1]
    assert [s.action for s in latest.steps] == [s.action for s in result.steps]
    assert verify(latest).final == result.final
    assert len(load_record(saver.path(3)).steps) == 28


def test_build_record_from_a_game_in_progress(scenario, record):
    rep = replay(record, upto=10)
    rec = build_record(scenario, record.seed, record.steps[:10], rep.final, {"us": {"kind": "human", "name": "Bo"},
                                                                            "dprk": {"kind": "human", "name": "Cy"}})
    assert rec.outcome == "unfinished" and verify(rec).actions == 10


# ---------------------------------------------------------------- the command line

def test_match_save_then_replay_prints_the_same_match(tmp_path, capsys):
    path = tmp_path / "m.json"
    code, played, _ = run(["match", "--us", "random", "--dprk", "dove", "--seed", 12, "--save", path], capsys)
    assert code == 0 and played.endswith(f"saved {path} ({len(load_record(path).steps)} actions, "
                                         f"{load_record(path).outcome})\n")
    code, replayed, _ = run(["replay", path, "--text"], capsys)
    # The match's header names the seed typed; the record keeps (and replay shows) the engine seed drawn from it
    # with the user's secret (game.hidden). Replay numbers each action (the --fork-at N); all else is the same.
    head, _, rest = _unnumbered(replayed).partition("\n")
    assert code == 0 and played.split("\n", 1)[1].startswith(rest) and head.endswith(f"seed {load_record(path).seed}")
    code, out, _ = run(["replay", path, "--verify"], capsys)
    assert (code, out) == (0, f"verified: {len(load_record(path).steps)} actions\n")
    code, as_us, _ = run(["replay", path, "--as", "us"], capsys)
    code2, played_us, _ = run(["match", "--us", "random", "--dprk", "dove", "--seed", 12, "--as", "us"], capsys)
    assert code == code2 == 0 and _unnumbered(as_us).split("\n", 1)[1] == played_us.split("\n", 1)[1]


def _unnumbered(transcript: str) -> str:
    """A replay transcript without its action numbers ('12. United States ...' back to the indented line)."""
    return re.sub(r"(?m)^ ?\d+\. ", "    ", transcript)


def test_replay_verify_failure_exits_1_naming_the_action(tmp_path, capsys, record):
    path = tmp_path / "m.json"
    path.write_bytes(_edit(record, lambda d: d["steps"][9].update(checksum="f" * 16)))
    code, out, err = run(["replay", path, "--verify"], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"error: {path}: action 10 of ") and err.count("\n") == 1


@pytest.mark.parametrize("content", [b"", b"not json", b'{"format": "crossroads-record", "format_version": 9}',
                                     b"\xff\xfe\x00"])
def test_replay_of_unreadable_input_exits_2(tmp_path, capsys, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    code, out, err = run(["replay", path, "--verify"], capsys)
    assert code == 2 and out == "" and err.startswith(f"error: {path}: ") and err.count("\n") == 1


def test_fork_and_resume_from_the_command_line(tmp_path, capsys):
    full, part = tmp_path / "full.json", tmp_path / "part.json"
    assert run(["match", "--seed", 3, "--us", "dove", "--dprk", "dove", "--save", full, "--quiet"], capsys)[0] == 0
    code, out, _ = run(["replay", full, "--fork-at", 30, "--save", part], capsys)
    assert code == 0 and out.startswith(f"saved {part}: the first 30 of ")
    assert load_record(part).outcome == "unfinished"
    code, out, err = run(["match", "--resume", part, "--us", "hawk", "--dprk", "dove", "--quiet"], capsys)
    assert code == 0, err
    assert out.endswith(f"resumed after action 30; saved {part} ({len(load_record(part).steps)} actions, "
                        f"{load_record(part).outcome})\n")
    resumed = load_record(part)
    assert resumed.finished and resumed.steps[:30] == load_record(full).steps[:30]
    assert run(["replay", part, "--verify"], capsys)[:2] == (0, f"verified: {len(resumed.steps)} actions\n")
    elsewhere = tmp_path / "other.json"
    run(["replay", full, "--fork-at", 30, "--save", part], capsys)
    code, out, _ = run(["match", "--resume", part, "--save", elsewhere, "--quiet"], capsys)
    assert code == 0 and load_record(part).outcome == "unfinished" and load_record(elsewhere).finished


@pytest.mark.parametrize("argv, message", [
    (["replay", "{full}", "--fork-at", "3"], "--fork-at needs --save"),
    (["replay", "{full}", "--save", "{tmp}/x.json"], "--save goes with --fork-at"),
    (["replay", "{full}", "--as", "china"], "--as: choose one of us, dprk, all or public"),
    (["match", "--resume", "{full}"], "the match is over"),
    (["match", "--resume", "{full}", "--seed", "4"], "drop --seed"),
    (["match", "--seed", "1", "--save", "{tmp}/no/such/folder/m.json", "--quiet"], "--save: cannot write"),
])
def test_command_line_mistakes_are_one_line(tmp_path, capsys, argv, message):
    full = tmp_path / "full.json"
    run(["match", "--seed", 3, "--save", full, "--quiet"], capsys)
    code, _, err = run([a.format(full=full, tmp=tmp_path) for a in argv], capsys)
    assert code == 2 and message in err and err.count("\n") == 1


def test_a_forfeited_match_is_forked_not_resumed():
    record = load_record(Path(__file__).parent / "data" / "golden" / "forfeit_random_quitter.json")
    assert record.outcome == "forfeit" and record.forfeit.side == "dprk" and record.forfeit.kind == "crash"
    with pytest.raises(RecordError, match="ended by forfeit.*--fork-at"):
        resume(record, "f.json")
    again = fork(record, len(record.steps))
    assert again.outcome == "unfinished" and again.forfeit is None
    assert resume(again).state.to_move == "dprk"


def test_a_record_from_another_version_says_so_when_it_fails(record):
    def edit(d):
        d["game_version"] = "0.0.1"
        d["steps"][4]["checksum"] = "0" * 16
    with pytest.raises(VerificationError, match=r"action 5 .*\(recorded by Crossroads 0\.0\.1, this is "):
        verify(parse_record(_edit(record, edit)))
    assert verify(parse_record(_edit(record, lambda d: d.update(game_version="0.0.1")))).actions == len(record.steps)


def test_labels_of_bots_from_files_become_names():
    assert player_from_label("bots/mine.py:MyBot") == Player(kind="bot", name="bots/mine.py:MyBot")
    assert player_from_label("random") == Player(kind="bot", name="random")


def test_a_bot_from_a_file_keeps_its_file_and_class(result):
    class FileBot(BUILTIN["random"]):
        name = "my-first-bot"

        def label(self):
            return "examples/my_first_bot.py:MyBot:depth=2"

    info = record_from_result(result, {"us": FileBot(depth=2), "dprk": make_bot("random")}).players["us"]
    assert info == Player(kind="bot", name="my-first-bot", params={"depth": 2},
                          source="examples/my_first_bot.py:MyBot:depth=2")
    assert info.label() == "examples/my_first_bot.py:MyBot:depth=2"
    assert record_from_result(result, {"us": make_bot("random"), "dprk": make_bot("random")}).players["us"].source == ""


def test_any_typed_seed_saves_a_record(tmp_path, capsys):
    """A seed beyond 64 bits used to be refused at --save; the draws now come from a 64-bit engine seed mixed
    from it (game.hidden), which the record keeps, so any typed seed plays and saves."""
    path = tmp_path / "m.json"
    code, _, _ = run(["match", "--seed", str(2 ** 70), "--save", path, "--quiet"], capsys)
    assert code == 0 and 0 <= load_record(path).seed < 2 ** 64
