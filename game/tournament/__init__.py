"""Tournaments: round robins with both role assignments over common seeds, parallel workers, ratings, reports.

    from game.tournament import TournamentConfig, run_tournament
    stats, results = run_tournament(TournamentConfig(bots=["random", "hawk"], repetitions=20), Path("out"))

A tournament lives in a folder: `tournament.json` (its settings, the scenario
embedded), `matches.jsonl` (one line per finished match, written as they
finish), then `results.json`, `results.csv`, the charts (`means.png`, `pairwise.png`, `scores.png`) and `report.html`
(one self-contained page), and what the bots printed under `printed/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.tournament.config import TournamentConfig, TournamentError, load_config, validate_config
from game.tournament.runner import RunStats, load_settings, prepare, run

__all__ = ["TournamentConfig", "TournamentError", "RunStats", "load_config", "validate_config", "run_tournament",
           "resume_tournament", "finish", "prepare", "run", "load_settings"]


def finish(out: Path, *, charts: bool = True, table: bool = False, console=None) -> dict[str, Any]:
    """Summarise a complete tournament folder: write results.json, results.csv, the charts and report.html;
    optionally print the tables."""
    from game.tournament.collector import without_collector
    from game.tournament.html_report import write_html
    from game.tournament.report import print_table, write_charts, write_csv, write_json
    from game.tournament.results import logged_matches, score_samples, summarise

    # The log's rows are plain data; with the collector running, reading and summarising 87,000 of them took
    # nearly twice as long (what the charts leave in cycles is collected once it runs again).
    with without_collector():
        matches = logged_matches(out)  # the log, read once
        results = summarise(out, matches)
        write_json(results, out)
        write_csv(results, out)
        drawn = write_charts(results, score_samples(out, matches), out) if charts else []
        write_html(results, out, drawn, matches, dict(zip(results["tournament"]["bots"],
                                                                      results["tournament"]["specs"])))
    if table:
        print_table(results, console)
    return results


def run_tournament(cfg: TournamentConfig, out: Path, *, progress: bool = False, charts: bool = True,
                   stop_after: int | None = None, table: bool = False,
                   console=None, dask: Any = None) -> tuple[RunStats, dict[str, Any] | None]:
    """Set up a new tournament in `out`, play it and summarise it (results None if it was stopped early);
    `dask` (a scheduler address or a distributed.Client) plays it on a Dask cluster."""
    prepare(cfg, out)
    return resume_tournament(out, workers=cfg.workers, progress=progress, charts=charts, stop_after=stop_after,
                             table=table, console=console, dask=dask)


def resume_tournament(out: Path, *, workers: int | None = None, progress: bool = False, charts: bool = True,
                      stop_after: int | None = None, table: bool = False,
                      console=None, dask: Any = None) -> tuple[RunStats, dict[str, Any] | None]:
    """Play whatever the tournament in `out` still lacks, then summarise it if it is complete."""
    stats = run(out, workers=workers, progress=progress, stop_after=stop_after, console=console, dask=dask)
    if not stats.complete:
        return stats, None
    return stats, finish(out, charts=charts, table=table, console=console)
