"""A bot that writes down everything it is given, for tests/test_sandbox.py."""

import json
import os
import sys
import tempfile

from game.actions import Action
from game.bots import Bot
from game.view import View


class Spy(Bot):
    """Records its view, legal actions, reset arguments, command line and environment in a JSON-lines file; plays at
    random."""

    def __init__(self, out=""):
        super().__init__(out=out)
        self.out = out

    def write(self, record):
        # A relative name lands in the temporary folder: in the sandbox, the only one a bot may write to.
        path = self.out if os.path.isabs(self.out) else os.path.join(tempfile.gettempdir(), self.out)
        with open(path, "a") as f:
            f.write(json.dumps(record) + "\n")

    def reset(self, side, seed):
        super().reset(side, seed)
        self.write({"reset": [side, seed], "argv": sys.argv, "env": dict(os.environ)})

    def choose(self, view, legal, rng):
        assert isinstance(view, View) and all(isinstance(a, Action) for a in legal)
        self.write({"view": view.to_dict(), "legal": [str(a) for a in legal], "other": view.other,
                    "channel": view.channel("working").name})
        return rng.choice(legal), f"round {view.round}"
