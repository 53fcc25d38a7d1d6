"""How fast the replay viewer's model opens a record and jumps to a step (targets: open < 300 ms, jump < 50 ms).

Run: nice -n 19 python bench/replay.py [--jumps N] [--opens N]
For every golden record (tests/data/golden) and a full 12-round match played here, it times:
  open  - load + verify + build the session (game.replaying.open_replay) and what the screen needs at step 0
          (the public view, log, series and summary); the first open in the process also pays for the imports'
          caches and parsing the scenario, so it is printed on its own;
  jump  - set_step to a random step and build the view, log, series and summary there, in a random perspective.
With --window it also times the viewer screen itself (a 1280x720 window under SDL's dummy driver): opening the
record into the screen with its first frame drawn (the charts follow on the next frame: that time is printed
too), and a jump to a random step with the whole frame redrawn (board, gauges, charts, log).
It prints the machine, then the median and worst of each, per record and over all.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.record import record_from_result, save_record  # noqa: E402
from game.replaying import PERSPECTIVES, open_replay  # noqa: E402

GOLDEN = ROOT / "tests" / "data" / "golden"


def machine() -> str:
    """The CPU model, cores and Python version (the figures mean little without them)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def full_match(folder: Path) -> Path:
    """A 12-round match between two heuristic bots (the seed chosen so it runs all 12 rounds), saved as a record."""
    from game.bots import make_bot
    from game.match import play_match
    from game.scenario import default_scenario

    scenario = default_scenario()
    best = None
    for seed in range(1, 40):
        result = play_match(scenario, seed, {"us": make_bot("verifier"), "dprk": make_bot("trapper")})
        if result.final.round == scenario.rounds and (best is None or len(result.steps) > len(best.steps)):
            best = result
            if len(best.steps) >= 100:
                break
    if best is None:
        raise SystemExit("no 12-round match found in 40 seeds")
    return save_record(record_from_result(best), folder / "full_12_rounds.json")


def screen(session, step: int, perspective: str) -> None:
    """What the viewer builds for one step: the board's view, the log, the charts' series and the header."""
    session.set_step(step)
    session.view(None, perspective)
    session.log(None, perspective)
    session.series()
    session.summary(None, perspective)


def main(argv: list[str] | None = None) -> int:
    """Time opening each record and jumping to random steps in it; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jumps", type=int, default=200, help="random jumps per record")
    parser.add_argument("--opens", type=int, default=5, help="opens per record")
    parser.add_argument("--window", action="store_true", help="also time the viewer screen (pygame, dummy driver)")
    args = parser.parse_args(argv)
    rng = random.Random(20261202)
    print(machine())
    goldens = sorted(GOLDEN.glob("*.json"))
    start = time.perf_counter()  # before anything has parsed the scenario: what the first open in a window costs
    screen(open_replay(goldens[0]), 0, "public")
    first = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        paths = goldens + [full_match(Path(tmp))]
        opens_all, jumps_all = [], []
        for path in paths:
            opens, jumps = [], []
            session = None
            for _ in range(args.opens):
                start = time.perf_counter()
                session = open_replay(path)
                screen(session, 0, "public")
                opens.append(time.perf_counter() - start)
            for _ in range(args.jumps):
                step, p = rng.randint(0, session.last), rng.choice(PERSPECTIVES)
                start = time.perf_counter()
                screen(session, step, p)
                jumps.append(time.perf_counter() - start)
            opens_all += opens
            jumps_all += jumps
            print(f"{path.stem:30} {session.last:4} actions  open median {_ms(statistics.median(opens))} "
                  f"worst {_ms(max(opens))}  jump median {_ms(statistics.median(jumps))} worst {_ms(max(jumps))}")
        print(f"first open in the process (caches cold): {_ms(first)}")
        print(f"all records: open median {_ms(statistics.median(opens_all))} worst {_ms(max(opens_all))}; "
              f"jump median {_ms(statistics.median(jumps_all))} worst {_ms(max(jumps_all))} "
              f"({len(jumps_all)} jumps; targets: open < 300 ms, jump < 50 ms)")
        if args.window:
            window_figures(paths, args.jumps, args.opens, rng)
    return 0


def window_figures(paths: list[Path], jumps: int, opens: int, rng: random.Random) -> None:
    """Time the viewer screen: a record opened into it with its first frame, and jumps with the frame redrawn."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "disk")
    from game.ui.app import App
    from game.ui.scenes.replay import ReplayScene

    app = App((1280, 720))
    opens_all, charts_all, jumps_all = [], [], []
    for path in paths:
        for _ in range(opens):
            start = time.perf_counter()
            scene = ReplayScene(app, open_replay(path))
            app.push(scene)
            app.dirty = True
            app.frame(0.0)
            opens_all.append(time.perf_counter() - start)
            app.frame(0.0)  # the charts follow on the next frame
            charts_all.append(time.perf_counter() - start)
            app.pop()
        app.push(scene)
        for _ in range(jumps):
            step, p = rng.randint(0, scene.rs.last), rng.choice(PERSPECTIVES)
            start = time.perf_counter()
            scene.set_perspective(p)
            scene.set_step(step)
            app.dirty = True
            app.frame(0.0)
            jumps_all.append(time.perf_counter() - start)
        app.pop()
    print(f"window, all records: open + first frame median {_ms(statistics.median(opens_all))} "
          f"worst {_ms(max(opens_all))}; with the charts drawn median {_ms(statistics.median(charts_all))} "
          f"worst {_ms(max(charts_all))}; jump + frame median {_ms(statistics.median(jumps_all))} "
          f"worst {_ms(max(jumps_all))} ({len(jumps_all)} jumps)")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
