"""The acting panel: the action menu's groups as buttons, each group's moves with their rule, cost and reason."""

from __future__ import annotations

from typing import Callable

import pygame

from game.ui.text import INK, wrapped_height
from game.ui.theme import colour, font
from game.ui.widgets import Button

GROUP_LABELS = {"answer": "Answer", "settle": "Settle", "channels": "Channels", "deals": "Deals",
                "pressure": "Pressure", "intelligence": "Intelligence", "pass": "Pass"}
GROUP_KEYS = [pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4, pygame.K_5, pygame.K_6, pygame.K_7]


def entry_tooltip(e) -> str:
    """What the tooltip of a move says: its effect, its cost, its rule and, if greyed, why not."""
    cost = f"Costs {e.cost} action point." if e.cost == 1 else (f"Costs {e.cost} action points." if e.cost else "Free.")
    parts = [f"{e.effect[:1].upper()}{e.effect[1:]}." if e.effect else "", cost]
    if not e.legal:
        parts.insert(0, f"Not possible now: {e.reason}.")
    if e.rule:
        parts.append(f"Rule: {e.rule}")
    return " ".join(p for p in parts if p)


def short_reason(label: str, reason: str) -> str:
    """The reason without the words the label already says ('... on peace treaty - peace treaty needs ...')."""
    words = reason.split()
    for k in range(len(words) - 1, 0, -1):
        if " ".join(words[:k]).lower() in label.lower():
            return " ".join(words[k:])
    return reason


class ActingPanel:
    """Which group is open and which page of it; builds the buttons for a rect from the menu's entries."""

    def __init__(self) -> None:
        self.group: str | None = None
        self.page = 0
        self.notice_rect: pygame.Rect | None = None
        self.notice = ""

    def reset(self) -> None:
        """A new turn: open the first group again."""
        self.group = None
        self.page = 0

    def build(self, rect: pygame.Rect, entries, v, size: int, on_entry: Callable,
              on_change: Callable[[], None] = lambda: None) -> list[Button]:
        """The buttons inside `rect`: a waiting proposal first, the group row, then the open group's moves."""
        buttons: list[Button] = []
        groups = [g for g in GROUP_LABELS if any(e.group == g for e in entries)]
        if not groups:
            self.notice_rect = None
            return buttons
        if self.group not in groups:
            self.group = groups[0]
            self.page = 0
        y = rect.y
        waiting = next((p for p in v.proposals if p.receiver == v.side), None)
        self.notice = ""
        self.notice_rect = None
        if waiting is not None:
            who = next((s for s, _ in v.legitimacy if s != v.side), "")
            self.notice = f"Waiting for your answer: {waiting.text}"
            h = min(wrapped_height(self.notice, rect.width - 16, size), size * 5) + 12
            self.notice_rect = pygame.Rect(rect.x, y, rect.width, h)
            y += h + size // 2
        bh = round(size * 1.9)
        gap = max(6, size // 3)
        x = rect.x
        f = font(size)
        for n, g in enumerate(groups):
            label = f"{n + 1} {GROUP_LABELS[g]}"
            w = f.size(label)[0] + 24
            if x + w > rect.right and x > rect.x:
                x = rect.x
                y += bh + gap
            r = pygame.Rect(x, y, min(w, rect.width), bh)
            legal_any = any(e.legal for e in entries if e.group == g)
            buttons.append(Button(f"group:{g}", label, r, lambda g=g: (self._open(g), on_change()), size=size,
                                  selected=g == self.group, hotkey=GROUP_KEYS[n] if n < len(GROUP_KEYS) else None,
                                  tooltip=f"{GROUP_LABELS[g]}: " + ("moves you can make now." if legal_any
                                                                    else "nothing here is possible now.")))
            x += w + gap
        y += bh + gap * 2
        mine = [e for e in entries if e.group == self.group]
        rows = max((rect.bottom - y) // (bh + gap), 1)
        pages = max((len(mine) + rows - 1) // rows, 1)
        if len(mine) > rows:
            rows = max(rows - 1, 1)
            pages = (len(mine) + rows - 1) // rows
        self.page %= pages
        shown = mine[self.page * rows:(self.page + 1) * rows]
        for e in shown:
            cost = f"  ({e.cost} AP)" if e.cost else ""
            label = e.label + cost if e.legal else f"{e.label} - {short_reason(e.label, e.reason)}"
            buttons.append(Button(f"move:{e.key}", label, pygame.Rect(rect.x, y, rect.width, bh),
                                  (lambda e=e: on_entry(e)), enabled=e.legal, tooltip=entry_tooltip(e),
                                  size=max(18, size - 1)))
            y += bh + gap
        if pages > 1:
            buttons.append(Button("more", f"More moves (page {self.page + 1} of {pages})",
                                  pygame.Rect(rect.x, y, rect.width, bh), lambda: (self._next_page(), on_change()), size=max(18, size - 1),
                                  hotkey=pygame.K_m, tooltip="Show the next moves of this group (M)."))
        return buttons

    def _open(self, group: str) -> None:
        self.group = group
        self.page = 0

    def _next_page(self) -> None:
        self.page += 1

    def draw_notice(self, target: pygame.Surface, size: int) -> None:
        """The waiting proposal, boxed so it is the first thing the player sees."""
        if not self.notice_rect:
            return
        pygame.draw.rect(target, colour("background"), self.notice_rect, border_radius=6)
        pygame.draw.rect(target, colour("focus"), self.notice_rect, 2, border_radius=6)
        inner = self.notice_rect.inflate(-16, -12)
        INK.block(target, self.notice, inner, size, bold=True)
