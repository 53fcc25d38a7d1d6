"""Smoke test of bench/balance.py's machinery with tiny seed counts (not of the game's balance itself)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Spawned workers must import the script's module by name: bench/ goes on the path they inherit.
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))
bal = importlib.import_module("balance")


def test_wilson_interval():
    """A rate's Wilson interval contains the rate and stays within [0, 1]."""
    e = bal.wilson(3, 10)
    assert e.value == pytest.approx(0.3)
    assert 0.0 <= e.low < 0.3 < e.high <= 1.0
    z = bal.wilson(0, 50)
    assert z.value == 0 and z.low == 0 and 0 < z.high < 0.1


def test_mean_interval_and_risk_difference():
    """Mean intervals shrink with n; the Mantel-Haenszel difference skips empty strata and pools the rest."""
    small, big = bal.mean_ci([0.0, 1.0] * 5), bal.mean_ci([0.0, 1.0] * 500)
    assert small.value == big.value == pytest.approx(0.5)
    assert big.high - big.low < small.high - small.low
    rd = bal.mh_risk_difference([(5, 10, 1, 10), (3, 6, 0, 0), (4, 10, 2, 10)])
    assert rd.value == pytest.approx(0.3)  # equal weights: (0.4 + 0.2) / 2
    assert rd.low < rd.value < rd.high and rd.n == 40


def test_intent_forcing_keeps_the_rest_of_the_deal():
    """Forcing the intent card changes only that card: the same seed keeps the motive and the event deck."""
    from game.scenario import default_scenario

    sc = default_scenario()
    side, k, sincere, trap = bal.intent_cards(sc)
    assert side == "dprk" and sincere != trap
    bal._init("", 7, 0)  # niceness 0: do not renice this test process
    rows = {v: bal.play(bal.Job("intent", "passive", "passive", v, 0)) for v in ("sincere", "trap")}
    assert rows["sincere"]["intent"] == sincere and rows["trap"]["intent"] == trap
    assert rows["sincere"]["motive"] == rows["trap"]["motive"]
    sw = bal.swapped(sc)
    assert [s.first_in for s in sw.sides] == [("even" if s.first_in == "odd" else "odd") for s in sc.sides]


@pytest.mark.heavy
def test_tiny_run_prints_nine_checks_and_does_not_depend_on_workers(capsys):
    """With 2 seeds the script prints a row and a verdict per check; 1 and 2 workers give the same figures."""
    # --nice 0: workers niced by 10 starve behind the other tests on a busy machine (123 s instead of 20 s).
    argv = ["--seeds", "2", "--search-self", "1", "--search-field", "0", "--search", "ismcts:iterations=2",
            "--nice", "0"]
    assert bal.main(argv + ["--workers", "1"]) == 0
    one = capsys.readouterr().out
    assert bal.main(argv + ["--workers", "2"]) == 0
    two = capsys.readouterr().out
    for n in range(1, 10):
        assert f"| {n} | " in one
        assert f"check{n}: PASS" in one or f"check{n}: FAIL" in one
    assert "c6_ismcts:iterations=2_us_minus_dprk" not in one  # names are made safe below
    figures = [line for line in one.splitlines() if line.startswith("c")]
    assert figures and figures == [line for line in two.splitlines() if line.startswith("c")]


def test_bad_arguments_are_one_line_errors(capsys):
    """Bad counts, bot specs and scenario paths exit 2 with one line on stderr."""
    assert bal.main(["--seeds", "1"]) == 2
    assert bal.main(["--search", "nosuchbot"]) == 2
    assert bal.main(["--scenario", "/nonexistent/file.toml"]) == 2
    assert bal.main(["--nice", "-1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4 and all(line.startswith("balance: ") for line in err)
