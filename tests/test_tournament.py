"""Tournaments: the same results for any number of workers, clean stops and resumes, misbehaving bots,
one-line errors. Small fields and few seeds keep this file fast; workers are spawned, as on Windows and macOS."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.cli import main as cli_main
from game.tournament import TournamentConfig, prepare, resume_tournament, run_tournament
from game.tournament.runner import LOG, read_log
from game.hidden import derive_key, hidden_seed
from game.tournament.runner import load_secret
from game.tournament.pool import plan_chunks
from game.tournament.schedule import FILE_MATCH_COST, chunks, match_count, match_seed, pairings, play_order, schedule

# Its tests share one costly reference run (conftest.py): run the whole file on one test worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_tournament")

ROOT = Path(__file__).resolve().parent.parent
BOTS_DIR = ROOT / "tests" / "data" / "bots"
FIELD = dict(bots=["random", "hawk", "dove"], repetitions=3, seed=11, self_play=True)


def deterministic(results: dict) -> dict:
    """results.json without its timing fields."""
    return {k: v for k, v in results.items() if k != "timing"}


def log_lines(out: Path) -> list[dict]:
    """The match log, each line without its timing field, sorted by match."""
    rows = [{k: v for k, v in r.items() if k != "seconds"} for r in read_log(out)]
    return sorted(rows, key=lambda r: (json.dumps(r["players"], sort_keys=True), r["rep"]))


def keys_in_log(out: Path) -> list[tuple]:
    """(players, rep) of every line of the log, duplicates kept."""
    return [(tuple(sorted(r["players"].items())), r["rep"]) for r in read_log(out)]


@pytest.fixture
def reference(tournament_reference) -> tuple[Path, dict]:
    """An uninterrupted run of FIELD with one worker (charts included): conftest.py plays it once for every file."""
    return tournament_reference


def test_schedule_uses_common_seeds_and_counts_pairings():
    assert pairings(3, False) == [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]
    assert len(pairings(6, True)) == 36 and match_count(6, 50, True) == 1800 and match_count(6, 50, False) == 1500
    keys = list(schedule(3, 4, True))
    assert keys == sorted(keys) and len(keys) == 36
    for cost in (None, lambda k: 40.0 if k.first == 2 else 1.0):
        parts = chunks(keys, 2, cost)
        assert [k for c in parts for k in c] == keys and all(parts)
        assert max(len(c) for c in parts) <= 40 and len(parts[-1]) == 1
    assert max(len(c) for c in chunks(keys, 2, lambda k: 40.0)) == 1
    seeds = {r: match_seed(11, r) for r in range(4)}
    assert len(set(seeds.values())) == 4 and match_seed(11, 2) == seeds[2] and match_seed(12, 2) != seeds[2]


@pytest.mark.parametrize("n_bots, reps, self_play", [(30, 100, False), (30, 20, False), (4, 100, True), (2, 7, False)])
def test_play_order_spreads_each_bots_seed_over_chunks(n_bots, reps, self_play):
    # A bot's generator is the same at one seed in every pairing (common random numbers): a bot that hangs at a
    # seed hangs in all its matches with it. A chunk of bot-file matches (the pool's sizes) must not hold many
    # of them, or they wait one time limit after another in the bot's one process.
    keys = list(schedule(n_bots, reps, self_play))
    order = play_order(keys, n_bots)
    assert sorted(order) == keys
    files = [f"class/student{i}/bot.py:MyBot" for i in range(n_bots)]
    for chunk in plan_chunks(order, 2, files):  # the chunks both pools hand out
        for side in (0, 1):
            same_seed = {}
            for k in chunk:
                same_seed[k[side], k.rep] = same_seed.get((k[side], k.rep), 0) + 1
            assert max(same_seed.values()) <= 2
    rep_major = sorted(keys, key=lambda k: (k.rep, k.first, k.second))  # the order this replaced
    rep_major_chunks = chunks(rep_major, 2, lambda k: FILE_MATCH_COST)
    assert n_bots < 30 or max(sum(k.first == 0 and k.rep == 0 for k in c) for c in rep_major_chunks) > 2


def test_one_and_two_workers_give_identical_results(reference, tmp_path):
    ref_out, ref = reference
    stats, results = run_tournament(TournamentConfig(**FIELD, workers=2), tmp_path / "t", charts=False)
    assert stats.played == 27
    assert deterministic(results) == deterministic(ref)
    on_disk = json.loads((tmp_path / "t" / "results.json").read_text())
    assert deterministic(on_disk) == deterministic(json.loads((ref_out / "results.json").read_text()))
    assert log_lines(tmp_path / "t") == log_lines(ref_out)
    # pairings meet the same seeds: every pairing's repetition r has the same match seed
    # (the engine seed, mixed with the tournament's key so that no bot can search for it from the small seed)
    seeds = {(r["rep"], r["seed"]) for r in read_log(ref_out)}
    key = derive_key(load_secret(ref_out), "draws")
    assert seeds == {(r, hidden_seed(match_seed(11, r), key)) for r in range(3)}


def test_reports_are_written(reference):
    out, results = reference
    for name in ("results.json", "results.csv", "means.png", "scores.png", "pairwise.png", "report.html",
                 "tournament.json", LOG):
        assert (out / name).stat().st_size > 0, name
    assert (out / "scores.png").read_bytes()[:4] == b"\x89PNG"
    csv_rows = (out / "results.csv").read_text().splitlines()
    assert len(csv_rows) == 1 + 3 * 2 and csv_rows[0].startswith("rank,bot,role,matches,mean")
    bot = results["bots"][0]
    us = bot["roles"]["us"]
    assert us["matches"] == 9 and us["wins"] + us["losses"] + us["draws"] == 9
    assert us["ci_low"] <= us["mean"] <= us["ci_high"]
    assert abs(sum(us["rates"].values()) - 1.0) < 1e-6
    assert set(bot["rating"]) == {"mu", "sigma", "ordinal"} and sorted(results["ranking"]) == sorted(FIELD["bots"])
    matrix = results["pairwise"]["mean_difference"]
    assert all(matrix[i][i] is None for i in range(3))
    assert matrix[0][1] == pytest.approx(-matrix[1][0])
    assert results["tournament"]["complete"] and results["forfeits"] == 0


def test_the_summary_reads_the_log_once_with_the_collector_paused(reference, tmp_path, monkeypatch):
    """finish reads the log once and hands its rows to the summary and the charts: the same figures as each
    reading the log itself; it runs with the cyclic collector paused, which is running again afterwards."""
    import gc

    import game.tournament.results as results_module
    from game.tournament import finish, runner
    from game.tournament.results import logged_matches, score_samples, summarise

    out, results = reference
    matches = logged_matches(out)
    assert deterministic(summarise(out, matches)) == deterministic(summarise(out)) == deterministic(results)
    assert score_samples(out, matches) == score_samples(out)
    copy = tmp_path / "t"
    shutil.copytree(out, copy)
    reads = []  # whether the collector ran at each reading of the log
    monkeypatch.setattr(results_module, "read_log",
                        lambda *a, **k: reads.append(gc.isenabled()) or runner.read_log(*a, **k))
    assert gc.isenabled()
    assert deterministic(finish(copy, charts=True)) == deterministic(results)
    assert reads == [False] and gc.isenabled()


def test_stop_after_k_then_resume_equals_uninterrupted(reference, tmp_path):
    ref_out, ref = reference
    out = tmp_path / "t"
    stats, results = run_tournament(TournamentConfig(**FIELD, workers=2), out, charts=False, stop_after=5)
    assert results is None and stats.stopped and 5 <= stats.played < 27
    first = stats.played
    stats2, results2 = resume_tournament(out, workers=1, charts=False)
    assert stats2.already == first and stats2.played == 27 - first and stats2.complete
    keys = keys_in_log(out)
    assert len(keys) == len(set(keys)) == 27  # no match played (logged) twice
    assert deterministic(results2) == deterministic(ref)
    # resuming a complete tournament plays nothing
    stats3, results3 = resume_tournament(out, charts=False)
    assert stats3.played == 0 and deterministic(results3) == deterministic(ref)


def test_torn_log_is_repaired_on_resume(reference, tmp_path):
    ref_out, ref = reference
    out = tmp_path / "t"
    out.mkdir()
    shutil.copy(ref_out / "tournament.json", out / "tournament.json")
    shutil.copy(ref_out / "secret", out / "secret")
    lines = (ref_out / LOG).read_bytes().splitlines(keepends=True)
    (out / LOG).write_bytes(b"".join(lines[:10]) + lines[10][: len(lines[10]) // 2])  # a crash mid-write
    stats, results = resume_tournament(out, workers=2, charts=False)
    assert stats.already == 10 and stats.played == 17
    assert len(set(keys_in_log(out))) == len(keys_in_log(out)) == 27
    assert deterministic(results) == deterministic(ref)


def one_line_error(capsys, argv) -> str:
    """Run the CLI, expect exit 2 and a single 'error:' line on stderr; return it."""
    assert cli_main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("error: ") and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("text, expect", [
    ("bots = [\"random\", \"hawk\"\n", "TOML syntax error"),
    ("bots = [\"random\", \"hawk\"]\nrepetitons = 3\n", "repetitons: Extra inputs are not permitted"),
    ("bots = [\"random\", \"hawk\"]\nrepetitions = \"many\"\n", "repetitions:"),
    ("bots = [\"random\", \"hawk\"]\nrepetitions = 0\n", "repetitions: Input should be greater than or equal to 1"),
    ("bots = [\"random\", \"random\"]\n", "'random' is listed twice"),
    ("bots = \"random\"\n", "bots:"),
])
def test_malformed_config_is_a_one_line_error(tmp_path, capsys, text, expect):
    cfg = tmp_path / "t.toml"
    cfg.write_text(text)
    err = one_line_error(capsys, ["tournament", "--config", str(cfg), "--out", str(tmp_path / "o")])
    assert str(cfg) in err and expect in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("bots, expect", [
    ("random,nosuchbot", "unknown bot 'nosuchbot'"),
    ("random,students/missing.py:Bot", "missing.py does not exist"),
    (f"random,{BOTS_DIR / 'broken_syntax.py'}", "broken_syntax.py"),
    ("random", "at least two bots"),
])
def test_bad_bot_is_a_one_line_error(tmp_path, capsys, bots, expect):
    err = one_line_error(capsys, ["tournament", "--bots", bots, "--out", str(tmp_path / "o")])
    assert expect in err


def test_other_bad_input_is_a_one_line_error(tmp_path, capsys):
    assert "not a tournament folder" in one_line_error(capsys, ["tournament", "--resume", str(tmp_path)])
    assert "drop --bots" in one_line_error(capsys, ["tournament", "--resume", str(tmp_path), "--bots", "random"])
    assert "--bots" in one_line_error(capsys, ["tournament", "--out", str(tmp_path / "o")])
    prepare(TournamentConfig(bots=["random", "hawk"], repetitions=1), tmp_path / "done")
    assert "already holds a tournament" in one_line_error(
        capsys, ["tournament", "--bots", "random,hawk", "--out", str(tmp_path / "done")])


def test_command_line_overrides_config_and_runs(tmp_path, capsys):
    cfg = tmp_path / "t.toml"
    cfg.write_text('bots = ["random", "passive"]\nrepetitions = 50\nseed = 4\nout = "from-config"\n')
    assert cli_main(["tournament", "--config", str(cfg), "--repetitions", "2", "--workers", "1",
                     "--out", str(tmp_path / "o"), "--no-charts", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "Ranking" in out and "results.json" in out
    results = json.loads((tmp_path / "o" / "results.json").read_text())
    assert results["tournament"]["repetitions"] == 2 and results["tournament"]["seed"] == 4
    assert results["tournament"]["matches"] == 4 and not (tmp_path / "from-config").exists()


def test_save_records_keeps_a_verifiable_record_per_match(tmp_path):
    from game.record import load_record, verify

    stats, results = run_tournament(TournamentConfig(bots=["hawk", "dove"], repetitions=1, workers=1,
                                                     save_records=True), tmp_path / "t", charts=False)
    rows = list(read_log(tmp_path / "t"))
    assert len(rows) == 2
    for row in rows:
        record = load_record(tmp_path / "t" / row["record"])
        verify(record)
        assert record.seed == row["seed"]


def test_a_folder_of_bot_files_enters_every_file(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    example = (ROOT / "examples" / "my_first_bot.py").read_text()
    for student in ("alice", "bob"):
        (folder / f"{student}.py").write_text(example)
    (folder / "notes.txt").write_text("not a bot")
    cfg = tmp_path / "t.toml"
    cfg.write_text('bots = ["random"]\nbot_dirs = ["class"]\nrepetitions = 1\n')
    # one worker: each worker keeps a sandboxed process per bot file, and what is checked here is the folder
    assert cli_main(["tournament", "--config", str(cfg), "--workers", "1", "--out", str(tmp_path / "o"),
                     "--no-charts", "--no-progress"]) == 0
    capsys.readouterr()
    results = json.loads((tmp_path / "o" / "results.json").read_text())
    assert results["tournament"]["bots"] == ["random", "alice", "bob"] and results["tournament"]["played"] == 6
    assert results["forfeits"] == 0
    assert "holds no .py files" in one_line_error(capsys, ["tournament", "--bot-dir", str(tmp_path / "o"),
                                                           "--out", str(tmp_path / "o2")])


def test_a_chunk_of_bot_files_is_summarised_before_the_collector_runs_again(monkeypatch):
    """The first collection after the collector's pause walks every object still alive that the chunk made: a
    worker summarises and frees a chunk's results while it is still paused, and turns it back on after."""
    import gc
    import threading

    from game.scenario import default_scenario
    from game.tournament import batch, worker
    from game.tournament.schedule import MatchKey

    sc = default_scenario()
    monkeypatch.setattr(worker, "_state", {"stop": threading.Event(), "scenario_obj": sc, "names": ["a", "b"],
                                           "seed": 1, "draw_key": b"k" * 32, "seats": {}})
    monkeypatch.setattr(worker, "_seat", lambda index, side: object())  # stands for a bot file's host
    monkeypatch.setattr(batch, "play_many", lambda matches, *rest, **named: [(key, f"result {key.rep}", {})
                                                                              for key, _, _ in matches])
    while_summarising = []
    monkeypatch.setattr(worker, "summarise_match",
                        lambda result, key, names: while_summarising.append(gc.isenabled()) or {"of": result})
    assert gc.isenabled()
    done = worker._play_side_by_side([MatchKey(0, 1, 0), MatchKey(1, 0, 1)])
    assert while_summarising == [False, False] and gc.isenabled()
    assert [out["of"] for _, out in done] == ["result 0", "result 1"]
