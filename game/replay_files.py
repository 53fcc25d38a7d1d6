"""The replay viewer's files and comparisons: the saved matches, a fork's original, two matches side by side.

`list_replays()` lists the records in the saves folder (where the window and
the terminal keep finished games and autosaves: $CROSSROADS_HOME/saves, else
~/.crossroads/saves), newest first; files that are not usable records are
skipped, and of a game's rotating autosaves only the newest that loads is
listed. No pygame here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from game.engine import scores
from game.record import ForkInfo, Record, RecordError, load_record

if TYPE_CHECKING:
    from game.replaying import ReplaySession

AUTOSAVE_NAME = re.compile(r"^(?P<stem>[^/\\]+)\.autosave(?P<n>\d+)\.json$")  # what game.record's Autosaver writes


def saves_dir() -> Path:
    """Where games are saved and autosaved: $CROSSROADS_HOME/saves, else ~/.crossroads/saves (as the window's)."""
    home = os.environ.get("CROSSROADS_HOME")
    return (Path(home) if home else Path.home() / ".crossroads") / "saves"


@dataclass(frozen=True)
class ReplayListing:
    """One saved match in the list: its file, who played, how it ended, the scores and when."""

    path: Path
    sides: dict[str, str]          # side id -> the player's label (who started it)
    outcome: str                   # game.happenings.Outcome's values, 'unfinished' for a game still open
    scores: dict[str, float]       # at the end (or so far, for an unfinished game)
    date: str                      # 'YYYY-MM-DD HH:MM' (UTC): when it ended or was last saved
    autosave: bool                 # an autosave of a game in progress, not a record saved for good
    actions: int = 0
    scenario: str = ""
    forked: bool = False           # played on from another record (`forked_from`)
    names: dict[str, str] = field(default_factory=dict)   # side id -> the side's name ('United States')
    mtime: float = 0.0


def list_replays(folders: Iterable[Path | str] | None = None) -> list[ReplayListing]:
    """Saved records and autosaves (default: the saves folder), newest first; unreadable files are skipped."""
    found: list[ReplayListing] = []
    for folder in ([saves_dir()] if folders is None else folders):
        folder = Path(folder)
        try:
            files = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
        except OSError:
            continue
        newest_autosave: dict[str, list[Path]] = {}
        for p in files:
            hit = AUTOSAVE_NAME.match(p.name)
            if hit:
                newest_autosave.setdefault(hit["stem"], []).append(p)
                continue
            item = _listing(p, autosave=False)
            if item is not None:
                found.append(item)
        for stem, paths in newest_autosave.items():
            for p in sorted(paths, key=lambda q: int(AUTOSAVE_NAME.match(q.name)["n"])):  # 1 is the newest
                item = _listing(p, autosave=True)
                if item is not None:
                    found.append(item)
                    break
    return sorted(found, key=lambda r: (-r.mtime, r.path.name))


def _listing(path: Path, autosave: bool) -> ReplayListing | None:
    try:
        if not path.is_file():
            return None
        mtime = path.stat().st_mtime
        record = load_record(path)
    except (RecordError, OSError):
        return None
    sc = record.scenario_model()
    return ReplayListing(path, {s: p.label() for s, p in record.players.items()}, record.outcome, dict(record.scores),
                         _date(record, mtime), autosave, len(record.steps), sc.name, record.forked_from is not None,
                         {s.id: s.name for s in sc.sides}, mtime)


def _date(record: Record, mtime: float) -> str:
    for stamp in (record.ended, record.started):
        if stamp:
            try:
                return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                pass
    return datetime.fromtimestamp(mtime, timezone.utc).strftime("%Y-%m-%d %H:%M")


def find_original(session: "ReplaySession", folders: Iterable[Path | str] | None = None) -> Path | None:
    """The record a fork was played on from: its recorded file name, looked for beside the fork and in `folders`.

    A file counts only if it holds as many actions as the fork says and its first `at` actions are the fork's.
    """
    origin: ForkInfo | None = session.record.forked_from
    if origin is None or not origin.source:
        return None
    places = [Path(session.source).parent] + [Path(f) for f in ([saves_dir()] if folders is None else folders)]
    seen: set[Path] = set()
    for folder in places:
        candidate = folder / origin.source
        key = candidate.resolve() if candidate.exists() else candidate
        if key in seen:
            continue
        seen.add(key)
        try:
            other = load_record(candidate)
        except RecordError:
            continue
        if _is_origin(other, session.record, origin):
            return candidate
    return None


def _is_origin(original: Record, forked: Record, origin: ForkInfo) -> bool:
    if (original.seed, original.scenario_hash, original.start_checksum) != (forked.seed, forked.scenario_hash,
                                                                            forked.start_checksum):
        return False
    if len(original.steps) != origin.of or len(forked.steps) < origin.at:
        return False
    return all((a.action, a.checksum) == (b.action, b.checksum)
               for a, b in zip(original.steps[:origin.at], forked.steps[:origin.at]))


@dataclass(frozen=True)
class CompareSide:
    """One match of a comparison: where it is from, who played, how far it got and how it went."""

    source: str
    players: dict[str, str]        # side -> label of who played it last (after any takeover)
    outcome: str                   # as replayed ('unfinished' for a game still open, 'forfeit' ...)
    scores: dict[str, float]       # final, or so far for an unfinished game
    series: dict[str, Any]         # ReplaySession.series at its last step
    actions: int
    forked_from: ForkInfo | None
    divergence: str | None


@dataclass(frozen=True)
class Comparison:
    """Two matches side by side (the original and a fork, say): everything about both is shown, cards included."""

    sides: dict[str, str]          # side id -> name
    left: CompareSide
    right: CompareSide
    common: int                    # how many first actions the two share (the fork point for a fork)
    related: bool                  # same scenario, seed and opening: one was played on from the other


def _side_of(s: "ReplaySession") -> CompareSide:
    last = s.last
    final = s.state(last)
    if s.ended(last):
        outcome = "forfeit" if not final.is_over else (final.outcome or "unfinished")
    else:
        outcome = "unfinished"
    latest = s.record.players_at(len(s.record.steps))
    return CompareSide(s.source, {side: p.label() for side, p in latest.items()}, outcome, scores(final),
                       s.series(last), last, s.record.forked_from,
                       s.divergence.message if s.divergence else None)


def compare(a: "ReplaySession", b: "ReplaySession") -> Comparison:
    """Compare two replays (typically an original and its fork): scores, outcomes and the charts of both."""
    ra, rb = a.record, b.record
    related = (ra.seed, ra.scenario_hash, ra.start_checksum) == (rb.seed, rb.scenario_hash, rb.start_checksum)
    common = 0
    if related:
        for x, y in zip(ra.steps[:a.last], rb.steps[:b.last]):
            if (x.action, x.checksum) != (y.action, y.checksum):
                break
            common += 1
    return Comparison({s.id: s.name for s in a.scenario.sides}, _side_of(a), _side_of(b), common, related)

