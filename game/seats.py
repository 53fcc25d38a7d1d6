"""Who sits at each side of a match: a person, or a bot that may think in the background.

`Human` marks a person's seat: their moves come from outside (the terminal or
the window) through `LiveMatch.submit`. `BackgroundMove` lets a bot choose
without blocking the caller: a built-in bot runs in a process of its own (its
search then never freezes a window), a student's sandboxed bot, which already
runs in its own process, is waited on from a thread.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
from dataclasses import dataclass
from typing import Any, Sequence

from game.actions import Action

_SPAWN = multiprocessing.get_context("spawn")  # the same on Linux, macOS and Windows


@dataclass(frozen=True)
class Human:
    """A person's seat, by name (a name makes hotseat hand-offs and records readable)."""

    name: str = ""

    kind = "human"

    def label(self) -> str:
        """'human' or 'human:Ana', as the command line writes it."""
        return f"human:{self.name}" if self.name else "human"

    def player(self) -> dict[str, str]:
        """The seat as a record stores it: {'kind': 'human', 'name': ...}."""
        return {"kind": "human", "name": self.name or "player"}


def is_human(seat: Any) -> bool:
    """Whether a seat is a person's."""
    return isinstance(seat, Human)


class BotProcess:
    """A built-in bot hosted in a process of its own, so a long search cannot freeze the caller.

    The hosted bot is rebuilt from its label (`make_bot(label)`), reset like the
    in-process one and asked in the same order with the same generator state, so
    it makes exactly the choices the in-process bot would.
    """

    def __init__(self, label: str):
        self.label = label
        self._conn, child = _SPAWN.Pipe()
        self._proc = _SPAWN.Process(target=_host_bot, args=(child, label), daemon=True, name=f"crossroads-{label}")
        self._proc.start()
        child.close()

    def send(self, message: tuple) -> None:
        """Send one request to the hosted bot."""
        self._conn.send(message)

    def ready(self) -> bool:
        """Whether a reply is waiting (never blocks)."""
        return self._conn.poll()

    def wait(self) -> None:
        """Block until a reply is waiting."""
        self._conn.poll(None)

    def receive(self) -> tuple:
        """The next reply (blocks until it comes)."""
        try:
            return self._conn.recv()
        except EOFError:
            return ("error", f"the process of bot {self.label!r} ended unexpectedly")

    def what_would_it_take(self, view: Any, channel: str, give: Sequence[str], get: Sequence[str]) -> Any:
        """The hosted bot's own "what would it take?" (a `DealAdvice`): the bot that then plays remembers its word.

        Blocks until it answers; ask only while the bot is not choosing a move (the replies share one pipe).
        """
        self._conn.send(("advise", view, channel, tuple(give), tuple(get)))
        reply = self.receive()
        if reply[0] != "ok":
            raise RuntimeError(reply[1])
        return reply[1]

    def close(self) -> None:
        """End the hosted bot's process."""
        try:
            self._conn.send(("stop",))
        except (OSError, ValueError):
            pass
        self._proc.join(timeout=1)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=1)
        self._conn.close()


def _host_bot(conn, label: str) -> None:
    """The hosted bot's loop: reset, choose and advise requests in, replies out, until 'stop'."""
    from game.bots import make_bot

    bot = make_bot(label)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        try:
            if message[0] == "stop":
                return
            if message[0] == "reset":
                _, scenario, side, seed = message
                bot.scenario = scenario
                bot.reset(side, seed)
                conn.send(("ok",))
            elif message[0] == "choose":
                _, view, legal_text, rng_state = message
                legal = tuple(Action.parse(a) for a in legal_text)
                rng = random.Random()
                rng.setstate(rng_state)
                choice = bot.choose(view, legal, rng)
                action, reason = choice if isinstance(choice, tuple) and len(choice) == 2 else (choice, "")
                conn.send(("ok", str(action), str(reason), rng.getstate()))
            elif message[0] == "advise":
                _, view, channel, give, get = message
                conn.send(("ok", bot.what_would_it_take(view, channel, give, get)))
        except Exception as err:  # a built-in bot's bug: report it rather than hang the caller
            conn.send(("error", f"{type(err).__name__}: {err}"))


class BackgroundMove:
    """One bot decision being made without blocking: start it, then `poll()` until it is done.

    `poll()` returns None while the bot thinks and then `(action, reason)`, or
    raises what the bot raised (a `BotForfeit` from a student's bot).
    """

    def __init__(self, bot: Any, view: Any, legal: Sequence[Action], rng: random.Random,
                 process: BotProcess | None = None):
        self._process = process
        self._rng = rng
        self._result: tuple[Any, str] | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        if process is not None:
            process.send(("choose", view, tuple(str(a) for a in legal), rng.getstate()))
        else:
            self._thread = threading.Thread(target=self._think, args=(bot, view, legal, rng), daemon=True)
            self._thread.start()

    def _think(self, bot: Any, view: Any, legal: Sequence[Action], rng: random.Random) -> None:
        try:
            choice = bot.choose(view, legal, rng)
            self._result = choice if isinstance(choice, tuple) and len(choice) == 2 else (choice, "")
        except BaseException as err:  # handed to the caller's thread by poll()
            self._error = err
        self._done.set()

    def poll(self) -> tuple[Any, str] | None:
        """The bot's choice once made, else None; never blocks."""
        if self._process is not None and self._result is None and self._error is None:
            if not self._process.ready():
                return None
            reply = self._process.receive()
            if reply[0] != "ok":
                raise RuntimeError(reply[1])
            self._rng.setstate(reply[3])  # the in-process generator moves on exactly as the hosted bot's did
            self._result = (reply[1], reply[2])
        elif self._process is None and not self._done.is_set():
            return None
        if self._error is not None:
            raise self._error
        return self._result

    def wait(self) -> tuple[Any, str]:
        """Block until the choice is made and return it."""
        while True:
            if self._process is not None:
                self._process.wait()
            else:
                self._done.wait()
            got = self.poll()
            if got is not None:
                return got
