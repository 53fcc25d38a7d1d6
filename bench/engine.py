"""Engine speed: full random-vs-random matches per second, steps per second, median apply and legal_actions times.

Run: python bench/engine.py [--matches N] [--runs R]
A step is one legal_actions call plus one apply. Each figure is the median of R runs.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine import apply, legal_actions, new_game  # noqa: E402
from game.scenario import default_scenario  # noqa: E402


def play_random(scenario, seed: int) -> int:
    """Play one random-vs-random match; return its number of steps."""
    rng = random.Random(seed)
    s = new_game(scenario, seed)
    n = 0
    while not s.is_over:
        la = legal_actions(s)
        s, _ = apply(s, la[rng.randrange(len(la))])
        n += 1
    return n


def run_matches(scenario, n: int, first_seed: int) -> tuple[float, int]:
    """Seconds to play n random matches, and the steps they took."""
    t0 = time.perf_counter()
    steps = sum(play_random(scenario, first_seed + i) for i in range(n))
    return time.perf_counter() - t0, steps


def time_calls(scenario, n_states: int) -> tuple[float, float]:
    """Median microseconds of legal_actions (uncached) and of apply, over states from random play."""
    rng = random.Random(99)
    states = []
    seed = 10_000
    while len(states) < n_states:
        s = new_game(scenario, seed)
        seed += 1
        while not s.is_over and len(states) < n_states:
            states.append(s)
            la = legal_actions(s)
            s, _ = apply(s, la[rng.randrange(len(la))])
    legal_t, apply_t = [], []
    for s in states:
        fresh = s.clone()  # a clone has no cached legal actions
        t0 = time.perf_counter()
        la = legal_actions(fresh)
        t1 = time.perf_counter()
        a = la[rng.randrange(len(la))]
        t2 = time.perf_counter()
        apply(fresh, a)
        t3 = time.perf_counter()
        legal_t.append(t1 - t0)
        apply_t.append(t3 - t2)
    return statistics.median(legal_t) * 1e6, statistics.median(apply_t) * 1e6


def main() -> None:
    """Print the engine's speed figures, one `name: value unit` line each."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--matches", type=int, default=1000, help="matches per run")
    ap.add_argument("--runs", type=int, default=5, help="runs; each figure is the median")
    args = ap.parse_args()
    sc = default_scenario()
    play_random(sc, 0)  # warm the per-scenario tables
    rates, step_rates, steps_per = [], [], []
    for r in range(args.runs):
        secs, steps = run_matches(sc, args.matches, r * args.matches)
        rates.append(args.matches / secs)
        step_rates.append(steps / secs)
        steps_per.append(steps / args.matches)
    legal_us, apply_us = time_calls(sc, 20_000)
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
          f"{len(__import__('os').sched_getaffinity(0)) if hasattr(__import__('os'), 'sched_getaffinity') else '?'} cores")
    print(f"matches_per_second: {statistics.median(rates):.0f} matches/s")
    print(f"steps_per_second: {statistics.median(step_rates):.0f} steps/s")
    print(f"steps_per_match: {statistics.median(steps_per):.1f} steps")
    print(f"apply_median: {apply_us:.1f} us")
    print(f"legal_actions_median: {legal_us:.1f} us")


if __name__ == "__main__":
    main()
