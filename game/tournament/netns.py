"""No network for bot processes (Linux): a tournament's local workers move into a network namespace of their own.

Landlock (game.bots.landlock) covers TCP only (binding and connecting, ABI 4);
UDP and every other socket family stay open to a bot. A new user and network
namespace, entered by a worker before it starts any bot process, leaves the
worker and every process it starts with no network interface but a loopback
that is down: no datagram or connection leaves, and none reaches a service of
this machine (abstract Unix sockets are per namespace too). Unprivileged
users may do this where the kernel allows user namespaces (most Linux
distributions); elsewhere (Windows, macOS, a kernel or policy that forbids
them) `available()` is False and the tournament's header says network is OFF.
The workers need no network: they talk to the parent through pipes.
"""

from __future__ import annotations

import os
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000

_available: bool | None = None


def isolate() -> bool:
    """Move this (single-threaded) process into a new user and network namespace; True if it held."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return False
    except (OSError, AttributeError):
        return False
    # Map our own ids to themselves, so files we write keep their owner and permission checks stay as they were.
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
    except OSError:
        pass  # unmapped ids still act as ours towards the file system; the network is gone either way
    return True


def available() -> bool:
    """Whether `isolate` works here (tried once, in a child process that exits at once)."""
    global _available
    if _available is None:
        _available = False
        if sys.platform.startswith("linux") and hasattr(os, "fork"):
            try:
                pid = os.fork()
            except OSError:
                return False
            if pid == 0:  # pragma: no cover - the child only tries and reports by its exit code
                os._exit(0 if isolate() else 1)
            _, status = os.waitpid(pid, 0)
            _available = os.waitstatus_to_exitcode(status) == 0
    return _available
