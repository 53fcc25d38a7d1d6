"""Setting a match up for the window: seats from the new-game screen, Continue from the newest autosave, Load."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any



class SessionError(ValueError):
    """A match the window cannot start or load, said in one line."""


@dataclass
class SeatChoice:
    """One side's seat as chosen on the new-game screen: a person (name, optional PIN) or a bot spec."""

    kind: str = "person"          # 'person' or 'bot'
    name: str = ""
    bot: str = "verifier"         # a built-in bot spec or a bot file spec
    pin: str = ""

    def seat(self, time_limit: float = 2.0) -> Any:
        """The match seat: a Human, or the bot made from its spec."""
        if self.kind == "person":
            from game.seats import Human

            return Human(self.name.strip()[:40])
        from game.bots import BotSpecError, make_bot

        try:
            return make_bot(self.bot, time_limit=time_limit)
        except BotSpecError as err:
            raise SessionError(str(err)) from None


@dataclass
class Session:
    """A match the window is playing, with what the window needs beside it (PINs, how it was set up)."""

    match: Any  # game.match.LiveMatch (imported when a match starts, not with the menu)
    choices: dict[str, SeatChoice] = field(default_factory=dict)
    scenario_path: Path | None = None
    typed_seed: int | None = None  # the seed a person can type again (shown only once the match is over)
    save_path: Path | None = None   # `play --save PATH`: the record is written there when the match ends

    @property
    def people(self) -> list[str]:
        """The sides played by people, in the scenario's order."""
        from game.seats import is_human

        return [s for s in self.match.scenario.side_ids if is_human(self.match.seats[s])]

    @property
    def hotseat(self) -> bool:
        """Whether two people share the screen (so turns are separated by a hand-off)."""
        return len(self.people) > 1

    def pin(self, side: str) -> str:
        """The PIN a side set (empty: none)."""
        c = self.choices.get(side)
        return c.pin if c else ""


AUTOSAVE_NAME = re.compile(r"^(?P<stem>[^/\\]+)\.autosave\d+\.json$")  # what game.record's Autosaver writes


def saves_dir() -> Path:
    """Where games are autosaved: $CROSSROADS_HOME/saves, else ~/.crossroads/saves.

    The same rule as `game.terminal.play.saves_dir` (a test holds them equal), written here so the menu's
    Continue button does not import the terminal front end and the whole match machinery at start-up.
    """
    home = os.environ.get("CROSSROADS_HOME")
    return (Path(home) if home else Path.home() / ".crossroads") / "saves"


def scenario_files() -> list[Path]:
    """The scenario files shipped in rules/, the default scenario first (what New game starts with)."""
    root = Path(__file__).resolve().parents[2] / "rules"
    return sorted(root.glob("*.toml"), key=lambda p: (p.name != "summit_2018.toml", p.name))


def bot_files(folder: Path | None = None) -> list[Path]:
    """Students' bot files a teacher put in the bots folder ($CROSSROADS_HOME/bots, ~/.crossroads/bots), or examples/."""
    folders = [folder] if folder else [saves_dir().parent / "bots", Path(__file__).resolve().parents[2] / "examples"]
    out: list[Path] = []
    for f in folders:
        if f.is_dir():
            out.extend(sorted(p for p in f.glob("*.py") if not p.name.startswith("_")))
    return out


def new_session(choices: dict[str, SeatChoice], scenario_path: Path | None, seed: int | None) -> Session:
    """A new match from the new-game screen's choices, autosaved under the saves folder."""
    from game.match import LiveMatch
    from game.record import Autosaver, now_iso
    from game.scenario import ScenarioError, default_scenario, load_scenario
    from game.seats import is_human

    try:
        scenario = load_scenario(scenario_path) if scenario_path else default_scenario()
    except ScenarioError as err:
        raise SessionError(str(err)) from None
    seats = {side: choices[side].seat() for side in scenario.side_ids}
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    from game.hidden import SecretError, user_secret

    try:  # the draws come from the seed mixed with the user's secret, which no bot process can read
        secret = user_secret()
    except SecretError as err:
        raise SessionError(str(err)) from None
    autosaver = None
    if any(is_human(s) for s in seats.values()):
        autosaver = Autosaver(saves_dir(), new_stem())
    match = LiveMatch(scenario, seed, seats, autosaver=autosaver, started=now_iso(), background=True, secret=secret)
    return Session(match, choices, scenario_path, typed_seed=seed)


def has_autosave() -> bool:
    """Whether there is any autosave to continue (cheap: the menu asks it at start-up, before any game code loads)."""
    folder = saves_dir()
    return folder.is_dir() and any(AUTOSAVE_NAME.match(p.name) for p in folder.glob("*.autosave*.json"))


def latest_autosave() -> Path | None:
    """The newest autosave that loads, of the most recently played game (what Continue opens), or None.

    A damaged newest file (a crash mid-write is handled by the Autosaver, a disk error is not) falls back to
    that game's previous autosave, as `Autosaver.latest` does.
    """
    from game.record.files import Autosaver

    folder = saves_dir()
    if not folder.is_dir():
        return None
    newest: dict[str, float] = {}
    for p in folder.glob("*.autosave*.json"):
        hit = AUTOSAVE_NAME.match(p.name)
        if hit and p.is_file():
            newest[hit["stem"]] = max(newest.get(hit["stem"], 0.0), p.stat().st_mtime)
    for stem in sorted(newest, key=newest.__getitem__, reverse=True):
        found = Autosaver(folder, stem).latest()
        if found is not None:
            return found[0]
    return None


def saved_games() -> list[Path]:
    """Every saved or autosaved game in the saves folder, newest first (what Load lists)."""
    folder = saves_dir()
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.json") if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True)


def load_session(path: Path, overrides: dict[str, Any] | None = None) -> Session:
    """A saved game to play on: the same people and bots (or `overrides`' seats), autosaving beside the file."""
    from game.match import LiveMatch
    from game.record import Autosaver, RecordError, load_record, resume
    from game.seats import is_human
    try:
        resumed = resume(load_record(path), str(path))
        record = resumed.record
        latest = record.takeovers[-1].players if record.takeovers else record.players
        seats = {side: (overrides or {}).get(side) or _seat_of(latest[side]) for side in resumed.scenario.side_ids}
    except RecordError as err:
        raise SessionError(str(err)) from None
    hit = AUTOSAVE_NAME.match(path.name)
    autosaver = Autosaver(path.parent, hit["stem"]) if hit else Autosaver(saves_dir(), new_stem())
    match = LiveMatch(resumed.scenario, resumed.seed, seats, start=resumed.state, prior_steps=resumed.prior_steps,
                      prior_happenings=resumed.happenings, autosaver=autosaver, resumed_from=record, background=True)
    choices = {s: SeatChoice("person" if is_human(seat) else "bot", getattr(seat, "name", "") if is_human(seat) else "",
                             "" if is_human(seat) else seat.label()) for s, seat in seats.items()}
    return Session(match, choices)


def _seat_of(player: Any) -> Any:
    """A recorded player's seat again: the person by name, or the bot rebuilt from its label."""
    from game.bots import BotSpecError, make_bot
    from game.seats import Human

    if player.kind == "human":
        return Human(player.name if player.name != "player" else "")
    try:
        return make_bot(player.label(), time_limit=2.0)
    except BotSpecError as err:
        raise SessionError(f"the record's {player.label()!r}: {err}") from None


def new_stem() -> str:
    """The file stem of a new game's autosaves ('play-' and the time)."""
    return "play-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
