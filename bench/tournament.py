"""Tournament speed and memory: matches per second with 1 and 2 workers, the speedup, the wall time of the
3,600-match heuristic round robin, and the parent's peak memory for two sizes.

Run: python bench/tournament.py [--seeds 100] [--rate-seeds 20] [--workers 2] [--dask]

With --dask it measures the built-in pool with 1 and 2 workers and then a local Dask cluster
(`distributed.LocalCluster`) with 1 and 2 one-thread workers, and stops there.

The field is the six heuristic bots (hawk, dove, reciprocator, verifier, trapper, passive); any that is not
built in yet is replaced by `random`, and the output says so. Self-play is included, so the field has
6 x 6 = 36 (US, DPRK) assignments; at 100 seeds that is 3,600 matches (docs/tournament-guide.md, "How 3,600
arises", tells how this matches the issue's "6 bots x 2 roles x 50 seeds"). Each measurement runs in a fresh process, so
its peak RSS is its own; the timed part is `run` (worker start-up included) plus the summary, not the bot check.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEURISTIC = ["hawk", "dove", "reciprocator", "verifier", "trapper", "passive"]


def field() -> tuple[list[str], list[str]]:
    """The six heuristic bots that exist, `random` standing in for any missing; and the names of the missing."""
    from game.bots import BUILTIN

    missing = [b for b in HEURISTIC if b not in BUILTIN]
    bots = [b for b in HEURISTIC if b in BUILTIN]
    if missing:
        bots.append("random")
    return bots, missing


def measure(seeds: int, workers: int) -> dict:
    """Play the field's round robin (self-play included) in a temporary folder; time it and read peak RSS."""
    try:
        import resource
    except ImportError:
        resource = None

    from game.tournament import TournamentConfig, finish, prepare, run

    bots, _ = field()
    with tempfile.TemporaryDirectory(prefix="crossroads-bench-") as tmp:
        out = Path(tmp) / "t"
        prepare(TournamentConfig(bots=bots, repetitions=seeds, seed=1, self_play=True), out)
        t0 = time.perf_counter()
        stats = run(out, workers=workers, progress=False)
        played = time.perf_counter() - t0
        results = finish(out, charts=False)
        total = time.perf_counter() - t0
    if resource is None:  # Windows: psutil knows the peak working set, and CPU times of this process only
        import psutil

        proc = psutil.Process()
        cpu = proc.cpu_times()
        me = type("Usage", (), {"ru_utime": cpu.user, "ru_stime": cpu.system})()
        kids = type("Usage", (), {"ru_utime": float("nan"), "ru_stime": float("nan")})()
        rss_mb = getattr(proc.memory_info(), "peak_wset", proc.memory_info().rss) / (1 << 20)
    else:
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss = me.ru_maxrss
        rss_mb = rss / (1 << 20) if sys.platform == "darwin" else rss / 1024
    return {"matches": stats.played, "workers": workers, "play_seconds": round(played, 2),
            "startup_seconds": round(stats.startup_seconds, 2), "total_seconds": round(total, 2),
            "rate": round(stats.played / played, 1),
            "steady_rate": round(stats.played / max(played - stats.startup_seconds, 1e-9), 1),
            "match_seconds_mean": results["timing"]["match_seconds_mean"], "parent_peak_rss_mb": round(rss_mb, 1),
            "parent_cpu": round(me.ru_utime + me.ru_stime, 2), "workers_cpu": round(kids.ru_utime + kids.ru_stime, 2)}


def measure_dask(seeds: int, workers: int) -> dict:
    """Play the field's round robin on a local Dask cluster of `workers` one-thread worker processes."""
    from distributed import Client, LocalCluster

    from game.tournament import TournamentConfig, prepare, run

    bots, _ = field()
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, tempfile.TemporaryDirectory(prefix="crossroads-bench-") as tmp:
        client.run(lambda: None)  # every worker up
        cluster_seconds = time.perf_counter() - t0
        out = Path(tmp) / "t"
        prepare(TournamentConfig(bots=bots, repetitions=seeds, seed=1, self_play=True), out)
        t0 = time.perf_counter()
        stats = run(out, progress=False, dask=client)
        played = time.perf_counter() - t0
    return {"matches": stats.played, "workers": workers, "play_seconds": round(played, 2),
            "cluster_seconds": round(cluster_seconds, 2), "rate": round(stats.played / played, 1),
            "steady_rate": round(stats.played / max(played - stats.startup_seconds, 1e-9), 1),
            "startup_seconds": round(stats.startup_seconds, 2)}


def _spin(n: int) -> float:
    """Busy-loop n times (pure CPU, no I/O); returns the seconds it took."""
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - t


def ceiling(workers: int, n: int = 15_000_000) -> float:
    """The speedup the machine allows right now: `workers` busy loops in spawned processes against one alone."""
    import multiprocessing

    t = time.perf_counter()
    _spin(n)
    one = time.perf_counter() - t
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_spin, [1000] * workers)
        t = time.perf_counter()
        pool.map(_spin, [n] * workers, chunksize=1)
        many = time.perf_counter() - t
    return workers * one / many


def in_child(seeds: int, workers: int, dask: bool = False) -> dict:
    """Run `measure` (or `measure_dask`) in a fresh Python process (so each peak RSS is its own)."""
    out = subprocess.run([sys.executable, __file__, "--child", str(seeds), str(workers), str(int(dask))], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=100, help="seeds per pairing for the round robin (100 -> 3,600)")
    ap.add_argument("--rate-seeds", type=int, default=40, help="seeds per pairing for the 1-vs-2-worker rates")
    ap.add_argument("--workers", type=int, default=2, help="workers for the speedup and the round robin")
    ap.add_argument("--dask", action="store_true",
                    help="also measure a local Dask cluster (1 and 2 workers) beside the built-in pool, then stop")
    ap.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        seeds, workers, dask = args.child
        print(json.dumps(measure_dask(seeds, workers) if dask else measure(seeds, workers)))
        return
    bots, missing = field()
    print(f"Tournament benchmark - Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start" if hasattr(os, "getloadavg") else "")
    print(f"field: {', '.join(bots)} (self-play included: {len(bots) ** 2} (US, DPRK) assignments)")
    if missing:
        print(f"note: {', '.join(missing)} not built in yet; random stands in")
    one = in_child(args.rate_seeds, 1)
    two = in_child(args.rate_seeds, args.workers)
    for r in (one, two):
        print(f"{r['workers']} worker(s): {r['matches']} matches in {r['play_seconds']:.2f} s = "
              f"{r['rate']:.1f} matches/s; "
              f"{r['steady_rate']:.1f}/s without the {r['startup_seconds']:.2f} s of worker start-up "
              f"(mean {1000 * r['match_seconds_mean']:.1f} ms per match inside a worker; CPU: parent "
              f"{r['parent_cpu']:.1f} s, workers {r['workers_cpu']:.1f} s)")
    if args.dask:
        for n in (1, 2):
            d = in_child(args.rate_seeds, n, dask=True)
            print(f"Dask, {n} local worker(s): {d['matches']} matches in {d['play_seconds']:.2f} s = "
                  f"{d['rate']:.1f} matches/s ({d['steady_rate']:.1f}/s without {d['startup_seconds']:.2f} s of "
                  f"sending the settings; the cluster itself took {d['cluster_seconds']:.1f} s to start)")
        return
    print(f"parallel ceiling of this machine right now ({args.workers} busy loops vs 1): "
          f"{ceiling(args.workers):.2f}x (about {args.workers}x when nothing else runs)")
    print(f"speedup: {two['rate'] / one['rate']:.2f}x overall, {two['steady_rate'] / one['steady_rate']:.2f}x "
          f"without start-up (target >= 1.8x with 2 workers)")
    rr = in_child(args.seeds, args.workers)
    print(f"round robin: {rr['matches']} matches with {args.workers} workers in {rr['play_seconds']:.1f} s "
          f"({rr['rate']:.1f}/s; {rr['total_seconds']:.1f} s with the summary; target < 60 s)")
    print(f"parent peak RSS: {two['parent_peak_rss_mb']:.1f} MB at {two['matches']} matches, "
          f"{rr['parent_peak_rss_mb']:.1f} MB at {rr['matches']} matches")
    if hasattr(os, "getloadavg"):
        print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine slows every figure)")


if __name__ == "__main__":
    main()
