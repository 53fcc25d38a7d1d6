"""Buttons with keyboard focus, tooltips and a reason when greyed out, and the panels they sit in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pygame

from game.ui.text import INK, wrap, wrapped_height
from game.ui.theme import colour


@dataclass
class Button:
    """A clickable, focusable label; when disabled it says why in its tooltip."""

    key: str
    label: str
    rect: pygame.Rect
    on_click: Callable[[], None] | None = None
    enabled: bool = True
    tooltip: str = ""
    hotkey: int | None = None
    size: int = 20
    selected: bool = False
    hold: bool = False          # a hold-to-reveal button: pressed while the mouse or its key is held down
    held: bool = field(default=False, init=False)
    role: str = "text"

    def draw(self, target: pygame.Surface, focused: bool, hovered: bool) -> None:
        """The button, its label fitted inside, a yellow ring when it has the keyboard focus."""
        bg = "button_off" if not self.enabled else ("button_hover" if hovered or self.held else "button")
        if self.selected:
            bg = "accent"
        pygame.draw.rect(target, colour(bg), self.rect, border_radius=6)
        pygame.draw.rect(target, colour("panel_edge"), self.rect, 1, border_radius=6)
        if focused:
            pygame.draw.rect(target, colour("focus"), self.rect.inflate(4, 4), 3, border_radius=8)
        inner = self.rect.inflate(-16, -4)
        role = "muted" if not self.enabled else ("background" if self.selected else self.role)
        INK.line(target, self.label, (inner.x, self.rect.centery), self.size, role=role, panel=inner,
                 anchor="midleft", bold=self.selected)


class Focus:
    """A scene's buttons in keyboard order: Tab and the arrows move, Enter or Space presses, the mouse hovers."""

    def __init__(self) -> None:
        self.buttons: list[Button] = []
        self.index = 0
        self.hover: Button | None = None
        self._pressed: Button | None = None
        self.keyboard = False  # the ring shows once the keyboard is used, as in most games

    def set(self, buttons: list[Button]) -> None:
        """Replace the buttons (after a layout), keeping the focus on the same key where it still exists."""
        old = self.buttons[self.index].key if self.buttons and self.index < len(self.buttons) else None
        self.buttons = buttons
        keys = [b.key for b in buttons]
        self.index = keys.index(old) if old in keys else 0
        self.hover = None

    @property
    def current(self) -> Button | None:
        """The focused button."""
        return self.buttons[self.index] if self.buttons and self.index < len(self.buttons) else None

    def focus_key(self, key: str) -> None:
        """Put the focus on the button with this key, if there is one."""
        for n, b in enumerate(self.buttons):
            if b.key == key:
                self.index = n

    def handle(self, event: pygame.event.Event) -> bool:
        """Take a key or mouse event if it is for the buttons; whether it was used."""
        if event.type == pygame.MOUSEMOTION:
            self.hover = next((b for b in self.buttons if b.rect.collidepoint(event.pos)), None)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = next((b for b in self.buttons if b.rect.collidepoint(event.pos)), None)
            self._pressed = hit
            if hit is not None:
                self.index = self.buttons.index(hit)
                hit.held = hit.hold
                return True
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            hit, self._pressed = self._pressed, None
            for b in self.buttons:
                b.held = False
            if hit is not None and hit.rect.collidepoint(event.pos) and not hit.hold:
                self._activate(hit)
                return True
            return hit is not None
        if event.type == pygame.KEYDOWN:
            cur = self.current
            if isinstance(cur, TextField) and event.key not in (pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER,
                                                                pygame.K_ESCAPE, pygame.K_UP, pygame.K_DOWN):
                if cur.type(event):
                    return True
            for b in self.buttons:
                if b.hotkey is not None and event.key == b.hotkey:
                    self.index = self.buttons.index(b)
                    if b.hold:
                        b.held = True
                    else:
                        self._activate(b)
                    return True
            if not self.buttons:
                return False
            if event.key in (pygame.K_TAB, pygame.K_DOWN, pygame.K_RIGHT):
                back = event.key == pygame.K_TAB and event.mod & pygame.KMOD_SHIFT
                self.index = (self.index + (-1 if back else 1)) % len(self.buttons)
                self.keyboard = True
                return True
            if event.key in (pygame.K_UP, pygame.K_LEFT):
                self.index = (self.index - 1) % len(self.buttons)
                self.keyboard = True
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and self.current:
                if isinstance(self.current, TextField):
                    self.index = (self.index + 1) % len(self.buttons)
                    return True
                self.keyboard = True
                if self.current.hold:
                    self.current.held = True
                else:
                    self._activate(self.current)
                return True
        if event.type == pygame.KEYUP:
            for b in self.buttons:
                if b.held and (event.key == b.hotkey or event.key in (pygame.K_RETURN, pygame.K_SPACE)):
                    b.held = False
                    return True
        return False

    def _activate(self, b: Button) -> None:
        if b.enabled and b.on_click is not None:
            b.on_click()

    def draw(self, target: pygame.Surface) -> None:
        """Every button, the focused one ringed."""
        cur = self.current
        for b in self.buttons:
            b.draw(target, (self.keyboard or isinstance(b, TextField)) and b is cur, b is self.hover)

    def tooltip_button(self) -> Button | None:
        """The button whose tooltip shows: the hovered one, else the keyboard-focused one."""
        if self.hover is not None:
            return self.hover
        return self.current if self.keyboard else None


def panel(target: pygame.Surface, rect: pygame.Rect, title: str = "", size: int = 20, *,
          edge: str = "panel_edge", box: bool = True) -> pygame.Rect:
    """A panel with an optional title; the inner rect that its content must stay in.

    With box=False only the title is drawn (the box is already on a cached backdrop).
    """
    if box:
        pygame.draw.rect(target, colour("panel"), rect, border_radius=8)
        pygame.draw.rect(target, colour(edge), rect, 2 if edge != "panel_edge" else 1, border_radius=8)
    pad = max(8, size // 2)
    inner = rect.inflate(-2 * pad, -2 * pad)
    if title:
        INK.line(target, title, inner.topleft, size, bold=True, role="accent", panel=inner)
        step = round(size * 1.4)
        inner = pygame.Rect(inner.x, inner.y + step, inner.width, max(inner.height - step, 0))
    return inner


def draw_tooltip(target: pygame.Surface, button: Button, size: int) -> None:
    """A box under (or above) the button with its rule, cost and, when greyed, the reason."""
    text = button.tooltip if button.enabled else (button.tooltip or "")
    if not text:
        return
    screen = target.get_rect()
    width = min(max(screen.width // 3, 320), screen.width - 20)
    pad = 10
    h = min(wrapped_height(text, width - 2 * pad, size), screen.height // 2) + 2 * pad
    box = pygame.Rect(0, 0, width, h)
    box.topleft = (button.rect.x, button.rect.bottom + 6)
    if box.bottom > screen.bottom - 4:
        box.bottom = button.rect.y - 6
    box.clamp_ip(screen.inflate(-8, -8))
    pygame.draw.rect(target, colour("background"), box, border_radius=6)
    pygame.draw.rect(target, colour("focus"), box, 2, border_radius=6)
    inner = box.inflate(-2 * pad, -2 * pad)
    INK.block(target, text, inner, size)


def stack(x: int, y: int, width: int, height: int, count: int, gap: int) -> list[pygame.Rect]:
    """`count` rects of one size stacked down from (x, y)."""
    return [pygame.Rect(x, y + n * (height + gap), width, height) for n in range(count)]


def lines_needed(text: str, width: int, size: int) -> int:
    """How many lines the text wraps to at this width."""
    return len(wrap(text, width, size))


@dataclass
class TextField(Button):
    """A one-line text box in the focus order: type while it has the focus, Backspace deletes."""

    value: str = ""
    limit: int = 40
    allowed: str = ""       # when set, only these characters may be typed (digits for a seed or a PIN)
    secret: bool = False

    def type(self, event: pygame.event.Event) -> bool:
        """Take a key press meant for the box; whether it was used."""
        if event.key == pygame.K_BACKSPACE:
            self.value = self.value[:-1]
            return True
        ch = event.unicode
        if ch and ch.isprintable() and len(self.value) < self.limit and (not self.allowed or ch in self.allowed):
            self.value += ch
            return True
        return False

    def draw(self, target: pygame.Surface, focused: bool, hovered: bool) -> None:
        """The label above-left, the box with its text and a caret while focused."""
        pygame.draw.rect(target, colour("background"), self.rect, border_radius=4)
        pygame.draw.rect(target, colour("focus" if focused else "panel_edge"), self.rect, 3 if focused else 1,
                         border_radius=4)
        inner = self.rect.inflate(-16, -4)
        shown = "•" * len(self.value) if self.secret else self.value
        text = shown + ("|" if focused else "")
        if not shown and not focused:
            INK.line(target, self.label, (inner.x, self.rect.centery), self.size, role="muted", panel=inner,
                     anchor="midleft")
        elif text:
            INK.line(target, text, (inner.x, self.rect.centery), self.size, panel=inner, anchor="midleft")
