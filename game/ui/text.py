"""Text on the screen: wrapped and clipped to its panel, cached, and recorded for the tests.

Every string the window draws goes through `Ink`, so a test can list the
texts handed to the renderer (the hand-off screen must show nothing private)
and check that each one stayed inside the panel it was drawn in.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import NamedTuple

import pygame

from game.ui.theme import colour, font

# Glyphs the font lacks, written with ones it has.
_SUBSTITUTES = str.maketrans({"→": "->", "←": "<-", "✓": "yes", "✗": "no", "▲": "^", "▼": "v", "\t": "  "})


class Drawn(NamedTuple):
    """One string as it was drawn: its text, where, and the panel it had to stay in."""

    text: str
    rect: pygame.Rect
    panel: pygame.Rect
    size: int


class Ink:
    """Draws text through a surface cache; optionally records what it drew (tests, the privacy check)."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.recording = False
        self.drawn: list[Drawn] = []

    def surface(self, text: str, size: int, bold: bool = False, role: str = "text") -> pygame.Surface:
        """The rendered text (cached: a board frame redraws the same labels sixty times a second)."""
        key = (text, size, bold, role)
        surf = self._cache.get(key)
        if surf is None:
            surf = font(size, bold).render(text, True, colour(role))
            if pygame.display.get_surface() is not None:
                surf = surf.convert_alpha()  # in the screen's pixel format: blits several times faster
            self._cache[key] = surf
            if len(self._cache) > 2000:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return surf

    def line(self, target: pygame.Surface, text: str, pos: tuple[int, int], size: int, *, bold: bool = False,
             role: str = "text", panel: pygame.Rect | None = None, anchor: str = "topleft") -> pygame.Rect:
        """One line, cut with an ellipsis to fit `panel` if it would leave it; the rect it took."""
        text = clean(text)
        panel = panel or target.get_rect()
        rect = pygame.Rect(0, 0, *self.surface(text, size, bold, role).get_size())
        setattr(rect, anchor, pos)
        room = panel.right - max(rect.x, panel.x)
        if rect.width > room or rect.x < panel.x:
            text = fit(text, max(room, 0), size, bold)
            rect = pygame.Rect(0, 0, *font(size, bold).size(text))
            setattr(rect, anchor, pos)
            rect.x = max(rect.x, panel.x)
            rect.right = min(rect.right, panel.right)
        if rect.bottom > panel.bottom or rect.y < panel.y or not text:
            return pygame.Rect(rect.x, rect.y, 0, 0)
        target.blit(self.surface(text, size, bold, role), rect)
        if self.recording:
            self.drawn.append(Drawn(text, rect.copy(), panel.copy(), size))
        return rect

    def block(self, target: pygame.Surface, text: str, rect: pygame.Rect, size: int, *, bold: bool = False,
              role: str = "text", spacing: float = 1.25, panel: pygame.Rect | None = None) -> int:
        """Wrapped paragraphs inside `rect` (lines that do not fit are left out, the last cut with '…').

        Returns the height used.
        """
        step = line_step(size, bold, spacing)
        lines = wrap(clean(text), rect.width, size, bold)
        room = max(rect.height // step, 0)
        if len(lines) > room:
            lines = lines[:room]
            if lines:
                lines[-1] = fit(lines[-1] + " …", rect.width, size, bold)
        clip = panel or rect
        for n, ln in enumerate(lines):
            self.line(target, ln, (rect.x, rect.y + n * step), size, bold=bold, role=role, panel=clip)
        return len(lines) * step

    def texts(self) -> list[str]:
        """The recorded strings, in drawing order."""
        return [d.text for d in self.drawn]


def clean(text: str) -> str:
    """Text with the glyphs the font lacks replaced."""
    return text.translate(_SUBSTITUTES)


def fit(text: str, width: int, size: int, bold: bool = False) -> str:
    """The text, cut and ended with '…' if wider than `width` px."""
    f = font(size, bold)
    if f.size(text)[0] <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if f.size(text[:mid].rstrip() + "…")[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def wrap(text: str, width: int, size: int, bold: bool = False) -> list[str]:
    """The text broken into lines no wider than `width` px (paragraphs kept apart by newlines)."""
    return list(_wrap(text, width, size, bold))


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int, size: int, bold: bool) -> tuple[str, ...]:
    # Cached: the log and the panels re-wrap the same sentences every frame.
    f = font(size, bold)
    out: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        cur = ""
        for w in words:
            trial = w if not cur else cur + " " + w
            if f.size(trial)[0] <= width:
                cur = trial
                continue
            if cur:
                out.append(cur)
            while f.size(w)[0] > width and len(w) > 1:  # a word longer than the line: break it
                cut = len(fit(w, width, size, bold)) - 1
                cut = max(cut, 1)
                out.append(w[:cut])
                w = w[cut:]
            cur = w
        out.append(cur)
    return tuple(out)


def wrapped_height(text: str, width: int, size: int, bold: bool = False, spacing: float = 1.25) -> int:
    """How tall `block` would draw the text at this width."""
    return len(wrap(clean(text), width, size, bold)) * line_step(size, bold, spacing)


def line_step(size: int, bold: bool = False, spacing: float = 1.25) -> int:
    """The distance between lines: the spacing asked for, never less than the font's own line height."""
    return max(round(size * spacing), font(size, bold).get_height())


INK = Ink()
