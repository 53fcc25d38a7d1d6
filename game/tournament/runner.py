"""Run a tournament: set up (or resume) its folder, hand chunks of matches to worker processes, log every
finished match as it comes, show progress, and stop cleanly on Ctrl-C.

The folder holds `tournament.json` (the settings that decide the results,
with the scenario embedded) and `matches.jsonl`, an append-only log with one
flushed JSON line per finished match. Everything else is computed from those
two files, so an interrupted run loses nothing and `--resume` plays only the
matches missing from the log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from game.tournament.config import (TournamentConfig, TournamentError, content_hash, entrant_names,
                                    scenario_source)
from game.tournament.pool import LocalPool, sigint_blocked
from game.tournament.printed import keep_printed
from game.tournament.schedule import MatchKey, match_count, play_order, schedule

FORMAT = 1
SETTINGS = "tournament.json"
LOG = "matches.jsonl"
SECRET = "secret"  # the tournament's key: its hidden draws and its log's authentication (owner-only, never a bot's)


@dataclass
class RunStats:
    """What one run (or resume) did: matches already logged, played now, whether it stopped early, and timing."""

    total: int
    already: int
    played: int = 0
    stopped: bool = False
    retried: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0   # spent starting worker processes (included in `seconds`)
    worker_seconds: float = 0.0
    out: Path = field(default_factory=Path)
    logged: int | None = None      # authentic matches in the log, re-read after the run (None: not yet)
    problems: list[str] = field(default_factory=list)  # lines of the log that were ignored, and why
    no_network: bool | None = None  # whether every local worker (so every bot process) had no network

    @property
    def complete(self) -> bool:
        """Whether every match of the tournament is in the log (as re-read and authenticated after the run)."""
        if self.logged is not None:
            return self.logged >= self.total
        return self.already + self.played >= self.total


def settings_from_config(cfg: TournamentConfig) -> dict[str, Any]:
    """The settings that decide the results, as stored in tournament.json (the scenario embedded whole)."""
    raw = scenario_source(cfg.scenario)
    return {
        "format": FORMAT,
        "bots": list(cfg.bots),
        "names": entrant_names(cfg.bots),
        "repetitions": cfg.repetitions,
        "seed": cfg.seed,
        "self_play": cfg.self_play,
        "save_records": cfg.save_records,
        "time_limit": cfg.time_limit,
        "memory_mb": cfg.memory_mb,
        "scenario_file": cfg.scenario,
        "scenario_hash": content_hash(raw),
        "scenario": raw,
    }


def check_bots(specs: list[str], time_limit: float, memory_mb: int | None, private=()) -> None:
    """Make (and close) each bot once, so a bad name or file is a one-line error before any match is played.

    A bot file is loaded in its sandbox process, never in this one; a class's thirty files are checked a few at
    a time (each check mostly waits for its process to start). The error named is the first bad bot's in the list.
    """
    from concurrent.futures import ThreadPoolExecutor

    from game.bots import BotSpecError, make_bot

    def check(spec: str) -> str | None:
        """The one-line error of one bot, or None."""
        with sigint_blocked():  # a bot process inherits the mask: a Ctrl-C now must not print its traceback
            try:
                bot = make_bot(spec, time_limit=time_limit, memory_mb=memory_mb, private=private)
            except (BotSpecError, ValueError, OSError) as err:
                return f"bot {spec!r}: {err}"
            bot.close()
            return None

    with ThreadPoolExecutor(max_workers=max(1, min(len(specs), os.cpu_count() or 1))) as pool:
        errors = list(pool.map(check, specs))
    for error in errors:
        if error is not None:
            raise TournamentError(error)


def load_settings(out: Path) -> dict[str, Any]:
    """Read a tournament folder's settings, or raise TournamentError."""
    path = out / SETTINGS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TournamentError(f"{out}: not a tournament folder (no {SETTINGS})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise TournamentError(f"{path}: cannot be read ({err.__class__.__name__})") from None
    needed = ("format", "bots", "names", "repetitions", "seed", "self_play", "save_records", "time_limit", "memory_mb",
              "scenario", "scenario_hash")
    if not isinstance(data, dict) or any(k not in data for k in needed):
        raise TournamentError(f"{path}: not a tournament settings file")
    if data["format"] != FORMAT:
        raise TournamentError(f"{path}: settings format {data['format']!r} is not {FORMAT}")
    if content_hash(data["scenario"]) != data["scenario_hash"]:
        raise TournamentError(f"{path}: the embedded scenario does not match its hash")
    return data


def log_key(out: Path) -> bytes:
    """The key that authenticates the lines of a tournament's log (derived from its secret; no bot can read it)."""
    from game.hidden import derive_key

    return derive_key(load_secret(out), "log")


def log_line(summary: dict[str, Any], key: bytes) -> str:
    """One line of matches.jsonl: the summary with its authentication code ("mac"), newline-terminated."""
    body = json.dumps(summary, sort_keys=True, separators=(",", ":"))
    mac = hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()
    return json.dumps({**summary, "mac": mac}, sort_keys=True, separators=(",", ":")) + "\n"


_MAC_MEMBER = b',"mac":"'
_MAC_HEX = 64


def _authentic(raw: bytes, key: bytes) -> dict[str, Any] | None:
    """The summary a log line carries if its authentication code is right, else None.

    A line is its summary's JSON with the "mac" member put in its sorted place, so cutting that member out gives
    back the very bytes that were authenticated: checked without writing the summary out again, and what is
    returned is parsed from those bytes, nothing around them. A line that does not fit that shape (or a summary
    with a member of its own called "mac") is checked the long way: parsed, written out again, compared."""
    from game.bots.sandbox_json import loads

    at = raw.find(_MAC_MEMBER)
    end = at + len(_MAC_MEMBER) + _MAC_HEX
    if at > 0 and raw[end:end + 1] == b'"' and raw.endswith(b"}\n"):
        body = raw[:at] + raw[end + 1:-1]
        good = hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
        if hmac.compare_digest(raw[at + len(_MAC_MEMBER):end], good):
            try:
                row = loads(body)
            except ValueError:
                row = None
            if isinstance(row, dict):
                return row
    try:
        row = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(row, dict) or not isinstance(row.get("mac"), str):
        return None
    mac = row.pop("mac")
    body = json.dumps(row, sort_keys=True, separators=(",", ":"))
    good = hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()
    return row if hmac.compare_digest(mac, good) else None


def read_log(out: Path, repair: bool = False, problems: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every authentic match summary in matches.jsonl. A line that is not the tournament's own (no valid
    authentication code: forged, edited, or a torn fragment) is skipped and noted in `problems`; a torn last
    line (a crash mid-write) is skipped, or cut off if `repair`."""
    path = out / LOG
    if not path.exists():
        return
    key = log_key(out)
    good_end = 0
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                if problems is not None:
                    problems.append(f"line {number} is torn (cut off mid-write)")
                break
            good_end += len(raw)
            row = _authentic(raw, key)
            if row is None:
                if problems is not None:
                    problems.append(f"line {number} is not this tournament's own (ignored)")
                continue
            yield row
    if repair and path.stat().st_size != good_end:
        with path.open("r+b") as f:
            f.truncate(good_end)


def key_of(row: dict[str, Any], index: dict[str, int], sides: list[str]) -> MatchKey:
    """The match key of a logged summary."""
    p = row["players"]
    return MatchKey(index[p[sides[0]]], index[p[sides[1]]], int(row["rep"]))


def logged_keys(out: Path, settings: dict[str, Any], sides: list[str], repair: bool = False,
                problems: list[str] | None = None) -> set[MatchKey]:
    """The keys of the matches already in the log (checked against the settings)."""
    index = {n: i for i, n in enumerate(settings["names"])}
    keys: set[MatchKey] = set()
    for row in read_log(out, repair=repair, problems=problems):
        try:
            key = key_of(row, index, sides)
        except (KeyError, TypeError, ValueError):
            key = None
        if key is None or not (0 <= key.rep < settings["repetitions"]) or (
                key.first == key.second and not settings["self_play"]):
            raise TournamentError(f"{out / LOG}: a line names a match that is not in this tournament")
        keys.add(key)
    return keys


def prepare(cfg: TournamentConfig, out: Path) -> dict[str, Any]:
    """Check the bots and create a new tournament folder; refuses a folder that already holds a tournament."""
    from game.tournament.config import with_bot_dirs

    cfg = with_bot_dirs(cfg)
    settings = settings_from_config(cfg)
    if len(settings["bots"]) < 2 and not cfg.self_play:
        raise TournamentError("bots: name at least two bots (or one with self_play)")
    check_bots(settings["bots"], cfg.time_limit, cfg.memory_mb, private=[out])
    _records_available(settings)
    if (out / LOG).exists() or (out / SETTINGS).exists():
        raise TournamentError(f"{out}: already holds a tournament; use --resume {out} or another --out")
    out.mkdir(parents=True, exist_ok=True)
    _write_secret(out, settings["seed"])
    (out / SETTINGS).write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (out / LOG).touch()
    return settings


def _write_secret(out: Path, seed: int) -> None:
    """Store the tournament's key: from the user's secret and the tournament seed, so the same --seed plays the
    same tournament for whoever typed it, yet no bot can get from the seed to a single hidden draw."""
    from game.hidden import SecretError, derive_key, user_secret, write_secret_file

    try:
        key = derive_key(user_secret(), f"tournament:{int(seed)}")
        if (out / SECRET).exists():
            (out / SECRET).unlink()  # a leftover of a set-up that failed before tournament.json was written
        write_secret_file(out / SECRET, key)
    except (SecretError, OSError) as err:
        raise TournamentError(f"{out / SECRET}: cannot store the tournament's key ({err})") from None


def load_secret(out: Path) -> bytes:
    """The tournament's key, or TournamentError."""
    from game.hidden import SecretError, read_secret_file

    if not (out / SECRET).exists():
        raise TournamentError(f"{out}: no {SECRET} file (a folder from an older version, or the file was removed): "
                              "its remaining matches cannot be drawn as its first ones were; start it again")
    try:
        return read_secret_file(out / SECRET)
    except SecretError as err:
        raise TournamentError(str(err)) from None


def _records_available(settings: dict[str, Any]) -> None:
    if settings["save_records"]:
        try:
            import game.record  # noqa: F401
        except ImportError:
            raise TournamentError("--save-records: match records (game/record/) are not available yet") from None


def run(out: Path, *, workers: int | None = None, progress: bool = True, stop_after: int | None = None,
        on_match: Callable[[int], None] | None = None, console=None, dask: Any = None) -> RunStats:
    """Play every match of the tournament in `out` that its log lacks; returns what was done.

    `stop_after` stops (as Ctrl-C would) once that many matches have been logged
    in this run; tests use it to interrupt deterministically. `dask` (a scheduler address such as
    'tcp://host:8786', or a distributed.Client) plays the matches on a Dask cluster instead of local workers.
    """
    from game.hidden import derive_key
    from game.scenario import parse_scenario

    settings = load_settings(out)
    _records_available(settings)
    sides = list(parse_scenario(settings["scenario"], "<tournament scenario>").side_ids)
    n = len(settings["names"])
    total = match_count(n, settings["repetitions"], settings["self_play"])
    stats = RunStats(total=total, already=0, out=out)
    done = logged_keys(out, settings, sides, repair=True, problems=stats.problems)
    stats.already = len(done)
    todo = play_order([k for k in schedule(n, settings["repetitions"], settings["self_play"]) if k not in done], n)
    workers = max(1, workers or os.cpu_count() or 1)
    if not todo:
        stats.logged = len(done)
        return stats
    if settings["save_records"]:
        (out / "records").mkdir(exist_ok=True)
    payload = {k: settings[k] for k in ("bots", "names", "seed", "save_records", "scenario", "time_limit", "memory_mb")}
    payload["specs"] = settings["bots"]
    payload["out"] = str(out.resolve())
    payload["draw_key"] = derive_key(load_secret(out), "draws")  # reaches workers through a pipe, never a bot
    # Every seat's folder (its bot's log and private tmp) goes under one folder of this run, removed at the end
    # whatever happened to the workers (a worker killed outright cannot clean up after itself).
    run_tmp = Path(tempfile.mkdtemp(prefix="crossroads-run-"))
    payload["tmp"] = str(run_tmp)
    t0 = time.perf_counter()
    bar_ = _Progress(progress, total, len(done), console)
    mac_key = log_key(out)
    with (out / LOG).open("a", encoding="utf-8", newline="\n") as log, bar_ as bar:
        def record(key: MatchKey, summary: dict[str, Any]) -> None:
            """Log one finished match (flushed at once) unless it is logged already."""
            if key in done:
                return  # never log a match twice (a retried chunk may return one already logged)
            done.add(key)
            stats.worker_seconds += summary.get("seconds", 0.0)
            keep_printed(out, summary)
            log.write(log_line(summary, mac_key))
            log.flush()
            stats.played += 1
            bar.advance()
            if on_match is not None:
                on_match(stats.played)

        try:
            _pool(payload, workers, sides, stats, out, dask).play(todo, record, stop_after)
        finally:
            shutil.rmtree(run_tmp, ignore_errors=True)
        log.flush()
        os.fsync(log.fileno())
    stats.seconds = time.perf_counter() - t0
    # What counts is what the log holds, read back and authenticated: never "complete" when results.json won't be.
    after: list[str] = []
    stats.logged = len(logged_keys(out, settings, sides, problems=after))
    stats.problems = sorted(set(stats.problems) | set(after))
    stats.stopped = not stats.complete
    return stats


def _pool(payload: dict[str, Any], workers: int, sides: list[str], stats: RunStats, out: Path, dask: Any):
    """The built-in pool of local worker processes, or a Dask cluster's when `dask` names one."""
    if dask is None:
        return LocalPool(payload, workers, sides, stats)
    from game.tournament.dask_pool import DaskPool

    return DaskPool(payload, dask, sides, stats, out)


class _Progress:
    """A rich progress bar (matches done, rate, time left) on stderr, or nothing."""

    def __init__(self, enabled: bool, total: int, done: int, console=None):
        self.enabled = enabled
        self.total = total
        self.done = done
        self.console = console

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.progress = Progress(TextColumn("matches"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                                     TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("left"),
                                     TimeRemainingColumn(), console=self.console or Console(stderr=True),
                                     refresh_per_second=4)
            self.progress.__enter__()
            self.task = self.progress.add_task("matches", total=self.total, completed=self.done, rate="")
            self.t0 = time.perf_counter()
            self.count = 0
        return self

    def advance(self) -> None:
        """One more match done."""
        if self.enabled:
            self.count += 1
            elapsed = time.perf_counter() - self.t0
            rate = f"{self.count / elapsed:.1f}/s" if elapsed > 0 else ""
            self.progress.update(self.task, advance=1, rate=rate)

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.progress.__exit__(*exc)
