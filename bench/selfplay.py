"""Self-play of one bot on the balance run's seeds: is US - DPRK within check 6's limit? (and decision CPU)

    nice -n 15 python bench/selfplay.py --bot ismcts --reps 300 --rows selfplay_ismcts.jsonl

Plays `bot` against itself on the default scenario with the seeds of
`bench/balance.py`'s default run (`game.tournament.schedule.match_seed(2018, r)`
for r < reps: the same matches as its check 6 for that bot), and prints the
mean US - DPRK with its 95% interval, the spread of all scores (both sides) and
check 6's limit (a tenth of that spread), plus the thread CPU of the bot's
decisions with a real choice (more than one legal action, not drafting):
median, 90th percentile and max. With `--rows`, each match is appended to a
JSON-lines file as it finishes and a rerun skips the matches already there,
so a run stopped early can be resumed. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bots import _ci, _Timed  # noqa: E402 - bench/bots.py, beside this script: the same timing wrapper and interval


def _play(job: tuple[str, int, int]) -> dict:
    """Play one self-play match (in a worker) and return its row."""
    bot, base, rep = job
    from game.bots import make_bot
    from game.match import play_match
    from game.scenario import default_scenario
    from game.tournament.schedule import match_seed

    seed = match_seed(base, rep)
    players = {"us": _Timed(make_bot(bot)), "dprk": _Timed(make_bot(bot))}
    r = play_match(default_scenario(), seed, players)
    if r.forfeit is not None:
        raise RuntimeError(f"rep {rep}: forfeit {r.forfeit}")
    return {"bot": bot, "rep": rep, "seed": seed, "us": r.scores["us"], "dprk": r.scores["dprk"],
            "outcome": r.outcome, "cpu": [round(x, 5) for p in players.values() for x in p.cpu]}


def summary(rows: list[dict]) -> list[str]:
    """The check-6 figures and decision CPU of a set of self-play rows, as `name: value unit` lines."""
    us = [r["us"] for r in rows]
    dp = [r["dprk"] for r in rows]
    diff = [a - b for a, b in zip(us, dp)]
    spread = statistics.stdev(us + dp)
    d = statistics.mean(diff)
    cpu = sorted(x for r in rows for x in r["cpu"])
    out = [f"matches: {len(rows)}",
           f"us_mean: {statistics.mean(us):.2f} ± {_ci(us):.2f} points",
           f"dprk_mean: {statistics.mean(dp):.2f} ± {_ci(dp):.2f} points",
           f"us_minus_dprk: {d:.2f} ± {_ci(diff):.2f} points",
           f"spread: {spread:.2f} points",
           f"check6_limit: {0.1 * spread:.2f} points",
           f"check6: {'pass' if abs(d) < 0.1 * spread else 'fail'}"]
    if cpu:
        out += [f"decisions: {len(cpu)}",
                f"cpu_median_real_choice: {statistics.median(cpu):.4f} s",
                f"cpu_p90_real_choice: {cpu[int(0.9 * len(cpu))]:.4f} s",
                f"cpu_max_real_choice: {cpu[-1]:.4f} s"]
    return out


def main(argv: list[str] | None = None) -> int:
    """Play (or resume) the self-play and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bot", default="ismcts", help="the bot's spec (default ismcts)")
    ap.add_argument("--reps", type=int, default=300, help="matches (default 300)")
    ap.add_argument("--seed", type=int, default=2018, help="base seed (default 2018, as bench/balance.py)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--rows", default="", help="JSON-lines file of finished matches (appended; a rerun resumes)")
    args = ap.parse_args(argv)
    done: dict[int, dict] = {}
    path = Path(args.rows) if args.rows else None
    if path is not None and path.exists():
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if row["bot"] == args.bot and row["seed"] == _seed(args.seed, row["rep"]):
                done[row["rep"]] = row
    jobs = [(args.bot, args.seed, r) for r in range(args.reps) if r not in done]
    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(args.workers) as pool:
        for n, row in enumerate(pool.imap_unordered(_play, jobs)):
            done[row["rep"]] = row
            if path is not None:
                with path.open("a") as f:
                    f.write(json.dumps(row) + "\n")
            if (n + 1) % 10 == 0:
                print(f"... {n + 1}/{len(jobs)} matches, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    rows = [done[r] for r in range(args.reps) if r in done]
    print(f"{args.bot} self-play, seeds match_seed({args.seed}, r) for r < {args.reps}")
    for line in summary(rows):
        print(line)
    return 0


def _seed(base: int, rep: int) -> int:
    from game.tournament.schedule import match_seed

    return match_seed(base, rep)


if __name__ == "__main__":
    raise SystemExit(main())
