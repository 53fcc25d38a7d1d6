"""The child side of a sandboxed bot: load the student's class, then answer the seat's requests.

`main` runs in a process of its own, started by `game.bots.sandbox` with the
spawn method. It first fences itself in (its own session so the seat can end
its whole process group, a memory and a file-size limit where the OS has
them, its output sent to a log file the seat reads, a child subreaper so
`setsid` grandchildren stay in its tree; then Landlock: it reads only Python,
`game` and its own folder, writes only its private temporary folder, has no
TCP and can signal only its own processes; its environment is emptied; and a
thread ends it and its children if the seat's process dies), then imports the
student's file and says hello (name, description, classifier) or why it could
not load. After that it answers requests, one JSON object per message over a
multiprocessing Connection (`send_bytes`/`recv_bytes`, never pickle):

    {"id": 1, "op": "reset", "side": "us", "rng": [3, [...625 ints...], null]}
        -> {"id": 1, "ok": true}
    {"id": 2, "op": "choose", "view": View.to_dict(), "legal": ["us pass", ...]}
        -> {"id": 2, "action": "us pass", "reason": "..."}
    any request -> {"id": n, "error": "crash"|"exit"|"memory"|"garbage", "detail": "..."}
    {"id": 3, "op": "close"} -> the process ends

The student's `choose(view, legal, rng)` gets what a built-in bot gets: a
`View` rebuilt from the data, the legal actions as `Action` objects and a
`random.Random` with the same state as `game.bots.base.bot_rng(seed, side)`.
The match seed itself is never sent (it would let a bot rebuild the hidden
cards), so the student's `reset(side, seed)` gets `seed=None`.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import random
import sys
import traceback
import types
import typing
from pathlib import Path
from typing import Any

DETAIL_CHARS = 800
REASON_CHARS = 200


def main(conn, path: str, class_name: str | None, params: dict[str, Any], log_path: str,
         limits: dict[str, Any]) -> None:
    """Entry point of the bot process: fence in, load the bot, then serve requests until 'close'."""
    from game.bots.loader import BotLoadError, describe, load_bot_class, make_instance
    from game.bots.sandbox_json import loads

    facts = _fence(log_path, limits)
    facts["protections"] = _lock_in(limits)  # before a line of the student's code runs
    _follow_parent(facts["session"], facts["protections"].get("signals", False))
    sys.argv = [path]  # the parent's command line is none of the bot's business
    reserve = bytearray(1 << 20)  # given back on MemoryError so the report can still be sent

    file = Path(path)
    try:
        cls = load_bot_class(file, class_name)
        bot = make_instance(cls, params, file)
        hello = {"id": 0, **describe(cls), **facts}
    except BotLoadError as err:
        hello = {"id": 0, "error": "load", "detail": str(err)}
    except MemoryError:
        del reserve
        hello = {"id": 0, "error": "load", "detail": f"{file.name}: ran out of memory while loading"}
    _send(conn, hello)
    if "error" in hello:
        return
    server = _Server(bot, file, lambda: make_instance(cls, params, file))
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the seat went away
        request = _read(data, loads)
        if request.get("op") == "close":
            return
        if request.get("op") == "batch":
            from game.bots.host_child import collect_if_due, serve_batch

            _send(conn, serve_batch(request, lambda: make_instance(cls, params, file), file, limits))
            request = data = None  # freed before the next is read, which then reuses their memory
            collect_if_due()
            continue
        try:
            reply = server.handle(request)
        except MemoryError:
            reserve = None  # noqa: F841 - frees the reserve so the report below fits; the seat ends us next
            reply = {"error": "memory", "detail": "MemoryError: the bot ran out of memory"}
        except SystemExit as err:
            _send(conn, {"id": request.get("id"), "error": "exit",
                         "detail": f"the bot called sys.exit({err.code!r})"})
            return
        except BaseException:  # noqa: BLE001 - whatever the student's code raises is its crash
            reply = {"error": "crash", "detail": _student_traceback(file)}
            print(reply["detail"], file=sys.stderr)
        reply["id"] = request.get("id")
        _send(conn, reply)


def _read(data: bytes, loads: Any) -> Any:
    """A request from its JSON; a batch's objects stay out of the cyclic collector's sight until `serve_batch`
    ends (game.bots.host_child says why)."""
    collecting = gc.isenabled()
    gc.disable()  # reading makes thousands of objects and not one cycle: no collection need look at them
    try:
        request = loads(data)
        if isinstance(request, dict) and request.get("op") == "batch":
            gc.freeze()
    finally:
        if collecting:
            gc.enable()
    return request


class _Server:
    """Turns requests into calls on the student's bot."""

    def __init__(self, bot: Any, file: Path, make_bot: Any):
        self.bot = bot
        self.file = file
        self.rng = random.Random()
        self.make_bot = make_bot
        self.matches = 0

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one request (may raise whatever the student's code raises)."""
        op = request.get("op")
        if op == "reset":
            version, internal, gauss = request["rng"]
            self.rng.setstate((version, tuple(internal), gauss))
            # A fresh bot object for every match after the first, so what a bot remembers cannot depend on
            # which matches a tournament worker happened to give this process before.
            if self.matches:
                self.bot = self.make_bot()
            self.matches += 1
            reset = getattr(self.bot, "reset", None)
            if callable(reset):
                reset(request["side"], None)
            return {"ok": True}
        if op == "choose":
            from game.actions import Action

            v = rebuild_view(request["view"])
            legal = tuple(Action.parse(text) for text in request["legal"])
            return answer(self.bot.choose(v, legal, self.rng), legal)
        return {"error": "garbage", "detail": f"the seat sent an unknown request {op!r}"}


def answer(choice: Any, legal: Any = ()) -> dict[str, Any]:
    """Turn what `choose` returned into a reply: the action's text and a reason, or why it is garbage."""
    if _return_problem is None:
        _bind_teach()
    if type(choice) is tuple and len(choice) == 2:  # the usual (action, "reason"): what return_problem makes of it
        action, reason = choice
        if isinstance(action, _Action) and type(reason) is str:
            return {"action": str(action), "reason": reason[:REASON_CHARS]}
    problem, text, reason = _return_problem(choice, legal)
    if problem is not None:
        return {"error": "garbage", "detail": problem}
    return {"action": text, "reason": reason[:REASON_CHARS]}


_return_problem: Any = None  # game.bots.teach.return_problem, imported at the first answer (once, not at each)
_Action: Any = None


def _bind_teach() -> None:
    global _return_problem, _Action
    from game.actions import Action
    from game.bots.teach import return_problem

    _return_problem, _Action = return_problem, Action


def rebuild_view(data: dict[str, Any]):
    """The `View` whose `to_dict()` (after a JSON round trip) was `data`: tuples and nested views restored."""
    from game.view import View

    return _rebuild(View, data)


def _rebuild(cls: type, data: dict[str, Any]) -> Any:
    return _converter(cls)(data)


_CONVERTERS: dict[Any, Any] = {}


def _converter(tp: Any) -> Any:
    """A function turning JSON data into a value of type `tp` (dataclasses and tuples restored), built once
    per type: a view is rebuilt for every decision, so the type hints are read only the first time."""
    try:
        return _CONVERTERS[tp]
    except (KeyError, TypeError):
        pass
    convert = _make_converter(tp)
    try:
        _CONVERTERS[tp] = convert
    except TypeError:
        pass
    return convert


def _make_converter(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            inner = _converter(options[0])
            return lambda v: None if v is None else inner(v)
        return lambda v: v
    if dataclasses.is_dataclass(tp):
        from game.bots.sandbox_wire import type_hints

        hints = type_hints(tp)
        parts = [(f.name, _converter(hints[f.name])) for f in dataclasses.fields(tp)]
        # A field with a default that to_dict leaves out (a view's `rules`) keeps its default.
        return lambda v: None if v is None else tp(**{name: conv(v[name]) for name, conv in parts if name in v})
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            each = _converter(args[0])
            return lambda v: None if v is None else tuple(each(x) for x in v)
        convs = [_converter(a) for a in args]
        return lambda v: None if v is None else tuple(c(x) for c, x in zip(convs, v, strict=True))
    return lambda v: v


def _fence(log_path: str, limits: dict[str, Any]) -> dict[str, Any]:
    """Put this process in its own session, send its output to the log and set its limits; says what held."""
    facts: dict[str, Any] = {"session": False, "memory_limit": "none"}
    if hasattr(os, "setsid"):
        try:
            os.setsid()
            facts["session"] = True
        except OSError:
            pass
    log = open(log_path, "a", buffering=1, encoding="utf-8", errors="replace")  # noqa: SIM115 - lives as long as we do
    for fd in (1, 2):
        try:
            os.dup2(log.fileno(), fd)
        except OSError:
            pass
    sys.stdout = sys.stderr = log
    try:
        import resource
    except ImportError:  # Windows: the seat polls memory instead
        return facts
    import signal

    def cap(which: int, value: int) -> bool:
        try:
            resource.setrlimit(which, (value, value))
            return True
        except (ValueError, OSError):
            return False

    cap(resource.RLIMIT_CORE, 0)
    if limits.get("output_bytes") and hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails instead of killing us
        cap(resource.RLIMIT_FSIZE, int(limits["output_bytes"]) + 65536)
    memory = limits.get("memory_bytes")
    # Only Linux enforces RLIMIT_AS; macOS accepts or refuses it but does not enforce it.
    if memory and sys.platform.startswith("linux") and cap(resource.RLIMIT_AS, int(memory)):
        facts["memory_limit"] = "rlimit"
    if sys.platform.startswith("linux"):
        from game.bots.fence import become_subreaper

        become_subreaper()
    return facts


def _lock_in(limits: dict[str, Any]) -> dict[str, bool]:
    """Landlock (read only `limits['read']`, write only `limits['write']`, no TCP, signals scoped), a clean
    environment and a private temporary folder; returns which protections hold."""
    import tempfile

    from game.bots import landlock

    write = list(limits.get("write") or [])
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING")}
    os.environ.clear()  # nothing of the parent's environment (paths, names of files) reaches the bot
    os.environ.update(keep)
    if write:
        os.environ["TMPDIR"] = os.environ["HOME"] = write[0]
        tempfile.tempdir = write[0]
    read = [Path(p) for p in limits.get("read") or []] + [Path(f"/proc/{os.getpid()}")]  # its own entries only
    held = landlock.restrict(read, [Path(p) for p in write])
    held["subreaper"] = sys.platform.startswith("linux")
    return held


def _follow_parent(own_group: bool, scoped: bool = False) -> None:
    """End this process and everything under it if the seat's process dies without closing us (say, killed)."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        if scoped:  # signals reach only our own Landlock domain: -1 is exactly our tree, setsid escapees too
            import signal

            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
        try:
            import psutil

            for p in psutil.Process().children(recursive=True):
                p.kill()
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass
        if own_group:
            import signal

            os.killpg(0, signal.SIGKILL)  # our own process group, this process included
        os._exit(1)

    threading.Thread(target=watch, name="crossroads-parent-watch", daemon=True).start()


def _student_traceback(file: Path) -> str:
    """The current exception's traceback from the student's first frame on, capped to its last lines."""
    etype, err, tb = sys.exc_info()
    frames = traceback.extract_tb(tb)
    start = next((i for i, f in enumerate(frames) if Path(f.filename).name == file.name), 0)
    lines = traceback.format_list(frames[start:]) + traceback.format_exception_only(etype, err)
    text = "Traceback (most recent call last):\n" + "".join(lines)
    return text[-DETAIL_CHARS:]


def _send(conn, message: dict[str, Any]) -> None:
    from game.bots.sandbox_json import dumps

    try:
        conn.send_bytes(dumps(message))
    except (OSError, ValueError, TypeError):
        pass
