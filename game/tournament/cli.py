"""The `tournament` subcommand: flags and config file merged, run or resume, then the table and the files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from game.tournament.config import TournamentError, load_config, resolve_spec, validate_config, with_bot_dirs

RESULT_FLAGS = ("bots", "bot_dir", "repetitions", "seed", "self_play", "save_records", "time_limit", "scenario", "config",
                "out")


def split_bots(text: str) -> list[str]:
    """Split '--bots random,ismcts:iterations=400,seed=2,hawk' into specs: a part with '=' but no ':' continues
    the previous bot's parameters."""
    specs: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if specs and "=" in part and ":" not in part and ":" in specs[-1]:
            specs[-1] += "," + part
        else:
            specs.append(part)
    return specs


def config_from_args(args) -> Any:
    """The tournament settings: the config file (if any), overridden by every flag given."""
    cwd = Path.cwd()
    raw: dict[str, Any] = {}
    source = "command line"
    if args.config is not None:
        raw = load_config(args.config).model_dump(exclude_unset=True)
        source = f"{args.config} with command-line flags"
    if args.bots is not None:
        raw["bots"] = [resolve_spec(b, cwd) for b in split_bots(args.bots)]
    for name in ("repetitions", "seed", "workers", "self_play", "save_records", "time_limit"):
        value = getattr(args, name)
        if value is not None:
            raw[name] = value
    if args.bot_dir:
        raw["bot_dirs"] = list(raw.get("bot_dirs", [])) + [str(d.resolve()) for d in args.bot_dir]
    if args.scenario is not None:
        raw["scenario"] = str(args.scenario.resolve())
    if args.out is not None:
        raw["out"] = str(args.out)
    if "bots" not in raw and not raw.get("bot_dirs"):
        raise TournamentError("--bots: name the bots (for example --bots random,hawk,dove), a --bot-dir or a --config")
    return with_bot_dirs(validate_config(raw, source))


def run_command(args) -> int:
    """Run `python main.py tournament ...`; returns the exit code (bad settings raise TournamentError).

    The main CLI turns a TournamentError into its one-line error; importing it here would make the two CLI
    modules import each other.
    """
    return _run(args)


def protections_line(local: bool) -> str:
    """The header's line on what a bot process may touch, for local workers or a Dask cluster's."""
    from game.bots import fence
    from game.tournament import netns

    held = fence.protections()
    # Landlock's network rules cover TCP only; no network at all comes from the workers' own network
    # namespace (local workers on Linux), which a Dask worker cannot enter.
    held["network"] = local and netns.available()
    return fence.describe(held)


def _run(args) -> int:
    from rich.console import Console

    from game.bots.loader import is_file_spec
    from game.tournament import finish, prepare, run
    from game.tournament.runner import load_settings
    from game.tournament.schedule import match_count, pairings

    if args.workers is not None and args.workers < 1:
        raise TournamentError("--workers: must be at least 1")
    if args.resume is not None:
        flag = {"time_limit": "bot_time"}
        given = [f"--{flag.get(n, n).replace('_', '-')}" for n in RESULT_FLAGS if getattr(args, n) is not None]
        if given:
            raise TournamentError(f"--resume continues with the tournament's own settings; drop {', '.join(given)}")
        out = args.resume
        workers = args.workers
        settings = load_settings(out)
    else:
        cfg = config_from_args(args)
        out = Path(cfg.out) if cfg.out else Path(f"tournament-{cfg.seed}")
        workers = cfg.workers
        settings = prepare(cfg, out)
    workers = workers or os.cpu_count() or 1
    dask = getattr(args, "dask", None)
    err = Console(stderr=True)
    n = len(settings["names"])
    total = match_count(n, settings["repetitions"], settings["self_play"])
    where = f"on the Dask cluster at {dask}" if dask else f"{workers} worker(s)"
    err.print(f"{n} bots, {len(pairings(n, settings['self_play']))} pairings x {settings['repetitions']} seeds = "
              f"{total} matches, {where} -> {out}", soft_wrap=True)
    if any(is_file_spec(spec) for spec in settings["bots"]):
        err.print(protections_line(local=dask is None), soft_wrap=True, markup=False)
    stats = run(out, workers=workers, progress=not args.no_progress and err.is_terminal, console=err, dask=dask)
    for problem in stats.problems[:5]:
        err.print(f"warning: {out / 'matches.jsonl'}: {problem}", soft_wrap=True, markup=False)
    if len(stats.problems) > 5:
        err.print(f"warning: {len(stats.problems) - 5} more lines of the log were ignored", soft_wrap=True)
    if not stats.complete:
        kept = stats.logged if stats.logged is not None else stats.already + stats.played
        err.print(f"stopped: {kept} of {stats.total} matches kept in {out / 'matches.jsonl'}; "
                  f"finish with: python main.py tournament --resume {out}", soft_wrap=True)
        return 130
    if stats.played:
        rate = stats.played / max(stats.seconds, 1e-9)
        err.print(f"played {stats.played} matches in {stats.seconds:.1f} s ({rate:.1f}/s)"
                  + (f"; {stats.retried} retried after a worker died" if stats.retried else ""))
    finish(out, charts=not args.no_charts, table=True)
    files = ["report.html", "results.json", "results.csv", "matches.jsonl"]
    files += [] if args.no_charts else ["means.png", "pairwise.png", "scores.png"]
    files += ["printed/"] if (out / "printed").is_dir() else []
    print(f"Results in {out}: " + ", ".join(files) + (", records/" if settings["save_records"] else ""))
    sys.stdout.flush()
    return 0
