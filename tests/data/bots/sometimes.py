"""A bot that plays at random but, in some matches (its own rng decides, at its first move), misbehaves:
for tests/test_fair_play.py, to check that one match's failure costs no other match anything."""

import os
import threading
import time

from game.bots import Bot


class Sometimes(Bot):
    """`how`: exit (os._exit), segv (a segfault), spin (an endless loop), fork (children holding memory), leak
    (leaves a thread running), child (leaves a child process running)."""

    def __init__(self, how="exit", p=0.3):
        super().__init__(how=how, p=p)
        self.how, self.p = how, float(p)
        self.first = True

    def choose(self, view, legal, rng):
        if self.first:
            self.first = False
            if rng.random() < self.p:
                self.misbehave()
        return rng.choice(legal)

    def misbehave(self):
        if self.how == "exit":
            os._exit(7)
        if self.how == "segv":
            import ctypes
            ctypes.string_at(0)
        if self.how == "spin":
            while True:
                pass
        if self.how == "fork":  # four children holding 100 MB each: the limit is the whole tree's
            import subprocess
            import sys
            hold = "x = b'x' * (100 << 20); print('held', flush=True); import time; time.sleep(60)"
            children = [subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE) for _ in range(4)]
            for child in children:  # all four hold their memory (on a loaded machine a fixed sleep was too short)
                child.stdout.readline()
            time.sleep(30)  # the host's memory poll ends this process tree long before
        if self.how == "leak":
            threading.Thread(target=lambda: time.sleep(3600), daemon=True).start()
        if self.how == "child":
            import subprocess
            import sys
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
