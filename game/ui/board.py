"""The board drawn from a View: actors, ties, the three channels and the tension gauge, with brief animations.

A channel shows closed/open and trust by three things at once, never by colour
alone: its pattern (short dashes closed, long dashes open with little trust,
solid from 30, a double line from 60), its thickness (grows with trust) and
its label ("Hotline 42" or "Hotline: closed"). Changes animate: trust eases
to its new value with a pulse running along the edge and a "+6" rising from
it, a broken promise or an exposed claim flashes its channel, tension slides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.graph import layout
from game.scenario import Scenario
from game.ui.text import INK
from game.ui.theme import colour

ANIM_SECONDS = 1.2
FLASH_SECONDS = 1.8


@dataclass
class Effect:
    """One running animation: a pulse along a channel, a flash on it, or a tension slide."""

    kind: str            # 'pulse', 'flash', 'tension'
    channel: str | None
    label: str
    age: float = 0.0
    length: float = ANIM_SECONDS
    amount: float = 0.0  # the change a pulse or a tension slide shows

    @property
    def progress(self) -> float:
        """0 at the start, 1 at the end."""
        return min(self.age / self.length, 1.0)


class BoardRenderer:
    """Draws one scenario's board; `show(view, happenings)` sets what to draw and starts the animations."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        raw = layout(scenario)  # fixed per scenario: the positions come from the scenario's actors
        xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
        # Stretch the scenario's layout to fill the board (its actors need not span 0-1).
        sx, sy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        self.pos = {a: ((x - min(xs)) / sx, (y - min(ys)) / sy) for a, (x, y) in raw.items()}
        self.actors = {a.id: a for a in scenario.actors}
        self.channels = {c.id: c for c in scenario.channels}
        self.view = None
        self.shown_trust: dict[str, float] = {}
        self.target_trust: dict[str, float] = {}
        self.shown_tension = 0.0
        self.effects: list[Effect] = []

    def show(self, view, happenings=()) -> None:
        """Draw this view from now on; animate what the happenings changed."""
        first = self.view is None
        self.view = view
        for c in view.channels:
            self.target_trust[c.id] = c.trust if c.open else 0.0
            if first or c.id not in self.shown_trust:
                self.shown_trust[c.id] = self.target_trust[c.id]
        if first:
            self.shown_tension = float(view.tension)
        for h in happenings:
            self._effect_of(h)
        if len(self.effects) > 12:
            self.effects = self.effects[-12:]

    def _effect_of(self, h) -> None:
        kind = str(h.kind)
        d = h.data
        if kind == "trust" and d.get("channel") in self.channels:
            delta = float(d.get("after", 0)) - float(d.get("before", 0))
            # Several changes to one channel at once (a round's bookkeeping) show as one sum, not stacked labels.
            same = next((e for e in self.effects if e.kind == "pulse" and e.channel == d["channel"]
                         and e.label != "opened"), None)
            if same is not None:
                delta += same.amount
                self.effects.remove(same)
            if abs(delta) >= 0.5:
                self.effects.append(Effect("pulse", d["channel"], f"{delta:+.0f}", amount=delta))
        elif kind == "channel_opened" and d.get("channel") in self.channels:
            self.effects.append(Effect("pulse", d["channel"], "opened"))
        elif kind in ("broken", "exposed", "reversed") and d.get("channel") in self.channels:
            word = {"broken": "BROKEN", "exposed": "EXPOSED", "reversed": "WITHDRAWN"}[kind]
            self.effects.append(Effect("flash", d["channel"], word, length=FLASH_SECONDS))
        elif kind == "tension":
            delta = int(d.get("after", 0)) - int(d.get("before", 0))
            same = next((e for e in self.effects if e.kind == "tension"), None)
            if same is not None:
                delta += int(same.amount)
                self.effects.remove(same)
            if delta:
                self.effects.append(Effect("tension", None, f"{delta:+d}", amount=delta))

    @property
    def animating(self) -> bool:
        """Whether anything still moves."""
        if self.effects:
            return True
        if self.view is None:
            return False
        if abs(self.shown_tension - self.view.tension) > 0.01:
            return True
        return any(abs(self.shown_trust[k] - v) > 0.05 for k, v in self.target_trust.items())

    def update(self, dt: float) -> bool:
        """Advance the animations; whether anything still moves."""
        rate = min(dt * 3.0, 1.0)  # ease: about a second to settle
        for k, v in self.target_trust.items():
            cur = self.shown_trust.get(k, v)
            self.shown_trust[k] = v if abs(v - cur) < 0.05 else cur + (v - cur) * rate
        if self.view is not None:
            t = self.view.tension
            self.shown_tension = t if abs(t - self.shown_tension) < 0.01 else self.shown_tension + (t - self.shown_tension) * rate
        for e in self.effects:
            e.age += dt
        self.effects = [e for e in self.effects if e.age < e.length]
        return self.animating

    # ------------------------------------------------------------------ drawing

    def point(self, actor: str, area: pygame.Rect) -> tuple[int, int]:
        """The pixel position of an actor inside the board's area."""
        x, y = self.pos[actor]
        return (round(area.x + x * area.width), round(area.y + y * area.height))

    def draw(self, target: pygame.Surface, rect: pygame.Rect, size: int) -> None:
        """The graph inside `rect`: ties, channels, actors and their labels."""
        v = self.view
        if v is None:
            return
        small = max(18, size - 2)
        # Leave room for the node labels at the edges.
        area = rect.inflate(-size * 8, -size * 4)
        area.y = rect.y + size * 3 // 2
        ties = {(a, b): val for a, b, val in v.ties}
        for t in self.scenario.ties:
            p, q = self.point(t.a, area), self.point(t.b, area)
            warm = ties.get((t.a, t.b), t.value)
            width = 1 if t.kind == "internal" else 1 + round(warm / 40)
            _dashed(target, colour("panel_edge" if t.kind == "internal" else "third"), p, q, width,
                    None if t.kind == "internal" else (4, 6))
        flashing = {e.channel: e for e in self.effects if e.kind == "flash"}
        labels: list[tuple[str, tuple[int, int], str]] = []
        for c in v.channels:
            ch = self.channels[c.id]
            p, q = self.point(ch.a, area), self.point(ch.b, area)
            trust = self.shown_trust.get(c.id, c.trust)
            if not c.open:
                _dashed(target, colour("muted"), p, q, 2, (8, 10))
                text, role = f"{c.name}: closed", "muted"
            else:
                width = 3 + round(trust / 12)
                role = "good" if trust >= 60 else ("accent" if trust >= 30 else "warn")
                if trust >= 60:
                    _double(target, colour(role), p, q, width)
                else:
                    _dashed(target, colour(role), p, q, width, None if trust >= 30 else (18, 8))
                text = f"{c.name} {trust:.0f}"
            fl = flashing.get(c.id)
            if fl is not None and int(fl.age * 6) % 2 == 0:
                pygame.draw.line(target, colour("bad"), p, q, 12)
                text, role = f"{c.name}: {fl.label}", "bad"
            labels.append((text, ((p[0] + q[0]) // 2, (p[1] + q[1]) // 2), role))
        for e in self.effects:
            if e.kind != "pulse":
                continue
            ch = self.channels[e.channel]
            p, q = self.point(ch.a, area), self.point(ch.b, area)
            f = e.progress
            dot = (round(p[0] + (q[0] - p[0]) * f), round(p[1] + (q[1] - p[1]) * f))
            pygame.draw.circle(target, colour("focus"), dot, max(6, size // 3))
            # Below the channel's label, drifting down: above it sit the third parties' names.
            mid = ((p[0] + q[0]) // 2, (p[1] + q[1]) // 2 + size + round(f * size * 0.6))
            INK.line(target, e.label, mid, size, bold=True, role="focus", panel=rect, anchor="midtop")
        radius = max(10, size // 2 + 2)
        for a in self.scenario.actors:
            p = self.point(a.id, area)
            fill = colour(a.side if a.side in ("us", "dprk") else "third")
            if a.side == self.scenario.side_ids[0]:
                pygame.draw.rect(target, fill, pygame.Rect(p[0] - radius, p[1] - radius, 2 * radius, 2 * radius))
            elif a.side is None:
                pts = [(p[0], p[1] - radius), (p[0] + radius, p[1]), (p[0], p[1] + radius), (p[0] - radius, p[1])]
                pygame.draw.polygon(target, fill, pts)
            else:
                pygame.draw.circle(target, fill, p, radius)
            INK.line(target, a.name, (p[0], p[1] + radius + 2), small, panel=rect, anchor="midtop")
        for text, mid, role in labels:
            self._label(target, text, mid, small, role, rect)

    def _label(self, target, text, mid, size, role, rect) -> None:
        w, h = INK.surface(text, size, True, role).get_size()
        box = pygame.Rect(0, 0, w + 10, h + 2)
        box.center = mid
        box.clamp_ip(rect)
        pygame.draw.rect(target, colour("background"), box, border_radius=4)
        INK.line(target, text, box.center, size, bold=True, role=role, panel=rect, anchor="center")

    def draw_gauge(self, target: pygame.Surface, rect: pygame.Rect, size: int) -> None:
        """The tension gauge: a bar of cells up to the crisis line, the number in words beside it."""
        v = self.view
        if v is None:
            return
        crisis = max(v.crisis_at, 1)
        label = f"Tension {v.tension} of {crisis}"
        lab = INK.line(target, label, (rect.x, rect.centery), size, bold=True, panel=rect, anchor="midleft")
        bar = pygame.Rect(lab.right + size // 2, rect.y + rect.height // 4, 0, rect.height // 2)
        bar.width = max(rect.right - bar.x - size * 3, 40)
        cell = bar.width / crisis
        shown = self.shown_tension
        for i in range(crisis):
            r = pygame.Rect(round(bar.x + i * cell) + 1, bar.y, max(round(cell) - 2, 1), bar.height)
            frac = i / crisis
            role = "good" if frac < 0.4 else ("warn" if frac < 0.7 else "bad")
            if i < math.floor(shown + 1e-6):
                pygame.draw.rect(target, colour(role), r)
            elif i < shown:
                part = r.copy()
                part.width = max(round(r.width * (shown - i)), 1)
                pygame.draw.rect(target, colour(role), part)
            pygame.draw.rect(target, colour("panel_edge"), r, 1)
        # The crisis line: a thick bar and the word, so it reads without colour.
        x = bar.right + 2
        pygame.draw.line(target, colour("bad"), (x, rect.y + 2), (x, rect.bottom - 2), 4)
        INK.line(target, "crisis", (x + 6, rect.centery), max(18, size - 2), role="bad", panel=rect, anchor="midleft")
        for e in self.effects:
            if e.kind == "tension":
                INK.line(target, e.label, (bar.x + round(cell * shown), bar.y - 2), size, bold=True,
                         role="focus", panel=rect, anchor="midbottom")


def _dashed(target, col, p, q, width, pattern) -> None:
    """A line, solid or dashed (pattern: on, off in px)."""
    if pattern is None:
        pygame.draw.line(target, col, p, q, width)
        return
    on, off = pattern
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy)
    if length < 1:
        return
    ux, uy = dx / length, dy / length
    s = 0.0
    while s < length:
        e = min(s + on, length)
        pygame.draw.line(target, col, (p[0] + ux * s, p[1] + uy * s), (p[0] + ux * e, p[1] + uy * e), width)
        s += on + off


def _double(target, col, p, q, width) -> None:
    """Two parallel lines: a channel of high trust."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy) or 1
    nx, ny = -dy / length * width * 0.6, dx / length * width * 0.6
    half = max(width // 2, 2)
    for s in (1, -1):
        pygame.draw.line(target, col, (p[0] + nx * s, p[1] + ny * s), (q[0] + nx * s, q[1] + ny * s), half)
