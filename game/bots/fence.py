"""What a bot process may touch, and what the seat does about processes that escape it.

The seat (the parent) decides the rules, since only it knows what is private:
`readable` lists what the bot may read (the Python installation, the `game`
package, system libraries and its own folder, or only its own file when that
folder holds other Python files or something private), and the bot may write
only in a private temporary folder. The child applies them with Landlock
(`game.bots.landlock`) before importing the student's file.

`protections` says, without starting a bot, which protections this platform
gives, for the tournament header; `reap_strays` ends processes that were
orphaned under a seat's supervisor (a subreaper) and belong to no seat.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable

SYSTEM_READ = ("/usr", "/lib", "/lib64", "/lib32", "/etc/ld.so.cache", "/etc/localtime", "/dev/urandom",
               "/dev/null")
PR_SET_CHILD_SUBREAPER = 36


def readable(bot_file: Path, private: Iterable[Path] = ()) -> list[str]:
    """The paths a bot may read: Python, `game`, system libraries, and its folder (or only its file)."""
    import game

    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    paths = {str(p) for p in prefixes}
    for entry in sys.path:
        if not entry:
            continue
        p = Path(entry).resolve()
        if any(p == q or q in p.parents for q in prefixes) or p.name in ("site-packages", "dist-packages"):
            paths.add(str(p))
    paths.add(str(Path(game.__file__).resolve().parent))
    paths.update(p for p in SYSTEM_READ if os.path.exists(p))
    paths.add(str(bot_folder(bot_file, private)))
    return sorted(paths)


def bot_folder(bot_file: Path, private: Iterable[Path] = ()) -> Path:
    """The bot's folder if it is the bot's own (no other Python file beside it, nothing private inside), else
    the file alone: a bot must not read another student's bot, a tournament folder or a secret."""
    bot_file = bot_file.resolve()
    folder = bot_file.parent
    try:
        others = [p for p in folder.glob("*.py") if p.resolve() != bot_file]
    except OSError:
        others = [folder]
    inside = [p for p in private if _within(Path(p), folder)]
    if others or inside or folder == Path.home().resolve() or folder == Path(folder.anchor):
        return bot_file
    return folder


def _within(path: Path, folder: Path) -> bool:
    try:
        path = path.resolve()
    except OSError:
        return True
    return path == folder or folder in path.parents


def private_paths(extra: Iterable[Path] = ()) -> list[Path]:
    """What a bot's folder must not contain for the whole folder to be readable: the secret and `extra`."""
    from game.hidden import secret_path

    return [secret_path(), *extra]


def protections() -> dict[str, bool]:
    """Which protections a bot process gets on this platform (for headers and warnings)."""
    from game.bots import landlock

    abi = landlock.abi_version()
    linux = sys.platform.startswith("linux")
    return {"files": abi >= 1, "network": abi >= 4, "signals": abi >= 6, "no_new_privs": linux,
            "subreaper": linux, "memory_rlimit": linux, "process_group": hasattr(os, "setsid")}


def describe(held: dict[str, bool]) -> str:
    """One line: which protections are on and which off."""
    names = {"files": "files (Landlock)", "network": "network", "signals": "signals",
             "no_new_privs": "no_new_privs", "subreaper": "subreaper"}
    on = [names[k] for k in names if held.get(k)]
    off = [names[k] for k in names if not held.get(k)]
    text = "bot sandbox: " + (", ".join(on) + " on" if on else "no kernel protections")
    if off:
        text += "; OFF: " + ", ".join(off) + " (a bot could read or signal what this user can)"
    return text


def become_subreaper() -> bool:
    """Linux: orphans of our descendants come back to us (so a seat can end them); True if it held."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_strays(bot_pid: int, born_after: float | None) -> int:
    """Kill and reap the orphans of a bot's tree that came back to us (a subreaper): our children that are not
    multiprocessing's own, started after the bot, in its session or a session of their own. Returns how many.
    Only our own children: their pids cannot be reused before we reap them."""
    import multiprocessing

    import psutil

    if born_after is None or not hasattr(os, "getsid"):
        return 0
    known = {p.pid for p in multiprocessing.active_children()}
    count = 0
    try:
        children = psutil.Process().children()
    except psutil.Error:
        return 0
    for child in children:
        try:
            if child.pid in known or child.create_time() < born_after:
                continue
            sid = os.getsid(child.pid)
            if sid not in (bot_pid, child.pid):
                continue
            child.kill()
            child.wait(1.0)
            count += 1
        except (psutil.Error, OSError):
            pass
    return count
