"""Story mode's pause at the end of a round: one paragraph of what happened, for the projector."""

from __future__ import annotations

import pygame

from game.ui.app import Scene
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button, panel


def round_paragraph(lines: list[str], limit: int = 8) -> str:
    """The round's public sentences as one paragraph (the first `limit`, then how many more)."""
    said = [ln.rstrip(".") + "." for ln in lines if ln]
    more = len(said) - limit
    text = " ".join(said[:limit])
    if more > 0:
        text += f" And {more} more thing{'s' if more != 1 else ''}."
    return text or "A quiet round: nothing the room could see happened."


class StoryScene(Scene):
    """The end of a round in story mode; Enter (or Continue) plays on."""

    def __init__(self, app, ended: int, scenario, lines: list[str], v) -> None:
        super().__init__(app)
        self.ended = ended
        self.text = round_paragraph(lines)
        self.v = v
        self.scenario = scenario

    def layout(self, size: tuple[int, int]) -> None:
        """The continue button at the foot."""
        super().layout(size)
        w, h = size
        b = self.body
        bw, bh = min(w - 80, 420), round(b * 2.2)
        self.box = pygame.Rect(w // 12, h // 10, w - w // 6, h - h // 10 * 2 - bh - b)
        self.focus.set([Button("continue", "Continue (Enter)", pygame.Rect((w - bw) // 2, self.box.bottom + b // 2, bw,
                                                                             bh), self.app.pop, size=b + 2)])

    def back(self) -> None:
        """Esc continues too."""
        self.app.pop()

    def draw(self, target: pygame.Surface) -> None:
        """The summary paragraph in large type."""
        target.fill(colour("background"))
        b = self.body
        inner = panel(target, self.box, f"End of round {self.ended}", b + 4)
        size = b + 4
        INK.block(target, self.text, inner, size, panel=inner, spacing=1.35)
        self.focus.draw(target)
