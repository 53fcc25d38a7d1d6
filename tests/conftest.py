"""Test set-up: no window or sound device is ever needed."""

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "disk")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# A fixed secret for new matches' hidden draws, so tests never write to the home folder and always agree.
os.environ.setdefault("CROSSROADS_SECRET_FILE", str(Path(__file__).resolve().parent / "data" / "test.secret"))
