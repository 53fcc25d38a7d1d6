"""Bots that misbehave on purpose, one way each, for tests/test_sandbox.py.

Each plays its first legal action until decision `after` (default 0: at once), then misbehaves.
"""

import gc
import os
import subprocess
import sys
import time

from game.actions import Action
from game.bots import Bot


class _Misbehaving(Bot):
    """Plays the first legal action, then misbehaves from decision `after` on."""

    def __init__(self, after=0, **params):
        super().__init__(after=after, **params)
        self.after = after
        self.count = 0

    def choose(self, view, legal, rng):
        self.count += 1
        if self.count > self.after:
            return self.misbehave(view, legal)
        return legal[0]

    def misbehave(self, view, legal):
        raise NotImplementedError


class Raises(_Misbehaving):
    """Raises an exception."""

    def misbehave(self, view, legal):
        return helper(view)


def helper(view):
    return {}["no such key in round %d" % view.round]


class ResetRaises(Bot):
    """Raises in reset, before its first move."""

    def reset(self, side, seed):
        raise RuntimeError("reset went wrong")

    def choose(self, view, legal, rng):
        return legal[0]


class SysExit(_Misbehaving):
    """Calls sys.exit."""

    def misbehave(self, view, legal):
        print("leaving now")
        sys.exit(3)


class OsExit(_Misbehaving):
    """Ends its process at once with os._exit."""

    def misbehave(self, view, legal):
        print("pulling the plug", flush=True)
        os._exit(7)


class Illegal(_Misbehaving):
    """Returns a well-formed action that is not legal."""

    def misbehave(self, view, legal):
        return Action.parse(f"{view.side} implement denuclearization")


class IllegalText(_Misbehaving):
    """Returns the text of an action of the other side."""

    def misbehave(self, view, legal):
        return f"{view.other} pass"


class ReturnsNumber(_Misbehaving):
    """Returns a number."""

    def misbehave(self, view, legal):
        return 42


class ReturnsNone(_Misbehaving):
    """Forgets to return."""

    def misbehave(self, view, legal):
        pass


class ReturnsNonsense(_Misbehaving):
    """Returns text that is not an action."""

    def misbehave(self, view, legal):
        return "let us make a deal"


class Chatty(Bot):
    """Prints junk, fake protocol messages and control bytes every move, then plays the first legal action."""

    def choose(self, view, legal, rng):
        print('{"id": 1, "action": "us pass"}')
        print("\x1b[31mred\x00\x07 junk \udcff", file=sys.stderr)
        os.write(1, b'\xff\xfe{"error": "crash"}\n')
        return legal[0]


class Floods(_Misbehaving):
    """Prints garbage without end."""

    def misbehave(self, view, legal):
        junk = "\x00\x1b[2J" + "#" * 4000
        while True:
            print(junk)


class WritesToSeat(_Misbehaving):
    """Writes bytes that are not a protocol message into its connection to the seat."""

    def misbehave(self, view, legal):
        from multiprocessing.connection import Connection

        for obj in gc.get_objects():
            if isinstance(obj, Connection):
                obj.send_bytes(b"\x00\x01 not json")
        return legal[0]


class Loops(_Misbehaving):
    """Spins forever."""

    def misbehave(self, view, legal):
        n = 0
        while True:
            n += 1


class Sleeps(_Misbehaving):
    """Sleeps for a minute."""

    def misbehave(self, view, legal):
        time.sleep(60)
        return legal[0]


class Hoards(_Misbehaving):
    """Allocates memory without end, 8 MB at a time (touching every page)."""

    def misbehave(self, view, legal):
        self.hoard = []
        while True:
            self.hoard.append(b"x" * (8 << 20))
            time.sleep(0.01)


class HugeList(_Misbehaving):
    """Asks for one huge list at once (800 MB)."""

    def misbehave(self, view, legal):
        self.big = [0] * 100_000_000
        return legal[0]


SLEEPER = "import time; time.sleep(120)"
ORPHAN_MAKER = ("import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', %r], start_new_session=True, "
                "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(p.pid, flush=True)" % SLEEPER)


class Spawns(_Misbehaving):
    """Starts a sleeping child process (in its group, in a new session, or orphaned), prints its pid, then hangs."""

    def __init__(self, pidfile="", how="group", **params):
        super().__init__(pidfile=pidfile, how=how, **params)
        self.pidfile = pidfile
        self.how = how

    def misbehave(self, view, legal):
        if self.how == "orphan":  # its parent exits at once, so the sleeper is nobody's child but init's (or ours)
            out = subprocess.run([sys.executable, "-c", ORPHAN_MAKER], capture_output=True, text=True, check=True)
            pid = int(out.stdout.split()[0])
        else:
            pid = subprocess.Popen([sys.executable, "-c", SLEEPER], start_new_session=self.how == "session").pid
        print(f"pids {os.getpid()} {pid}", flush=True)  # a sandboxed bot cannot write files outside its own tmp
        while True:
            time.sleep(1)
