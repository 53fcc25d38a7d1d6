"""`python main.py check-bot FILE[:Class]`: is a student's bot ready for a tournament?

It loads the bot (in its sandbox, as a tournament would), plays it in both
roles against a few built-in bots on a few seeds, and reports in a few lines:
whether it loads, every kind of forfeit with its reason, the slowest move
against the time limit, the most memory its process used, and its mean score
against each opponent. `--dir FOLDER` checks every bot file of a class's
folder and prints one line per bot, so a teacher can send a file back before
tournament day. Scores are tournament scores: a forfeit counts the crisis
penalty, as in a tournament.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from game.bots.base import Bot

DEFAULT_OPPONENTS = ("random", "dove", "hawk")
DEFAULT_SEEDS = 3
MEMORY_EVERY = 0.2  # seconds between samples of the bot's memory (Linux's peak figure covers the gaps)
SLOW_SHARE = 0.5  # a slowest move above this share of the limit is a warning: a busier machine may time out


@dataclass
class CheckResult:
    """What checking one bot found."""

    label: str
    error: str = ""                       # why it does not load ('' if it loads)
    name: str = ""
    description: str = ""
    matches: int = 0
    forfeits: list[dict[str, Any]] = field(default_factory=list)
    slowest: float = 0.0
    slowest_at: str = ""
    memory_mb: float | None = None
    scores: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # side -> opponent -> scores

    @property
    def loads(self) -> bool:
        """Whether the bot loaded."""
        return not self.error

    def mean(self, side: str | None = None) -> float | None:
        """Mean score over every match (or over one role)."""
        values = [v for s, by in self.scores.items() if side in (None, s) for vs in by.values() for v in vs]
        return math.fsum(values) / len(values) if values else None


class _Measured(Bot):
    """Wraps a seat: times every decision and samples the memory of the bot's process after it."""

    def __init__(self, inner: Bot, result: CheckResult):
        super().__init__()
        self.inner = inner
        self.result = result
        self.where = ""
        self.name = inner.name
        self.sampled = -math.inf

    def reset(self, side: str, seed: int) -> None:
        """Pass the match's start on to the bot."""
        self.inner.scenario = self.scenario
        self.inner.reset(side, seed)

    def choose(self, view, legal, rng):
        """Ask the bot, timing the whole round trip (what the time limit measures)."""
        t0 = time.perf_counter()
        try:
            return self.inner.choose(view, legal, rng)
        finally:
            elapsed = time.perf_counter() - t0
            if elapsed > self.result.slowest:
                self.result.slowest = elapsed
                self.result.slowest_at = f"{self.where}, round {view.round}"
            now = time.monotonic()
            if now - self.sampled > MEMORY_EVERY:  # psutil's scan for children is slower than a move
                self.sampled = now
                used = _memory_mb(getattr(self.inner, "pid", None))
                if used is not None:
                    self.result.memory_mb = max(self.result.memory_mb or 0.0, used)

    def label(self) -> str:
        """The wrapped bot's label."""
        return self.inner.label()


def _memory_mb(pid: int | None) -> float | None:
    """The bot process's peak resident memory where Linux tells it (VmHWM), else its current one, with children."""
    if pid is None:
        return None
    import psutil

    from game.bots.sandbox import descendants_rss

    try:
        proc = psutil.Process(pid)
        used = proc.memory_info().rss
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        used = max(used, int(line.split()[1]) * 1024)
        except OSError:
            pass
        used += descendants_rss(proc)
    except psutil.Error:
        return None
    return used / (1 << 20)


def check_bot(spec: str, *, opponents: Sequence[str] = DEFAULT_OPPONENTS, seeds: int = DEFAULT_SEEDS,
              time_limit: float = 2.0, memory_mb: int | None = 1024, scenario=None) -> CheckResult:
    """Load a bot and play it in both roles against each opponent on seeds 1..`seeds`; returns what was found."""
    from game.bots import BotSpecError, make_bot
    from game.match import play_match
    from game.scenario import default_scenario
    from game.tournament.worker import tournament_scores

    scenario = scenario or default_scenario()
    sides = list(scenario.side_ids)
    result = CheckResult(label=spec)
    try:
        bot = make_bot(spec, time_limit=time_limit, memory_mb=memory_mb)
    except BotSpecError as err:
        result.error = str(err)
        return result
    with bot:
        result.label = bot.label()
        result.name, result.description = bot.name, bot.description
        seat = _Measured(bot, result)
        for side in sides:
            other = sides[1 - sides.index(side)]
            for opponent in opponents:
                for seed in range(1, seeds + 1):
                    seat.where = f"as {side} against {opponent}, seed {seed}"
                    players = {side: seat, other: make_bot(opponent)}
                    played = play_match(scenario, seed, players)
                    f = played.forfeit
                    if f is not None and f.side == side:
                        result.forfeits.append({"where": seat.where, "kind": f.kind, "detail": f.detail})
                    score = tournament_scores(played.scores, f.side if f else None, scenario.outcomes.crisis)[side]
                    result.scores.setdefault(side, {}).setdefault(opponent, []).append(score)
                    result.matches += 1
    return result


def report_lines(r: CheckResult, time_limit: float, memory_mb: int | None) -> list[str]:
    """The few lines that say how one bot did."""
    if not r.loads:
        return [f"{r.label}: does not load: {r.error}"]
    about = f" - {r.description}" if r.description else ""
    lines = [f"{r.label}: loads fine as {r.name!r}{about}"]
    opponents = sorted({o for by in r.scores.values() for o in by}, key=lambda o: list(next(iter(
        r.scores.values()))).index(o))
    lines.append(f"played {r.matches} matches: in both roles against {', '.join(opponents)}")
    if r.forfeits:
        lines.append(f"forfeits: {len(r.forfeits)} of {r.matches}")
        seen: set[tuple[str, str]] = set()
        for f in r.forfeits:
            first = f["detail"].strip().splitlines()[-1 if f["kind"] == "crash" else 0] if f["detail"].strip() else ""
            if (f["kind"], first) in seen:
                continue
            seen.add((f["kind"], first))
            lines.append(f"  {f['kind']} {f['where']}: {first}")
            if len(seen) >= 3:
                break
    else:
        lines.append("forfeits: none")
    slow = " - close to the limit: a busier machine may time out" if r.slowest > SLOW_SHARE * time_limit else ""
    lines.append(f"slowest move: {r.slowest:.3f} s ({r.slowest_at}); the limit is {time_limit:g} s{slow}")
    if r.memory_mb is not None:
        cap = f"; the limit is {memory_mb} MB" if memory_mb else ""
        lines.append(f"memory: {r.memory_mb:.0f} MB at most{cap}")
    for side, by in r.scores.items():
        parts = ", ".join(f"{o} {math.fsum(v) / len(v):+.1f}" for o, v in by.items())
        lines.append(f"mean score as {side}: {r.mean(side):+.2f} (against {parts})")
    return lines


def dir_line(r: CheckResult, width: int) -> str:
    """One line for one bot of a folder."""
    if not r.loads:
        return f"{r.label:<{width}}  DOES NOT LOAD: {r.error}"
    roles = ", ".join(f"{s} {r.mean(s):+.1f}" for s in r.scores)
    if r.forfeits:
        f = r.forfeits[0]
        detail = f["detail"].strip().splitlines()
        first = (detail[-1] if f["kind"] == "crash" else detail[0]) if detail else ""
        return (f"{r.label:<{width}}  FORFEITS {len(r.forfeits)} of {r.matches}: {f['kind']} {f['where']}: "
                f"{first[:160]}")
    mem = f"{r.memory_mb:.0f} MB" if r.memory_mb is not None else "-"
    return (f"{r.label:<{width}}  ok  mean {r.mean():+.2f} ({roles})  slowest {r.slowest:.3f} s  {mem}")


def bot_files(folder: Path) -> list[Path]:
    """The bot files of a class's folder, as a tournament's --bot-dir takes them (sorted, no _ or . names)."""
    return sorted(f for f in folder.iterdir() if f.suffix.lower() == ".py" and f.is_file()
                  and not f.name.startswith(("_", ".")))


def add_parser(sub) -> None:
    """The `check-bot` subcommand's flags."""
    c = sub.add_parser("check-bot", help="check that a bot file loads and plays (or every bot file of a folder)")
    c.add_argument("spec", nargs="?", default=None, help="the bot: path/to/file.py[:ClassName[:key=value,...]]")
    c.add_argument("--dir", type=Path, default=None, metavar="FOLDER",
                   help="check every .py file in FOLDER, one line per bot (before a tournament)")
    c.add_argument("--opponents", default=",".join(DEFAULT_OPPONENTS),
                   help=f"built-in bots to play against (default {','.join(DEFAULT_OPPONENTS)})")
    c.add_argument("--seeds", type=int, default=DEFAULT_SEEDS, help=f"seeds per opponent and role (default {DEFAULT_SEEDS})")
    c.add_argument("--bot-time", type=float, default=2.0, metavar="SECONDS", help="time limit per move (default 2)")
    c.add_argument("--memory-mb", type=int, default=1024, help="memory limit of the bot's process (default 1024)")


def run_command(args) -> int:
    """Run `check-bot`: 0 when every bot loads and never forfeits, 1 when one forfeits, 2 when one does not load."""
    from game.bots import BUILTIN
    from game.cli import CliError

    if (args.spec is None) == (args.dir is None):
        raise CliError("check-bot: name one bot file (check-bot my_bot.py) or a folder (check-bot --dir FOLDER)")
    if args.seeds < 1:
        raise CliError(f"--seeds: must be at least 1, not {args.seeds}")
    if not args.bot_time > 0:
        raise CliError(f"--bot-time: must be more than 0 seconds, not {args.bot_time:g}")
    if args.memory_mb < 128:
        raise CliError(f"--memory-mb: must be at least 128, not {args.memory_mb}")
    opponents = [o.strip() for o in args.opponents.split(",") if o.strip()]
    unknown = [o for o in opponents if o.partition(":")[0] not in BUILTIN]
    if not opponents or unknown:
        raise CliError(f"--opponents: choose built-in bots from {', '.join(BUILTIN)}"
                       + (f" (not {', '.join(unknown)})" if unknown else ""))
    options = {"opponents": opponents, "seeds": args.seeds, "time_limit": args.bot_time, "memory_mb": args.memory_mb}
    if args.spec is not None:
        r = check_bot(args.spec, **options)
        for line in report_lines(r, args.bot_time, args.memory_mb):
            print(line, flush=True)
        return 2 if not r.loads else (1 if r.forfeits else 0)
    if not args.dir.is_dir():
        raise CliError(f"--dir: {args.dir} is not a folder")
    files = bot_files(args.dir)
    if not files:
        raise CliError(f"--dir: {args.dir} holds no .py files")
    width = max(len(f.name) for f in files)
    print(f"checking {len(files)} bots in {args.dir}: both roles against {', '.join(opponents)}, "
          f"{args.seeds} seed{'s' if args.seeds != 1 else ''} each", flush=True)
    results = []
    for f in files:
        r = check_bot(str(f), **options)
        r.label = f.name
        results.append(r)
        print(dir_line(r, width), flush=True)
    broken = sum(1 for r in results if not r.loads)
    forfeiting = sum(1 for r in results if r.loads and r.forfeits)
    print(f"{len(results) - broken - forfeiting} of {len(results)} ready; {forfeiting} forfeit; {broken} do not load")
    return 2 if broken else (1 if forfeiting else 0)
