"""`python main.py play`: people at the keyboard (hotseat, or a student against a bot) in the terminal.

Every action autosaves (so Ctrl-C or a closed terminal loses at most the
last one), hotseat turns are separated by a hand-off screen that clears the
scrollback, and the match ends with the text debrief.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from game.debrief import build_debrief, debrief_lines
from game.match import LiveMatch
from game.narrator import Narrator, narrate_lines
from game.seats import Human, is_human
from game.terminal.board import side_name
from game.terminal.console import Console, EndOfInput
from game.terminal.turn import PersonTurn, Quit

_AUTOSAVE_NAME = re.compile(r"^(?P<stem>[^/\\]+)\.autosave\d+\.json$")


class PlayError(ValueError):
    """A problem with how `play` was asked for (a bad flag or an unusable record), said in one line."""


def saves_dir() -> Path:
    """Where games are autosaved: $CROSSROADS_HOME/saves, else ~/.crossroads/saves."""
    home = os.environ.get("CROSSROADS_HOME")
    return (Path(home) if home else Path.home() / ".crossroads") / "saves"


def parse_seat(spec: str, flag: str, time_limit: float | None):
    """A seat from a command-line spec: 'human', 'human:NAME', or any bot spec that `match` takes."""
    if spec == "human" or spec.startswith("human:"):
        name = spec.partition(":")[2].strip()
        if len(name) > 40 or any(not ch.isprintable() for ch in name):
            raise PlayError(f"{flag}: a player's name is at most 40 printable characters")
        return Human(name)
    from game.bots import BotSpecError, make_bot

    try:
        return make_bot(spec, time_limit=time_limit)
    except BotSpecError as err:
        raise PlayError(f"{flag}: {err}") from None


def seat_from_player(player: Any, time_limit: float | None):
    """A seat for a recorded player: a person again by name, or the bot rebuilt from its label."""
    if player.kind == "human":
        return Human(player.name if player.name != "player" else "")
    return parse_seat(player.label(), "the record's player", time_limit)


class Play:
    """One `play` session: the seats, the live match, and the console people use."""

    def __init__(self, console: Console, match: LiveMatch, *, save_path: Path | None, autosave_hint: Path,
                 typed_seed: int | None = None):
        self.console = console
        self.match = match
        self.typed_seed = typed_seed  # the seed a person can type again; None for a resumed game
        self.save_path = save_path
        self.autosave_hint = autosave_hint
        sc = match.scenario
        self.people = [s for s in sc.side_ids if is_human(match.seats[s])]
        self.hotseat = len(self.people) > 1
        self.last_person: str | None = None
        # One narrator per side for the whole session, so each round's trust line can give the round's changes.
        self.narrators = {side: Narrator(sc, side) for side in self.people}

    def news(self, side: str) -> list[str]:
        """What happened since `side` last looked, in words for that side."""
        return self.narrators[side].lines(self.match.take_happenings(side))

    def run(self) -> int:
        """Play to the end or until someone quits; the exit code."""
        m = self.match
        try:
            while not m.finished:
                if m.person_to_move:
                    self._person_turn(m.to_move)
                else:
                    m.step_bot()
        except (Quit, EndOfInput):
            return self._stop("Game saved.", 0)
        except KeyboardInterrupt:
            return self._stop("Interrupted; the game is saved up to the last action.", 130)
        return self._finish()

    def _person_turn(self, side: str) -> None:
        c, m = self.console, self.match
        if self.hotseat and side != self.last_person:
            self._hand_off(side)
        elif self.last_person is None:
            self._welcome(side)
        self.last_person = side
        news = self.news(side)
        if news:
            c.heading("Since your last turn" if m.steps else "The match begins")
            for line in news:
                c.say(line)

        def redraw() -> None:
            # After the card is hidden again the screen is clear: put back the public header only.
            c.say(f"{side_name(m.scenario, side)} to move.")

        PersonTurn(c, m, side, news=lambda: self.news(side), on_private_hidden=redraw).run()

    def _welcome(self, side: str) -> None:
        sc = self.match.scenario
        c = self.console
        c.heading(f"Crossroads - {sc.name}")
        others = [s for s in sc.side_ids if s != side]
        opp = self.match.seats[others[0]]
        c.say(f"You play {side_name(sc, side)}; {side_name(sc, others[0])} is played by "
              f"{'a person' if is_human(opp) else 'the bot ' + opp.label()}.")
        c.say("Type 'help' at any time. Your moves are saved as you go; 'quit' saves and stops.")

    def _hand_off(self, side: str) -> None:
        c, m = self.console, self.match
        c.clear()
        seat = m.seats[side]
        who = f" ({seat.name})" if seat.name else ""
        public = m.view("public")
        c.heading(f"Round {public.round} of {public.rounds} - tension {public.tension} of {public.crisis_at}")
        c.say(f"Pass the keyboard to the {side_name(m.scenario, side)} player{who}.")
        c.ask("Press Enter when only they can see the screen. ")
        c.clear()

    def _stop(self, why: str, code: int) -> int:
        where = self._save_copy()
        self.console.say(f"{why} Continue with: python main.py play --resume {where}")
        return code

    def _save_copy(self) -> Path:
        """Write the record to --save if given (the autosave is always there too); the path to resume from."""
        if self.save_path is None:
            return self.autosave_hint
        from game.record import save_record

        try:
            save_record(self.match.record(), self.save_path)
        except OSError as err:
            self.console.say(f"Could not write {self.save_path} ({err.strerror or 'error'}); "
                             f"the autosave {self.autosave_hint} has the game.")
            return self.autosave_hint
        return self.save_path

    def _finish(self) -> int:
        c, m = self.console, self.match
        if self.hotseat:
            c.clear()
        for line in narrate_lines(m.take_happenings("end"), m.scenario, "all")[-12:]:
            c.say(line)
        c.say()
        sc = m.scenario
        if self.typed_seed is not None:  # shown only now: during play a seed would let anyone redraw the cards
            c.say(f"Seed {self.typed_seed} (play the same match again with --seed {self.typed_seed}).")
        if m.forfeit:
            c.say(f"{side_name(sc, m.forfeit.side)} forfeits ({m.forfeit.kind}): {m.forfeit.detail}")
        from game.record import replay

        states = replay(m.record()).states
        for line in debrief_lines(build_debrief(states, "forfeit" if m.forfeit else None)):
            c.say(line)
        where = self._save_copy() if self.save_path else self._keep_finished()
        c.say(f"Saved {where}; replay it with: python main.py replay {where}")
        return 0

    def _keep_finished(self) -> Path:
        """A finished game without --save is kept beside the autosaves, which are then cleared."""
        from game.record import save_record

        autosaver = self.match.autosaver
        path = autosaver.folder / f"{autosaver.stem}.json"
        save_record(self.match.record(), path)
        autosaver.clear()
        return path


def start_play(args, console: Console) -> Play:
    """Set up a `play` session from parsed arguments (a new game, or one resumed from a record)."""
    from game.record import Autosaver, RecordError, load_record, now_iso, resume

    time_limit = args.bot_time
    if args.resume is not None:
        if args.seed is not None or args.scenario is not None:
            raise PlayError("--resume: the seed and scenario come from the record; drop --seed and --scenario")
        try:
            resumed = resume(load_record(args.resume), str(args.resume))
        except RecordError as err:
            raise PlayError(str(err)) from None
        record = resumed.record
        latest = record.takeovers[-1].players if record.takeovers else record.players
        seats = {}
        for side in resumed.scenario.side_ids:
            spec = getattr(args, side, None)
            seats[side] = (parse_seat(spec, f"--{side}", time_limit) if spec
                           else seat_from_player(latest[side], time_limit))
        hit = _AUTOSAVE_NAME.match(args.resume.name)
        autosaver = (Autosaver(args.resume.parent, hit["stem"]) if hit
                     else Autosaver(saves_dir(), _new_stem()))
        match = LiveMatch(resumed.scenario, resumed.seed, seats, start=resumed.state, prior_steps=resumed.prior_steps,
                          prior_happenings=resumed.happenings, autosaver=autosaver, resumed_from=record)
        match.take_happenings("end")
        for side in seats:  # a resumed person starts from the board, not from the whole story again
            match.take_happenings(side)
    else:
        from game.scenario import ScenarioError, default_scenario, load_scenario

        try:
            scenario = default_scenario() if args.scenario is None else load_scenario(args.scenario)
        except ScenarioError as err:
            raise PlayError(str(err)) from None
        seats = {side: parse_seat(getattr(args, side) or "human", f"--{side}", time_limit)
                 for side in scenario.side_ids}
        seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
        from game.hidden import SecretError, user_secret

        try:  # the draws come from the seed mixed with the user's secret, which no bot process can read
            secret = user_secret()
        except SecretError as err:
            raise PlayError(str(err)) from None
        autosaver = Autosaver(saves_dir(), _new_stem())
        match = LiveMatch(scenario, seed, seats, autosaver=autosaver, started=now_iso(), secret=secret)
    if not any(is_human(s) for s in seats.values()):
        match.close()
        raise PlayError("play needs a person in at least one seat (--us human or --dprk human:NAME); "
                        "to watch two bots use: python main.py match")
    save_path = args.save
    if save_path is None and args.resume is not None and not _AUTOSAVE_NAME.match(args.resume.name):
        save_path = args.resume  # as `match --resume`: a resumed record is saved back where it came from
    return Play(console, match, save_path=save_path, autosave_hint=autosaver.path(1),
                typed_seed=None if args.resume is not None else seed)


def _new_stem() -> str:
    return "play-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
