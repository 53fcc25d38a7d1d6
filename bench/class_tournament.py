"""A class tournament, timed: 30 bot files (27 students plus 3 that crash, hang or flood), both roles, many seeds.

    nice -n 10 python bench/class_tournament.py              # 30 x 29 pairings x 100 seeds = 87,000 matches
    nice -n 10 python bench/class_tournament.py --reps 5 --compare  # and: do 1 and 2 workers agree?
    nice -n 10 python bench/class_tournament.py --breakdown-only    # where a hosted decision's CPU goes

The 27 students are copies of examples/my_first_bot.py with different constants
(the tension at which they call the hotline, the order of the verbs they
prefer), each in a folder of its own as a class would hand them in. Those
constants seldom come into play (the tension seldom reaches the threshold,
and seldom are two of the verbs legal at once), so at one seed the students'
matches follow nearly the same moves: decisions/s, not matches/s, is the
figure that carries over to a class whose bots differ
(docs/tournament-guide.md, "What the students play"). The three misbehaving
ones crash at their first move, hang (2% of their matches, at their first
move) and print megabytes (about one move in ten). A hang lasts the 2-second
limit in the hanger's one process per worker, and common random numbers make
it hang in all 29 of its matches on that side at that seed: 2 or 3 such seeds
a run, 2 to 3 minutes of waiting in all, which the other matches' play mostly hides.
The figures:
matches/s, decisions/s, the per-decision overhead of a sandboxed bot file
against the same bot in this process, and the peak memory of the whole
process tree (sampled). The machine is shared: the load average is printed, and
the engine's speed just before and just after the tournament (bench/engine.py's
steps/s over a few hundred random matches), since a shared machine's speed can
change by half from one run to the next and the wall clock with it.

The breakdown replays the decisions of some matches between student files in
this process, stage by stage, and prints the CPU time (process time, so the
ranking holds on a loaded machine) each stage costs per decision: the engine
(legal actions and apply), what changed in the view since the match's previous
decision (`game.bots.sandbox_wire.ViewChanges`, made from the parts of the
state that changed: what travels), the request's JSON on the
worker's side, and in the bot's process the JSON decoding, the view built
from the changes (the legal actions with it) and the student's `choose`.
The stages' sum over two cores is the floor of a class tournament's time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORDERS = [("implement", "accept", "send", "cancel", "open"), ("accept", "implement", "send", "cancel", "open"),
          ("send", "implement", "accept", "open", "cancel"), ("open", "send", "implement", "accept", "cancel"),
          ("cancel", "open", "accept", "implement", "send"), ("implement", "open", "cancel", "send", "accept")]
THRESHOLDS = (5, 6, 7, 8, 9)
STUDENTS = 27
BAD = {
    "crasher": "    def choose(self, view, legal, rng):\n        raise RuntimeError('my bug at the first move')\n",
    # reset() makes the plan [] for every match: only a match's first move may hang
    "hanger": ("    def choose(self, view, legal, rng):\n        if self.plan is not None:\n"
               "            self.plan = None\n            if rng.random() < 0.02:\n"
               "                import time\n                time.sleep(60)\n        return legal[0]\n"),
    "flooder": ("    def choose(self, view, legal, rng):\n        if rng.random() < 0.1:\n"
                "            print('x' * 2_000_000)\n        return legal[0]\n"),
}


def write_class(folder: Path) -> list[str]:
    """Write the 30 bot files (one folder each); returns their specs."""
    template = (ROOT / "examples" / "my_first_bot.py").read_text()
    specs = []
    for i, (t, order) in enumerate([(t, o) for t in THRESHOLDS for o in ORDERS][:STUDENTS]):
        text = template.replace("view.tension >= 7", f"view.tension >= {t}")
        text = text.replace('("implement", "accept", "send", "cancel", "open")', repr(order))
        assert text != template or i == 12
        path = folder / f"student{i:02d}" / "bot.py"
        path.parent.mkdir(parents=True)
        path.write_text(text)
        specs.append(f"{path}:MyBot")
    for name, body in BAD.items():
        path = folder / name / "bot.py"
        path.parent.mkdir(parents=True)
        text = template.split("    def choose(self, view, legal, rng):")[0] + body
        path.write_text(text)
        specs.append(f"{path}:MyBot")
    return specs


class PeakMemory:
    """Samples the resident memory of this process and all its descendants once a second; keeps the peak.

    Read from /proc where there is one (game.bots.host.tree_rss: ~3.6 ms for the tournament's ~65 processes,
    against ~6.2 ms for psutil, which scans every process of the machine for children), so the measurement
    costs the tournament little of the CPU it measures.
    """

    def __init__(self, every: float = 1.0):
        self.every, self.peak, self.stop = every, 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        from game.bots.host import tree_rss

        me = os.getpid()
        while not self.stop.wait(self.every):
            self.peak = max(self.peak, tree_rss(me))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def cpu_seconds() -> float:
    """CPU time of this process and of every process it has waited for (workers, and through them bot processes)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def play(specs: list[str], reps: int, workers: int, out: Path) -> tuple[float, int, int, int, float]:
    """Run the tournament; returns (seconds, matches, decisions, peak bytes, CPU seconds of all its processes)."""
    from game.tournament import TournamentConfig, run_tournament
    from game.tournament.runner import read_log

    cfg = TournamentConfig(bots=specs, repetitions=reps, seed=2026, workers=workers)
    with PeakMemory() as mem:
        c0, t0 = cpu_seconds(), time.perf_counter()
        stats, results = run_tournament(cfg, out, charts=False)
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    rows = list(read_log(out))
    assert results is not None and results["tournament"]["complete"], "the tournament did not complete"
    return seconds, len(rows), sum(r["steps"] for r in rows), mem.peak, cpu


def overhead(specs: list[str], n: int) -> tuple[float, float, int]:
    """Seconds for n matches between two student files in this process and through bot hosts; and decisions."""
    from game.bots.host import BotHost
    from game.bots.loader import load_bot_class, parse_file_spec
    from game.hidden import new_secret
    from game.match import play_match
    from game.scenario import default_scenario
    from game.tournament.batch import play_many
    from game.tournament.worker import forfeit_of

    sc, secret = default_scenario(), new_secret()
    a, b = (parse_file_spec(s) for s in specs[:2])
    ca, cb = load_bot_class(a.path, a.class_name), load_bot_class(b.path, b.class_name)
    t0 = time.perf_counter()
    decisions = sum(len(play_match(sc, s, {"us": ca(), "dprk": cb()}, secret=secret).steps) for s in range(n))
    local = time.perf_counter() - t0
    ha, hb = BotHost(a), BotHost(b)
    try:
        t0 = time.perf_counter()
        play_many([(s, s, {"us": ha, "dprk": hb}) for s in range(n)], sc, secret, forfeit_of)
        hosted = time.perf_counter() - t0
    finally:
        ha.close()
        hb.close()
    return local, hosted, decisions


def breakdown(specs: list[str], n: int) -> tuple[dict[str, float], int]:
    """CPU microseconds per decision of each stage a hosted decision goes through (see the module docstring)."""
    import random

    from game.bots.loader import load_bot_class, parse_file_spec
    from game.bots.sandbox_child import answer
    from game.bots.sandbox_json import dumps, loads
    from game.bots.sandbox_wire import LEGAL, Receiver, Sender, ViewChanges
    from game.engine import apply, legal_actions, new_game
    from game.scenario import default_scenario
    from game.view import view

    sc = default_scenario()
    classes = [load_bot_class(f.path, f.class_name) for f in map(parse_file_spec, specs[:27:3])]
    states = []
    for seed in range(n):
        bots = {"us": classes[seed % len(classes)](), "dprk": classes[(seed * 7 + 1) % len(classes)]()}
        rngs = {side: random.Random(seed * 2 + i) for i, side in enumerate(bots)}
        for side, bot in bots.items():
            bot.reset(side, None)
        state = new_game(sc, seed, secret=b"bench" * 8)
        while not state.is_over:
            side = state.to_move
            states.append((state.clone(), side, (seed, 0 if side == "us" else 1)))
            choice = bots[side].choose(view(state, side), legal_actions(state), rngs[side])
            state, _ = apply(state, choice[0] if isinstance(choice, tuple) else choice)
    d = len(states)
    cpu, out = time.process_time, {}
    # Timed with the cyclic collector paused, as a worker plays bot files (game.tournament.batch.play_many): the
    # thousands of states kept here would otherwise make every collection long. A bot's process keeps little.
    gc.disable()
    t0 = cpu()
    legal = [legal_actions(s) for s, _, _ in states]
    out["engine: legal actions"] = cpu() - t0
    t0 = cpu()
    sender, changes, items = Sender(), {}, []
    for s, side, key in states:  # as game.tournament.batch does: the view's changes made from the state's
        tracker = changes.get(key)
        if tracker is None:
            tracker = changes[key] = ViewChanges(side)
        before = None if tracker.values is None else tracker.values[LEGAL]
        item = {"m": key[0], "s": key[1], "d": tracker.delta(s)}
        texts = tracker.values[LEGAL]
        if before is None or before != texts:
            sender.add_legal(1, item, texts)
        items.append(item)
    out["view's changes (worker)"] = cpu() - t0
    t0 = cpu()
    blob = dumps({"id": 1, "op": "batch", "items": items})
    out["json encode (worker)"] = cpu() - t0
    t0 = cpu()
    items = loads(blob)["items"]
    out["json decode (bot process)"] = cpu() - t0
    receiver = Receiver()  # made once per process
    t0 = cpu()
    rebuilt = [receiver.view((it["m"], it["s"]), it) for it in items]
    out["view from changes (bot process)"] = cpu() - t0
    bot, rng = classes[0](), random.Random(1)
    bot.reset("us", None)
    t0 = cpu()
    for v, la in rebuilt:
        answer(bot.choose(v, la, rng))
    out["choose (bot process)"] = cpu() - t0
    t0 = cpu()
    for (s, _, _), la in zip(states, legal):
        apply(s, la[0])
    out["engine: apply"] = cpu() - t0
    gc.enable()
    print(f"  ({len(blob) / d:.0f} bytes of JSON per decision)")
    return {k: v / d * 1e6 for k, v in out.items()}, d


def engine_speed(matches: int = 300) -> float:
    """The engine's steps per second right now (bench/engine.py's figure over `matches` random matches)."""
    if str(ROOT / "bench") not in sys.path:  # (run as a script, it is there already)
        sys.path.insert(0, str(ROOT / "bench"))
    from engine import play_random, run_matches
    from game.scenario import default_scenario

    sc = default_scenario()
    play_random(sc, 0)  # warm the per-scenario tables
    seconds, steps = run_matches(sc, matches, 1)
    return steps / seconds


def deterministic_rows(out: Path) -> list[str]:
    """The log's lines without timing or authentication, sorted."""
    from game.tournament.runner import read_log

    return sorted(json.dumps({k: v for k, v in r.items() if k not in ("seconds",)}, sort_keys=True)
                  for r in read_log(out))


def main() -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=100, help="seeds per pairing (default 100)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", action="store_true", help="also run with 1 worker and compare the results")
    ap.add_argument("--overhead-matches", type=int, default=40, help="matches timed in process and hosted (0: none)")
    ap.add_argument("--breakdown-matches", type=int, default=40, help="matches replayed for the breakdown (0: none)")
    ap.add_argument("--breakdown-only", action="store_true", help="print the breakdown only")
    args = ap.parse_args()
    if args.reps < 1 or args.workers < 1 or args.overhead_matches < 0 or args.breakdown_matches < 0:
        ap.error("--reps and --workers must be at least 1, the match counts at least 0")
    with tempfile.TemporaryDirectory(prefix="crossroads-class-") as tmp:
        specs = write_class(Path(tmp) / "bots")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        if args.breakdown_matches:
            parts, d = breakdown(specs, args.breakdown_matches)
            print(f"CPU per hosted decision, by stage ({d} decisions, process time):")
            for name, us in parts.items():
                print(f"  {name:28s} {us:7.1f} us")
            total = sum(parts.values())
            print(f"  {'total':28s} {total:7.1f} us: for 87,000 matches of ~57 decisions on 2 cores, at least "
                  f"{87_000 * 57 * total / 2e6:.0f} s")
        if args.breakdown_only:
            return 0
        if args.overhead_matches:
            local, hosted, decisions = overhead(specs, args.overhead_matches)
            print(f"per decision: {local / decisions * 1e6:.0f} us in this process, {hosted / decisions * 1e6:.0f} "
                  f"us through bot hosts (overhead {(hosted - local) / decisions * 1e6:.0f} us; {decisions} decisions)")
        speed_before = engine_speed()
        seconds, matches, steps, peak, cpu = play(specs, args.reps, args.workers, Path(tmp) / "t")
        speed_after = engine_speed()
        print(f"{len(specs)} bots x 2 roles x {args.reps} seeds: {matches} matches in {seconds:.1f} s on "
              f"{args.workers} worker(s): {matches / seconds:.1f} matches/s, {steps / seconds:.0f} decisions/s, "
              f"peak memory {peak / 2**20:.0f} MB")
        # CPU time holds on a shared machine where the wall clock does not: all the tournament's processes
        # together, per decision, and what that means for 87,000 matches on 2 cores (start-up included once).
        print(f"CPU of all its processes: {cpu:.1f} s, {cpu / steps * 1e6:.0f} us per decision: 87,000 matches "
              f"on 2 cores need at least {cpu / matches * 87_000 / 2:.0f} s")
        print(f"the machine's speed: the engine ran {speed_before:,.0f} steps/s just before, "
              f"{speed_after:,.0f} just after (python bench/engine.py)")
        if args.compare:
            other = 1 if args.workers != 1 else 2
            s2, m2, _, _, _ = play(specs, args.reps, other, Path(tmp) / "t2")
            same = deterministic_rows(Path(tmp) / "t") == deterministic_rows(Path(tmp) / "t2")
            print(f"{other} worker(s): {m2} matches in {s2:.1f} s; results identical: {same}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
