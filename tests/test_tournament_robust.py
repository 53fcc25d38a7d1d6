"""Tournaments under stress: Ctrl-C on a real run, bots that crash or hang, a worker process that dies.
Each still ends in complete, correct results (small fields; workers are spawned, as on Windows and macOS)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from game.tournament import TournamentConfig, resume_tournament, run_tournament
from game.tournament.runner import LOG, prepare, read_log, run
from game.tournament.schedule import chunks, schedule
from game.tournament.worker import DIE_AT_ENV

from tests.test_tournament import BOTS_DIR, FIELD, ROOT, deterministic  # noqa: E402 - one definition of each


def keys_in_log(out: Path) -> list[tuple]:
    """(players, rep) of every line of the log, duplicates kept."""
    return [(tuple(sorted(r["players"].items())), r["rep"]) for r in read_log(out)]


def left_behind() -> list:
    """This process's descendants, except multiprocessing's resource tracker (which lives as long as we do)."""
    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            if not any("resource_tracker" in part for part in child.cmdline()):
                out.append(child)
        except psutil.Error:
            pass
    return out


def log_rows(out: Path) -> dict[tuple, dict]:
    """Each logged match by (players, rep), without its timing field."""
    return {(tuple(sorted(r["players"].items())), r["rep"]): {k: v for k, v in r.items() if k != "seconds"}
            for r in read_log(out)}


@pytest.mark.heavy
@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT to a process group (POSIX)")
def test_ctrl_c_on_a_real_run_keeps_finished_matches_and_resume_completes(tmp_path):
    out = tmp_path / "t"
    # 3 bots with self-play make 9 pairings; 4 repetitions leave most of the 36 matches to play after the 5th is
    # logged, so the interrupt lands mid-run (more repetitions only make the same check slower: it was 8 and the
    # 10th; the same share of the run is played before the interrupt)
    reps, total, first = 4, 9 * 4, 5
    # a student's bot (a sandboxed process) is in the field: Ctrl-C must not turn into its forfeits
    student = str(ROOT / "examples" / "my_first_bot.py")
    cmd = [sys.executable, str(ROOT / "main.py"), "tournament", "--bots", f"random,hawk,{student}", "--self-play",
           "--repetitions", str(reps), "--seed", "3", "--workers", "2", "--out", str(out), "--no-charts", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / LOG).exists() and len((out / LOG).read_bytes().splitlines()) >= first:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err  # stopped, not crashed
    assert "--resume" in err and "Traceback" not in err
    kept = keys_in_log(out)
    assert first <= len(kept) < total and len(set(kept)) == len(kept)
    assert all(r["outcome"] != "error" and r["forfeit"] is None for r in read_log(out))
    stats, results = resume_tournament(out, workers=2, charts=False)
    assert stats.already == len(kept) and stats.played == total - len(kept)
    assert len(set(keys_in_log(out))) == total
    ref_stats, ref = run_tournament(TournamentConfig(bots=["random", "hawk", student], self_play=True, repetitions=reps,
                                                     seed=3, workers=1), tmp_path / "ref", charts=False)
    assert deterministic(results) == deterministic(ref)


@pytest.mark.heavy
def test_crashing_and_hanging_bots_forfeit_their_own_matches(tmp_path):
    raises = f"{BOTS_DIR / 'misbehaving.py'}:Raises:after=3"
    sleeps = f"{BOTS_DIR / 'misbehaving.py'}:Sleeps:after=2"
    cfg = TournamentConfig(bots=["random", raises, sleeps], repetitions=1, seed=5, workers=2, time_limit=0.4)
    stats, results = run_tournament(cfg, tmp_path / "t", charts=False)
    assert stats.complete and results["tournament"]["played"] == 6
    assert results["forfeits"] == 6 and results["outcomes"]["forfeit"] == 6
    by_name = {b["name"]: b for b in results["bots"]}
    assert set(by_name) == {"random", "misbehaving:Raises:after=3", "misbehaving:Sleeps:after=2"}
    rnd = by_name["random"]
    assert all(not r["forfeits"] for r in rnd["roles"].values())
    assert sum(r["opponent_forfeits"] for r in rnd["roles"].values()) == 4
    assert sum(r["wins"] for r in rnd["roles"].values()) == 4  # the side that did not forfeit wins
    crash = by_name["misbehaving:Raises:after=3"]["roles"]
    hang = by_name["misbehaving:Sleeps:after=2"]["roles"]
    assert set(k for r in crash.values() for k in r["forfeits"]) == {"crash"}
    assert set(k for r in hang.values() for k in r["forfeits"]) == {"timeout"}
    deadline = time.monotonic() + 10
    while left_behind() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left_behind() == []  # no worker or bot process
    for row in read_log(tmp_path / "t"):
        f = row["forfeit"]
        assert f is not None and row["scores"][f["side"]] == -10
        other = next(s for s in row["scores"] if s != f["side"])
        assert row["scores"][other] == max(row["board"][other], 0.0)


# conftest.py plays tournament_reference once per test worker: on the worker of tests/test_tournament.py, which uses
# it too (without the group, both workers played the 27-match reference)
SHARES_THE_REFERENCE = pytest.mark.xdist_group("test_tournament")


@SHARES_THE_REFERENCE
@pytest.mark.skipif(sys.platform == "win32", reason="os._exit in a spawned worker is enough on POSIX")
def test_a_worker_that_dies_loses_one_match_not_the_tournament(tmp_path, monkeypatch, tournament_reference):
    ref_out, _ = tournament_reference  # FIELD uninterrupted with one worker (conftest.py: played once, shared)
    monkeypatch.setenv(DIE_AT_ENV, "1,2,1")  # hawk (US) against dove (DPRK), repetition 1
    stats, results = run_tournament(TournamentConfig(**FIELD, workers=2), tmp_path / "t", charts=False)
    assert stats.complete and stats.retried >= 1
    assert results["outcomes"]["error"] == 1 and results["tournament"]["played"] == 27
    assert_one_error(tmp_path / "t", ref_out, {"us": "hawk", "dprk": "dove"}, 1)


def assert_one_error(out: Path, ref_out: Path, players: dict, rep: int) -> None:
    """The log holds every match once, the one given as the only error, and the rest as in the reference run."""
    errors = [r for r in read_log(out) if r["outcome"] == "error"]
    assert len(errors) == 1 and errors[0]["players"] == players and errors[0]["rep"] == rep
    keys = keys_in_log(out)
    assert len(keys) == len(set(keys)) == 27
    ref_rows = log_rows(ref_out)
    for key, row in log_rows(out).items():
        if row["outcome"] != "error":
            assert row == ref_rows[key]


@SHARES_THE_REFERENCE
@pytest.mark.skipif(sys.platform == "win32", reason="os._exit in a spawned worker is enough on POSIX")
def test_a_worker_that_dies_between_submits_is_caught_at_the_next_submit(tmp_path, monkeypatch, tournament_reference):
    # The parent lingers after logging its first match (as on a loaded machine); meanwhile the worker that took the
    # next chunk dies on its first match, so the broken pool is found by `submit`, not by a future.
    ref_out, _ = tournament_reference
    die = chunks(list(schedule(3, FIELD["repetitions"], True)), 2)[2][0]
    monkeypatch.setenv(DIE_AT_ENV, f"{die.first},{die.second},{die.rep}")
    out = tmp_path / "t"
    prepare(TournamentConfig(**FIELD, workers=2), out)
    stats = run(out, workers=2, progress=False, on_match=lambda n: time.sleep(1.0 if n == 1 else 0.0))
    assert stats.complete and stats.retried >= 1
    names = FIELD["bots"]
    assert_one_error(out, ref_out, {"us": names[die.first], "dprk": names[die.second]}, die.rep)
