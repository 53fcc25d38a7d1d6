"""Tournament settings: the pydantic model of a config file, loading it, and the entrants it names.

A config is untrusted input: unknown keys are errors, and every error is one
line naming the file and the field. Command-line flags override the file.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

class TournamentError(ValueError):
    """A tournament that cannot be set up or resumed: bad settings, a bad bot, an unusable folder."""


class TournamentConfig(BaseModel):
    """Everything that decides a tournament's results (plus how many workers play it, which does not)."""

    model_config = ConfigDict(extra="forbid")

    bots: list[str] = Field(default_factory=list,
                            description="Bot specs: a built-in name, name:key=value,..., or file.py:Class.")
    bot_dirs: list[str] = Field(default_factory=list,
                                description="Folders whose every .py file (sorted by name) is a bot: a class's folder.")
    repetitions: int = Field(default=10, ge=1, le=1_000_000, description="Match seeds per pairing.")
    seed: int = Field(default=1, ge=0, description="The tournament seed; every match seed derives from it.")
    self_play: bool = Field(default=False, description="Also play each bot against itself (as both sides).")
    workers: int | None = Field(default=None, ge=1, le=256, description="Worker processes (default: CPU count).")
    save_records: bool = Field(default=False, description="Keep every match's record under records/ for replay.")
    time_limit: float = Field(default=2.0, gt=0, le=600, description="Seconds per decision for bots loaded from files.")
    memory_mb: int | None = Field(default=1024, ge=64, description="Memory limit (MB) for bots loaded from files.")
    scenario: str | None = Field(default=None, description="Scenario TOML file (default: rules/summit_2018.toml).")
    out: str | None = Field(default=None, description="Output folder.")

    @field_validator("bots")
    @classmethod
    def _bots_distinct(cls, bots: list[str]) -> list[str]:
        cleaned = [b.strip() for b in bots]
        for b in cleaned:
            if not b:
                raise ValueError("a bot spec is empty")
        seen: set[str] = set()
        for b in cleaned:
            if b in seen:
                raise ValueError(f"{b!r} is listed twice")
            seen.add(b)
        return cleaned


def _format_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(k) for k in first["loc"])
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return f"{where}: {msg}" if where else msg


def validate_config(raw: dict[str, Any], source: str) -> TournamentConfig:
    """Validate a config given as a dict, or raise TournamentError('source: field: problem')."""
    try:
        return TournamentConfig.model_validate(raw)
    except ValidationError as err:
        raise TournamentError(f"{source}: {_format_error(err)}") from None


def load_config(path: str | Path) -> TournamentConfig:
    """Load a tournament config TOML file; relative bot files and scenario paths are taken from its folder."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TournamentError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise TournamentError(f"{path}: cannot be read ({err.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as err:
        raise TournamentError(f"{path}: TOML syntax error: {err}") from None
    cfg = validate_config(raw, str(path))
    base = path.resolve().parent
    updates: dict[str, Any] = {"bots": [resolve_spec(b, base) for b in cfg.bots],
                               "bot_dirs": [str((base / d).resolve()) for d in cfg.bot_dirs]}
    if cfg.scenario is not None:
        updates["scenario"] = str((base / cfg.scenario).resolve())
    if cfg.out is not None:
        updates["out"] = str((base / cfg.out).resolve())
    return cfg.model_copy(update=updates)


def with_bot_dirs(cfg: TournamentConfig) -> TournamentConfig:
    """The config with every bot file of its `bot_dirs` appended to `bots` (absolute paths, sorted by name)."""
    specs = list(cfg.bots)
    for d in cfg.bot_dirs:
        folder = Path(d)
        if not folder.is_dir():
            raise TournamentError(f"bot_dirs: {d} is not a folder")
        files = sorted(f for f in folder.iterdir() if f.suffix.lower() == ".py" and f.is_file()
                       and not f.name.startswith(("_", ".")))
        if not files:
            raise TournamentError(f"bot_dirs: {d} holds no .py files")
        specs += [str(f.resolve()) for f in files if str(f.resolve()) not in specs]
    if not specs:
        raise TournamentError("bots: name the bots (for example --bots random,hawk,dove) or a folder of bot files")
    return cfg.model_copy(update={"bots": specs, "bot_dirs": []})


def split_file_spec(spec: str) -> tuple[str, str] | None:
    """(path text, the rest after it, e.g. ':MyBot:depth=3') for a bot file spec, or None for a built-in bot."""
    from game.bots import BotSpecError
    from game.bots.loader import is_file_spec
    from game.bots.loader import split_file_spec as split

    spec = spec.strip()
    if not is_file_spec(spec):
        return None
    try:
        path_text = split(spec)[0]
    except BotSpecError as err:
        raise TournamentError(str(err)) from None
    return path_text, spec[len(path_text):]


def resolve_spec(spec: str, base: Path) -> str:
    """A bot spec with its file (if any) made absolute against `base`, so workers and resumes find it."""
    parts = split_file_spec(spec)
    if parts is None:
        return spec.strip()
    file, rest = parts
    return f"{(base / Path(file).expanduser()).resolve()}{rest}"


def entrant_names(specs: list[str]) -> list[str]:
    """Short, unique names for the entrants: a built-in's spec, or a bot file's stem with its class and parameters."""
    names = []
    for spec in specs:
        parts = split_file_spec(spec)
        names.append(spec if parts is None else Path(parts[0]).stem + parts[1])
    out = []
    for i, n in enumerate(names):
        if names.count(n) > 1:
            n = f"{n}#{names[:i].count(n) + 1}"
        out.append(n)
    return out


def scenario_source(path: str | None) -> dict[str, Any]:
    """The raw scenario (TOML as a dict) a tournament plays, validated; stored whole so a resume plays the same
    rules."""
    from game.scenario import DEFAULT_SCENARIO_PATH, ScenarioError, parse_scenario, read_scenario_toml

    file = Path(path) if path is not None else Path(DEFAULT_SCENARIO_PATH)
    try:
        raw = read_scenario_toml(file)
        parse_scenario(raw, str(file))
    except ScenarioError as err:
        raise TournamentError(str(err)) from None
    return raw


def content_hash(data: Any) -> str:
    """A short, stable hash of plain data (sorted JSON)."""
    return hashlib.blake2b(json.dumps(data, sort_keys=True).encode(), digest_size=8).hexdigest()
