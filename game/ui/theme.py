"""Colours, fonts and sizes of the window, read from assets/ (the palette is Okabe-Ito, safe for colour blindness)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pygame

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FONT_REGULAR = ASSETS / "fonts" / "AtkinsonHyperlegible-Regular.ttf"
FONT_BOLD = ASSETS / "fonts" / "AtkinsonHyperlegible-Bold.ttf"

# Okabe-Ito: told apart by people with every common colour-vision deficiency. Meaning never rests on colour
# alone: channels also differ in thickness, dash pattern and label; statuses carry a word.
_DEFAULT = {
    "background": "#14181f",
    "panel": "#1f2530",
    "panel_edge": "#3a4558",
    "text": "#f2f2f2",
    "muted": "#a9b3c2",
    "accent": "#56b4e9",
    "focus": "#f0e442",
    "good": "#009e73",
    "warn": "#e69f00",
    "bad": "#d55e00",
    "us": "#0072b2",
    "dprk": "#cc79a7",
    "third": "#8a8f98",
    "button": "#2c3545",
    "button_hover": "#3b475c",
    "button_off": "#232a35",
    "private": "#e69f00",
}


@lru_cache(maxsize=1)
def palette() -> dict[str, pygame.Color]:
    """The colours by role, from assets/theme.json's "palette" (falling back to the built-in Okabe-Ito set)."""
    colours = dict(_DEFAULT)
    path = ASSETS / "theme.json"
    try:
        colours.update(json.loads(path.read_text(encoding="utf-8")).get("#crossroads_palette", {}).get("colours", {}))
    except (OSError, ValueError):
        pass
    return {k: pygame.Color(v) for k, v in colours.items()}


def colour(role: str) -> pygame.Color:
    """One colour by its role ('text', 'panel', 'us', ...)."""
    return palette()[role]


def body_size(height: int) -> int:
    """The body text size for a window height: 20 px at 720, never under 18 px, growing on big screens."""
    return max(18, round(height * 0.028))


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """The hyperlegible font at a pixel size (cached: building a font is slow, drawing with one is not)."""
    return pygame.font.Font(str(FONT_BOLD if bold else FONT_REGULAR), size)
