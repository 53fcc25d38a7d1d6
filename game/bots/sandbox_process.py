"""A bot's process, from the seat's side: starting it without the parent's script, and ending its whole tree.

`_Child` holds what a seat must release (the process, its pipe, its folder with
the output log and the bot's private temporary folder); `kill_tree` ends a
child, its process group and every descendant found before it went, and
reaps it; `_exit_text` says in words how a process ended. Split from
`game.bots.sandbox`, which re-exports what other modules import from there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
import types
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from game.bots import fence


class _Child:
    """The resources of one seat that must be released: the process, the pipe, and its folder (the log and the
    bot's private temporary folder)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.log = folder / "output.log"
        self.tmp = folder / "tmp"
        self.proc: Any = None
        self.conn: Any = None
        self.created: float | None = None  # the process's start time, so a reused pid is never mistaken for it

    def attach(self, proc, conn) -> None:
        """Take charge of a started process and its end of the pipe."""
        import psutil

        self.proc, self.conn = proc, conn
        try:
            self.created = psutil.Process(proc.pid).create_time()
        except psutil.Error:
            self.created = None

    def stop(self, grace: float = 0.0) -> int | None:
        """End the child and every process under it (with `grace`, first ask it to leave); returns its exit code."""
        proc, conn, created = self.proc, self.conn, self.created
        self.proc = self.conn = self.created = None
        code = None
        if proc is not None:
            mine = _own_process(proc, created)
            descendants = _descendants(mine)  # before it goes: an orphan is harder to find
            if grace > 0 and conn is not None and mine is not None:
                try:
                    conn.send_bytes(b'{"id": null, "op": "close"}')
                    wait([proc.sentinel], grace)  # wait, but do not reap: its pid must stay reserved
                except (OSError, ValueError):
                    pass
            pid = proc.pid
            code = kill_tree(proc, mine, descendants)
            fence.reap_strays(pid, created)  # what escaped the tree while it was ended came back to us
        if conn is not None:
            conn.close()
        return code

    def release(self) -> None:
        """Stop the child and delete its folder (the finalizer's job)."""
        self.stop(grace=0.5)
        shutil.rmtree(self.folder, ignore_errors=True)


def _own_process(proc, created: float | None):
    """The psutil handle of our child if its pid still names it (running, or dead and not yet reaped), else None."""
    import psutil

    if proc.pid is None or created is None:
        return None
    try:
        p = psutil.Process(proc.pid)
        return p if p.create_time() == created else None
    except psutil.Error:
        return None


def _descendants(p) -> list:
    import psutil

    if p is None:
        return []
    try:
        return p.children(recursive=True)
    except psutil.Error:
        return []


def kill_tree(proc, mine, descendants) -> int | None:
    """Kill a child (`mine`: its psutil handle, None once reaped), its process group and `descendants`; reap it.

    The child must not have been reaped before this (no `is_alive()`, `join()` or `exitcode`): as long
    as it is a zombie its pid, and so its process group id, cannot be taken by another process.
    Returns the child's exit code (negative: the signal that ended it).
    """
    import psutil

    if mine is not None and hasattr(os, "killpg"):
        try:
            if os.getpgid(proc.pid) == proc.pid:  # it made its own session, so the group is its alone
                os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        proc.kill()
    except (OSError, ValueError, AttributeError):
        pass
    for p in descendants:
        try:
            p.kill()
        except psutil.Error:
            pass
    code = None
    try:
        proc.join(2.0)
        code = proc.exitcode
        proc.close()
    except (ValueError, AssertionError):
        pass
    return code


@contextlib.contextmanager
def _main_hidden():
    """Hide `__main__` while a child starts, so spawn does not re-run the parent's script in the bot's process.

    Without this a script that makes a file bot without an `if __name__ == "__main__":` guard would
    run again inside the child (and the child would start slower, importing whatever the script does).
    """
    with _HIDING:  # seats may start from several threads at once (a tournament checks its bot files so)
        saved, argv = sys.modules.get("__main__"), sys.argv
        sys.modules["__main__"] = types.ModuleType("__main__")
        sys.argv = ["crossroads-bot"]  # spawn hands the child our argv: the command line is none of a bot's business
        try:
            yield
        finally:
            sys.argv = argv
            if saved is not None:
                sys.modules["__main__"] = saved


_HIDING = threading.Lock()


_SUPERVISING: list[bool] = []


def _supervise() -> None:
    """Once per process that runs seats: become a subreaper, so what escapes a bot's tree comes back here."""
    if not _SUPERVISING:
        _SUPERVISING.append(fence.become_subreaper())


def descendants_rss(root) -> int:
    """The resident memory of every process below `root` (a psutil.Process), skipping those that just ended."""
    import psutil

    used = 0
    for p in root.children(recursive=True):
        try:
            used += p.memory_info().rss
        except psutil.Error:
            pass
    return used


def _exit_text(code: int | None) -> str:
    """How the bot's process ended, from its exit code."""
    if code is None:
        return "the bot's process ended"
    if code < 0:
        try:
            return f"the bot's process was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"the bot's process was killed by signal {-code}"
    return f"the bot's process ended with exit code {code}"
