"""The replay's timeline: a tick for every action, a taller one for every round, the key moments lettered.

Clicking or dragging on it scrubs: it calls `on_change(step)` with the step under the mouse
and the viewer redraws everything from that one step. Meaning never rests on colour alone:
summits, broken promises, exposed claims, deals and the end each carry a letter as well.
"""

from __future__ import annotations

from typing import Callable, Sequence

import pygame

from game.ui.text import INK, line_step
from game.ui.theme import colour, font

# kind -> (letter, colour role) for the moments the class talks about; the letters are explained in the legend.
MOMENTS = {"summit": ("S", "good"), "broken": ("B", "bad"), "exposed": ("X", "warn"), "deal": ("D", "accent"),
           "end": ("End", "focus")}
LEGEND = "S summit  D deal  B broken promise  X exposed claim  | round"


class Timeline:
    """Draws the markers along a track and turns clicks and drags into steps."""

    def __init__(self, markers: Sequence, last: int, total: int, on_change: Callable[[int], None]) -> None:
        self.markers = list(markers)
        self.last = last            # the last step that can be shown (a diverging record stops early)
        self.total = max(total, 1)  # the record's length: the unverifiable rest is drawn greyed
        self.on_change = on_change
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.track = pygame.Rect(0, 0, 0, 0)
        self.size = 18
        self.dragging = False
        self.hover: int | None = None

    def layout(self, rect: pygame.Rect, size: int, legend: bool = True) -> None:
        """Place the timeline in `rect`; `size` is the label text size; without `legend` (a small window) the
        line of hints and letters' meanings is left out (the key help explains the letters)."""
        self.rect = rect
        self.size = size
        self.legend = legend
        pad = max(8, size // 2)
        # Letters above the track, round numbers below it, the legend on the last line.
        step = line_step(size)
        top = rect.y + pad + step + 2
        rows = 2 if legend else 1
        self.track = pygame.Rect(rect.x + pad, top, rect.width - 2 * pad, max(rect.bottom - pad - rows * step - top, 8))
        self.legend_at = (self.track.right, rect.bottom - pad // 2)

    def x_of(self, step: int) -> int:
        """The pixel column of a step."""
        return round(self.track.x + self.track.width * step / self.total)

    def step_at(self, x: int) -> int:
        """The step nearest to a pixel column, within what can be shown."""
        frac = (x - self.track.x) / max(self.track.width, 1)
        return max(0, min(self.last, round(frac * self.total)))

    def handle(self, event: pygame.event.Event) -> bool:
        """A mouse event on the timeline: press or drag to scrub; whether it was used."""
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self.dragging = True
            self.on_change(self.step_at(event.pos[0]))
            return True
        if event.type == pygame.MOUSEMOTION:
            self.hover = self.step_at(event.pos[0]) if self.rect.collidepoint(event.pos) else None
            if self.dragging:
                self.on_change(self.step_at(event.pos[0]))
                return True
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.dragging:
            self.dragging = False
            return True
        return False

    def draw(self, target: pygame.Surface, step: int) -> None:
        """The track, the ticks, the lettered moments and the current step's handle."""
        r, t = self.rect, self.track
        pygame.draw.rect(target, colour("panel"), r, border_radius=8)
        pygame.draw.rect(target, colour("panel_edge"), r, 1, border_radius=8)
        mid = t.centery
        shown_end = self.x_of(self.last)
        pygame.draw.line(target, colour("muted"), (t.x, mid), (shown_end, mid), 3)
        if self.last < self.total:  # past the divergence: nothing there can be shown
            _hatch(target, pygame.Rect(shown_end, t.y, t.right - shown_end, t.height))
        small = self.size
        round_gap = self._round_gap()
        for m in self.markers:
            x = self.x_of(m.index)
            if m.kind == "action":
                pygame.draw.line(target, colour("panel_edge"), (x, mid - t.height // 4), (x, mid + t.height // 4), 1)
            elif m.kind == "round":
                pygame.draw.line(target, colour("text"), (x, t.y), (x, t.bottom), 2)
                if m.round % round_gap == 0 or m.round == 1:
                    INK.line(target, f"R{m.round}", (x + 3, t.bottom + 1), small, role="muted", panel=r)
            elif m.kind == "event":
                pts = [(x, mid - 6), (x + 6, mid), (x, mid + 6), (x - 6, mid)]
                pygame.draw.polygon(target, colour("third"), pts)
        taken: list[pygame.Rect] = []
        for m in self.markers:
            if m.kind not in MOMENTS:
                continue
            letter, role = MOMENTS[m.kind]
            x = self.x_of(m.index)
            pygame.draw.line(target, colour(role), (x, t.y), (x, mid), 3)
            w, h = font(small, True).size(letter)
            box = pygame.Rect(0, 0, w, h)
            box.midbottom = (x, t.y - 1)
            box.clamp_ip(r.inflate(-4, -4))
            if any(box.colliderect(o) for o in taken):  # two moments at almost the same point: one letter
                continue
            taken.append(box)
            INK.line(target, letter, box.topleft, small, bold=True, role=role, panel=r)
        x = self.x_of(step)
        pygame.draw.line(target, colour("focus"), (x, t.y - 2), (x, t.bottom + 2), 4)
        pygame.draw.circle(target, colour("focus"), (x, mid), max(7, self.size // 2))
        pygame.draw.circle(target, colour("background"), (x, mid), max(3, self.size // 5))
        if not self.legend:
            return
        legend = INK.line(target, LEGEND, self.legend_at, small, role="muted", panel=r, anchor="bottomright")
        left = pygame.Rect(t.x, r.y, max(legend.x - t.x - small, 0), r.height)
        INK.line(target, self.hover_text() or "Click or drag along the timeline to jump", (t.x, self.legend_at[1]),
                 small, role="focus" if self.hover is not None else "muted", panel=left, anchor="bottomleft")

    def hover_text(self) -> str:
        """What the marker under the mouse is (empty when nothing is hovered)."""
        if self.hover is None:
            return ""
        near = [m for m in self.markers if abs(self.x_of(m.index) - self.x_of(self.hover)) <= 4 and m.kind != "action"]
        words = "; ".join(m.label for m in near[:3])
        return f"Action {self.hover}" + (f": {words}" if words else "")

    def _round_gap(self) -> int:
        """Label every round, or every second or third one when the rounds sit close together."""
        rounds = [m for m in self.markers if m.kind == "round"]
        if len(rounds) < 2:
            return 1
        width = font(self.size).size("R12")[0] + 6
        spacing = self.track.width / len(rounds)
        return 1 if spacing >= width else (2 if spacing * 2 >= width else 3)


def _hatch(target: pygame.Surface, rect: pygame.Rect) -> None:
    """Diagonal lines over the part of the track that cannot be shown."""
    if rect.width <= 0:
        return
    old = target.get_clip()
    target.set_clip(rect.clip(old))
    for x in range(rect.x - rect.height, rect.right, 10):
        pygame.draw.line(target, colour("bad"), (x, rect.bottom), (x + rect.height, rect.y), 1)
    target.set_clip(old)
