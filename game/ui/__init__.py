"""The game window (pygame-ce): the only package under game/ that imports pygame.

`game.ui.launch` opens it; nothing here is imported by the engine, the bots or
the terminal front end.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on stdout: the CLI's output is its own
