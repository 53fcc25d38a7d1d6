"""Crossroads: run `python main.py` for what the program can do."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
