"""Students' bots, run safely: a seat that plays a bot file from a process of its own.

`SandboxedBot` is an ordinary `Bot` to `play_match`. Behind it a child process
(multiprocessing, spawn start method on every OS) imports the student's file
and answers one request per decision (see `game.bots.sandbox_child` for the
protocol). The child only ever gets its side's view as data and the legal
actions as text, so it cannot read the hidden state through the game.

Limits, and what a bot forfeits for (`game.bots.base.BotForfeit(kind, detail)`):

- `timeout`: no answer within the per-decision time limit (default 2 s);
  a bot that hangs or sleeps lands here.
- `memory`: more memory than the limit (default 1024 MB). On Linux the child
  sets RLIMIT_AS on itself, so an allocation past the limit fails with
  MemoryError. Elsewhere (Windows, macOS) the seat polls the resident memory
  of the child and its children with psutil every 50 ms while the bot thinks,
  and ends it when over.
- `crash`: `choose` (or `reset`) raised; the detail is the traceback's last lines.
- `exit`: the bot called sys.exit, or its process ended (os._exit, a signal).
- `illegal`: it answered with an action that is not legal now (the same kind
  and wording `play_match` uses for a bot in this process).
- `garbage`: it answered with something that is not an action at all (None,
  a number, text that does not parse), wrote something that is not part of
  the protocol to the seat, or printed more than the output cap (default
  1024 KB per match). Ordinary `print` calls are fine: the bot's stdout and
  stderr go to a log file, never into the protocol, and its last lines are
  shown when it forfeits.

A forfeit ends the child and all of its children: on POSIX the child runs in
a session of its own and the seat kills the whole process group, and on every
OS the seat also kills the descendants psutil finds (on Linux the child is a
"subreaper", so even grandchildren whose parent died stay in its tree). The
next `reset` (a new match) starts a fresh child.

Whoever makes a seat closes it: `close()`, or `with make_bot(spec) as bot:`.
A finalizer also ends the child when the seat is garbage-collected or the
program exits. The sandbox is a fence against mistakes and casual peeking, not
a security boundary: a bot runs with the user's rights and can read files.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import os
import tempfile
import time
import weakref
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Literal, Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from game.actions import Action, ActionParseError
from game.bots import fence
from game.bots.base import Bot, BotForfeit
from game.bots.loader import FileSpec
from game.bots.sandbox_process import (_Child, _exit_text, _main_hidden, _supervise,  # noqa: F401 - re-exported
                                      descendants_rss, kill_tree)
from game.view import View

DEFAULT_TIME = 2.0
DEFAULT_MEMORY_MB = 1024
DEFAULT_OUTPUT_KB = 1024
DEFAULT_LOAD_TIME = 30.0  # a busy shared machine took more than 15 s to start Python and import game
DETAIL_CHARS = 800
MAX_MESSAGE = 1 << 16
POLL_SECONDS = 0.05
FORFEIT_KINDS = ("crash", "exit", "illegal", "garbage", "timeout", "memory")


class _Reply(BaseModel):
    """One message from the child; anything else is garbage."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: int | None
    ok: bool | None = None
    action: str | None = None
    reason: str = ""
    error: Literal["load", "crash", "exit", "memory", "garbage"] | None = None
    detail: str = ""
    name: str | None = None
    description: str | None = None
    classifier: dict[str, bool] | None = None
    session: bool | None = None
    memory_limit: Literal["rlimit", "none"] | None = None
    protections: dict[str, bool] | None = None


class _Failure(Exception):
    """Inside the seat: the child failed in a way that forfeits (kind, detail)."""

    def __init__(self, kind: str, detail: str, action: Action | None = None):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail
        self.action = action  # an illegal move: the match loop, which knows the state, explains it


class SandboxedBot(Bot):
    """A seat that plays a student's bot file in a process of its own, with time, memory and output limits."""

    name = "sandboxed"
    description = "a bot loaded from a file, run in a process of its own"
    classifier = {"stochastic": False, "search": False, "sandboxed": True}

    def __init__(self, spec: FileSpec, *, time_limit: float = DEFAULT_TIME, memory_mb: int | None = DEFAULT_MEMORY_MB,
                 output_kb: int = DEFAULT_OUTPUT_KB, load_time: float = DEFAULT_LOAD_TIME,
                 memory_check: Literal["auto", "poll"] = "auto", private: Sequence[Path] = ()):
        """Start the bot's process and load its class; raises BotSpecError (one line) if it cannot load.

        `memory_mb=None` sets no memory limit; `memory_check='poll'` polls memory with psutil even
        where RLIMIT_AS works (how Windows and macOS are served; tests use it to check that path).
        `private` names folders the bot must not read even if they lie in its own folder (a tournament's).
        """
        from game.bots import BotSpecError

        super().__init__(**spec.params)
        for what, value in (("time limit", time_limit), ("load time", load_time), ("output cap", output_kb)):
            if not value > 0:
                raise BotSpecError(f"the bot {what} must be more than 0, not {value!r}")
        if memory_mb is not None and memory_mb < 128:  # the bot process alone takes about 70 MB
            raise BotSpecError(f"the bot memory limit must be at least 128 MB, not {memory_mb!r}")
        self.spec = spec
        self.time_limit = float(time_limit)
        self.load_time = float(load_time)
        self.memory_bytes = None if memory_mb is None else int(memory_mb) << 20
        self.output_bytes = int(output_kb) << 10
        self.memory_check = memory_check
        self.name = spec.class_name or spec.path.stem
        self.description = ""
        self.classifier = dict(type(self).classifier)
        self.private = fence.private_paths(private)
        self.protections: dict[str, bool] = {}
        folder = Path(tempfile.mkdtemp(prefix="crossroads-bot-"))
        self._child = _Child(folder)
        self._child.log.touch()
        self._child.tmp.mkdir()
        self._finalizer = weakref.finalize(self, self._child.release)
        self._ids = 0
        self._rng_state: Any = None
        self._side: str | None = None
        self._poll_memory = False
        self._closed = False
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    # --- the Bot protocol -------------------------------------------------------------------------------------

    def label(self) -> str:
        """The file, class and parameters, as records and tables show this bot."""
        return self.spec.label()

    def reset(self, side: str, seed: int) -> None:
        """Remember the side and the generator state for the next match; the child hears of it before its first move."""
        super().reset(side, seed)
        self._side = side
        version, internal, gauss = random.Random(seed).getstate()  # the same generator play_match hands a bot
        self._rng_state = [version, list(internal), gauss]
        try:
            with open(self._child.log, "r+b") as f:
                f.truncate(0)  # the output cap and the last lines are per match
            self._output_seen = 0
        except OSError:
            pass

    def choose(self, view: View, legal: Sequence[Action], rng) -> tuple[Action, str]:
        """Ask the bot's process for a move, within the time limit; raises BotForfeit when it fails."""
        from game.bots import BotSpecError

        if self._closed:
            raise BotForfeit("exit", "the bot's seat was closed before the match ended")
        try:
            if self._child.proc is None:
                try:
                    self._start()
                except BotSpecError as err:
                    raise _Failure("crash", f"the bot could not be restarted: {err}") from None
            if self._rng_state is not None:
                self._ask({"op": "reset", "side": self._side or view.side, "rng": self._rng_state})
                self._rng_state = None
            reply = self._ask({"op": "choose", "view": view.to_dict(), "legal": [str(a) for a in legal]})
            return self._interpret(reply, legal)
        except _Failure as failure:
            forfeit = self._forfeit(failure.kind, failure.detail)
            forfeit.action = failure.action
            raise forfeit from None

    # --- lifetime ---------------------------------------------------------------------------------------------

    def close(self) -> None:
        """End the bot's process (and its children) and delete its log; safe to call twice."""
        self._closed = True
        self._finalizer()

    def __enter__(self) -> "SandboxedBot":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The process id of the bot's process, or None while none runs."""
        return None if self._child.proc is None else self._child.proc.pid

    def output_tail(self, chars: int = DETAIL_CHARS) -> str:
        """The last lines the bot printed this match (control characters replaced), at most `chars` long."""
        try:
            with open(self._child.log, "rb") as f:
                size = f.seek(0, os.SEEK_END)
                f.seek(max(0, size - 4 * chars))
                raw = f.read()
        except OSError:
            return ""
        text = _printable(raw.decode("utf-8", errors="replace")).rstrip()
        if len(text) > chars:
            text = text[-chars:]
            text = text[text.find("\n") + 1:] if "\n" in text else text
        return text

    def take_output(self, chars: int = 1 << 16) -> str:
        """What the bot printed since the last call (this match only; control characters replaced), capped."""
        try:
            with open(self._child.log, "rb") as f:
                size = f.seek(0, os.SEEK_END)
                seen = min(getattr(self, "_output_seen", 0), size)  # reset starts the log again
                f.seek(seen)
                raw = f.read(min(size - seen, 4 * chars))
                self._output_seen = size
        except OSError:
            return ""
        text = _printable(raw.decode("utf-8", errors="replace"))
        return text if len(text) <= chars else text[:chars] + "\n[... more output not shown]"

    # --- inside -----------------------------------------------------------------------------------------------

    def _start(self) -> None:
        from game.bots import BotSpecError
        from game.bots import sandbox_child

        ctx = multiprocessing.get_context("spawn")
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        limits = {"output_bytes": self.output_bytes,
                  "memory_bytes": self.memory_bytes if self.memory_check == "auto" else None,
                  "read": fence.readable(self.spec.path, self.private), "write": [str(self._child.tmp), "/dev/null"],
                  **self._host_limits()}
        _supervise()
        proc = ctx.Process(target=sandbox_child.main, name=f"crossroads-bot {self.spec.label()}", daemon=True,
                           args=(child_conn, str(self.spec.path), self.spec.class_name, dict(self.spec.params),
                                 str(self._child.log), limits))
        try:
            with _main_hidden():
                proc.start()
        except (AssertionError, OSError) as err:  # e.g. started from a daemonic multiprocessing.Pool worker
            parent_conn.close()
            raise BotSpecError(f"{self.spec.path.name}: cannot start a process for the bot ({err})") from None
        finally:
            child_conn.close()
        self._child.attach(proc, parent_conn)
        try:
            hello = self._receive(0, self.load_time, loading=True)
        except _Failure as failure:
            code = self._child.stop()
            what = {"timeout": f"did not load within {self.load_time:g} s",
                    "exit": "ended while loading: " + _exit_text(code)}.get(failure.kind, failure.detail)
            raise BotSpecError(f"{self.spec.path.name}: {_one_line(what)}") from None
        if hello.error is not None:
            self._child.stop()
            raise BotSpecError(_one_line(hello.detail))
        self.name = hello.name or self.name
        self.description = hello.description or ""
        self.classifier = {**(hello.classifier or {}), "sandboxed": True}
        self.protections = dict(hello.protections or {})
        self._poll_memory = self.memory_bytes is not None and hello.memory_limit != "rlimit"

    def _host_limits(self) -> dict[str, Any]:
        """More for the child's start (a bot host's shared progress array); nothing for a one-match seat."""
        return {}

    def _ask(self, request: dict[str, Any]) -> _Reply:
        self._ids += 1
        request = {"id": self._ids, **request}
        try:
            self._child.conn.send_bytes(json.dumps(request).encode("utf-8"))
        except (OSError, ValueError):
            raise _Failure("exit", "") from None
        reply = self._receive(self._ids, self.time_limit)
        if reply.error is not None:
            kind = "garbage" if reply.error == "load" else reply.error
            if kind == "crash":
                raise _Failure("crash", _last_lines(reply.detail))
            if kind == "memory" and self.memory_bytes is not None:
                raise _Failure("memory", f"ran out of memory: the limit is {self.memory_bytes >> 20} MB")
            raise _Failure(kind, reply.detail)
        return reply

    def _receive(self, expect_id: int, limit: float, loading: bool = False) -> _Reply:
        """Wait for the reply to request `expect_id`, watching the clock, the output cap and memory."""
        proc, conn = self._child.proc, self._child.conn
        deadline = time.monotonic() + limit
        while True:
            self._check_output()
            if self._poll_memory and not loading:
                self._check_memory()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Failure("timeout", f"no answer within {limit:g} s")
            ready = wait([conn, proc.sentinel], timeout=min(remaining, POLL_SECONDS))
            if conn in ready:
                try:
                    data = conn.recv_bytes(MAX_MESSAGE)
                except EOFError:
                    raise _Failure("exit", "") from None
                except OSError as err:
                    if "bad message length" not in str(err) or wait([proc.sentinel], 0.2):
                        raise _Failure("exit", "") from None  # a dead bot's broken pipe: how it ended says why
                    raise _Failure("garbage", f"sent the seat a message longer than {MAX_MESSAGE} bytes") from None
                self._check_output()
                return self._decode(data, expect_id)
            if proc.sentinel in ready:
                raise _Failure("exit", "")  # the text comes once it is reaped, in _forfeit

    def _decode(self, data: bytes, expect_id: int) -> _Reply:
        try:
            reply = _Reply.model_validate(json.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, ValidationError):
            shown = _printable(data[:60].decode("utf-8", errors="replace"))
            raise _Failure("garbage", f"sent the seat something that is not part of the protocol: {shown!r}") from None
        if reply.id != expect_id:
            raise _Failure("garbage", f"answered request {reply.id} when the seat asked request {expect_id}")
        return reply

    def _interpret(self, reply: _Reply, legal: Sequence[Action]) -> tuple[Action, str]:
        if reply.action is None:
            raise _Failure("garbage", "answered without an action")
        try:
            action = Action.parse(reply.action)
        except ActionParseError as err:
            raise _Failure("garbage", f"returned text that is not an action: {_printable(str(err))[:200]}") from None
        by_text = {str(a): a for a in legal}
        if str(action) not in by_text:
            raise _Failure("illegal", f"{action} is not a legal action", action)
        return by_text[str(action)], _printable(reply.reason)[:200]

    def _check_output(self) -> None:
        try:
            size = os.path.getsize(self._child.log)
        except OSError:
            return
        if size > self.output_bytes:
            raise _Failure("garbage", f"printed more than {self.output_bytes >> 10} KB of output")

    def _check_memory(self) -> None:
        import psutil

        proc = self._child.proc
        try:
            root = psutil.Process(proc.pid)
            used = root.memory_info().rss + descendants_rss(root)
        except psutil.Error:
            return
        if used > self.memory_bytes:
            raise _Failure("memory", f"used {used >> 20} MB, more than the limit of {self.memory_bytes >> 20} MB")

    def _forfeit(self, kind: str, detail: str) -> BotForfeit:
        """End the child and build the forfeit: what happened, then the bot's last output lines, capped."""
        if kind == "exit":
            try:
                self._check_output()  # a flood that hit the file-size cap ends the child: the flood is the cause
            except _Failure as flood:
                kind, detail = flood.kind, flood.detail
        code = self._child.stop()
        if kind == "exit" and not detail:
            detail = _exit_text(code)
        tail = self.output_tail()
        if kind == "crash" or not tail:
            text = detail
        else:
            room = DETAIL_CHARS - len(detail) - len("\nlast output:\n")
            text = detail + ("\nlast output:\n" + tail[-room:] if room > 40 else "")
        return BotForfeit(kind, _printable(text).strip()[-DETAIL_CHARS:])


def _last_lines(text: str, chars: int = DETAIL_CHARS) -> str:
    """The end of `text`, at most `chars` long, cut at a line boundary."""
    if len(text) <= chars:
        return text
    tail = text[-chars:]
    return tail[tail.find("\n") + 1:] if "\n" in tail else tail


def _printable(text: str) -> str:
    """Replace control characters (escape sequences, NULs) other than newline and tab with '?'."""
    return "".join(c if (c.isprintable() or c in "\n\t") else "?" for c in text)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:400]
