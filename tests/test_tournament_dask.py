"""A lab of machines: tournaments on a Dask cluster (here a LocalCluster of 2 worker processes) give the same
results as the built-in pool, bring records and printed output home, survive a worker that dies, and resume."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

# Dask is imported by the fixture that starts the cluster, not at collection (every test worker collects this file).
if importlib.util.find_spec("distributed") is None:
    pytest.skip("Dask's distributed is not installed", allow_module_level=True)

from game.cli import main as cli_main  # noqa: E402
from game.tournament import TournamentConfig, resume_tournament, run_tournament  # noqa: E402
from game.tournament import dask_pool  # noqa: E402
from game.tournament.printed import file_for  # noqa: E402
from game.tournament.runner import read_log  # noqa: E402

# Its module-scoped fixtures are costly: run the whole file on one test worker (pytest.ini: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_tournament_dask")

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "tests" / "data" / "bots" / "first_mistakes.py"
FIELD = dict(bots=["hawk", "dove", f"{MISTAKES}:Chatty", f"{MISTAKES}:Words"], repetitions=1, seed=21,
             save_records=True)


def deterministic(results: dict) -> dict:
    return {k: v for k, v in results.items() if k != "timing"}


def log_rows(out: Path) -> list[str]:
    return sorted(json.dumps({k: v for k, v in r.items() if k != "seconds"}, sort_keys=True) for r in read_log(out))


@pytest.fixture(scope="module")
def client():
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "t"
    # the built-in pool's results do not depend on its workers (tests/test_tournament.py): one starts fewest processes
    stats, results = run_tournament(TournamentConfig(**FIELD, workers=1), out, charts=False)
    return out, results


def test_a_dask_run_equals_a_local_run_and_brings_records_and_output_home(client, local, tmp_path):
    ref_out, ref = local
    out = tmp_path / "t"
    stats, results = run_tournament(TournamentConfig(**FIELD), out, charts=False, dask=client)
    assert stats.complete and stats.played == 4 * 3
    assert deterministic(results) == deterministic(ref)
    assert log_rows(out) == log_rows(ref_out)
    records = sorted(p.name for p in (out / "records").iterdir())
    assert records == sorted(p.name for p in (ref_out / "records").iterdir()) and len(records) == 12
    blocks = [sorted(file_for(o, "first_mistakes:Chatty").read_text().split("--- seed ")) for o in (out, ref_out)]
    assert blocks[0] == blocks[1] and len(blocks[0]) > 4  # the same blocks, in the order the matches finished
    assert (out / "report.html").exists()


def test_a_worker_that_dies_loses_only_its_chunk_which_is_played_again(client, local, tmp_path):
    ref_out, ref = local
    flag = tmp_path / "died"
    env = {dask_pool.DIE_ONCE_ENV: f"1,2,0,{flag}"}
    client.run(lambda: os.environ.update(env))  # a lambda travels by value: it sets the worker's own environment
    try:
        stats, results = run_tournament(TournamentConfig(**FIELD), tmp_path / "t", charts=False, dask=client)
    finally:
        client.run(lambda: [os.environ.pop(k, None) for k in env] and None)
    assert flag.exists()  # a worker really died mid-chunk
    assert stats.complete and deterministic(results) == deterministic(ref)
    assert log_rows(tmp_path / "t") == log_rows(ref_out)


def test_a_stopped_dask_run_resumes_to_the_same_results(client, local, tmp_path):
    ref_out, ref = local
    out = tmp_path / "t"
    stats, results = run_tournament(TournamentConfig(**FIELD), out, charts=False, stop_after=5, dask=client)
    assert results is None and 5 <= stats.played < 12
    stats2, results2 = resume_tournament(out, charts=False, dask=client)
    assert stats2.complete and stats2.already == stats.played
    assert deterministic(results2) == deterministic(ref) and log_rows(out) == log_rows(ref_out)


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dask_pool, "CONNECT_SECONDS", 1.0)
    code = cli_main(["tournament", "--bots", "hawk,dove", "--repetitions", "1", "--out", str(tmp_path / "t"),
                     "--dask", "tcp://127.0.0.1:9", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert err.strip().splitlines()[-1].startswith("error: --dask: ")
