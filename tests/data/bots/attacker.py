"""A bot that tries, at its first move, what a clever student might: for tests/test_fair_play.py.

Each attempt prints one line, `attack NAME: blocked (...)` or `attack NAME: DONE (...)`; then the bot passes
the first legal action. `targets` names files to read (a '|'-separated list), `victim` a pid to signal.
"""

import os
import random
import signal
import socket
import sys

from game.bots import Bot


def attempt(name, how):
    try:
        result = how()
    except Exception as err:  # noqa: BLE001 - a refusal is what the test hopes for
        print(f"attack {name}: blocked ({err.__class__.__name__})", flush=True)
    else:
        print(f"attack {name}: DONE ({str(result)[:60]!r})", flush=True)


def read(path):
    with open(path, "rb") as f:
        return f.read(200)


class Attacker(Bot):
    """Tries to read, write, signal and connect beyond its own process; then plays the first legal action."""

    def __init__(self, targets="", victim=0, search=0, probe=1):
        super().__init__(targets=targets, victim=victim, search=search, probe=probe)
        self.probe = int(probe)  # 0: only the seed search (safe to run in the test's own process)
        self.targets = [t for t in str(targets).split("|") if t]
        self.victim = int(victim)
        self.search = int(search)
        self.done = False

    def choose(self, view, legal, rng):
        if not self.done:
            self.done = True
            self.attack(rng)
        return legal[0]

    def attack(self, rng):
        if self.probe:
            self.probe_outside()
        if self.search:
            from game.match import bot_rng
            mine = rng.getstate()
            found = [s for s in range(self.search) for side in ("us", "dprk")
                     if bot_rng(s, side).getstate() == mine]
            print(f"attack seed search: {'DONE ' + str(found) if found else 'blocked (not found)'}", flush=True)
        print(f"argv {sys.argv!r}", flush=True)

    def probe_outside(self):
        for path in self.targets:
            attempt(f"read {path}", lambda p=path: read(p))
        attempt("read parent cmdline", lambda: read(f"/proc/{os.getppid()}/cmdline"))
        attempt("read parent environ", lambda: read(f"/proc/{os.getppid()}/environ"))
        attempt("write outside", lambda: open(os.path.join(os.path.dirname(__file__), "planted.txt"), "w").write("x"))
        attempt("signal parent", lambda: os.kill(os.getppid(), signal.SIGCONT))
        attempt("interrupt parent's group", lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGCONT))
        if self.victim:
            attempt("signal victim", lambda: os.kill(self.victim, signal.SIGCONT))
        attempt("connect", lambda: socket.create_connection(("127.0.0.1", 9), timeout=0.5))
        attempt("listen", lambda: socket.create_server(("127.0.0.1", 0)))
