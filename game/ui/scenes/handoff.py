"""The hand-off between two people: a full-screen blocker drawn from the public view only, with an optional PIN."""

from __future__ import annotations

import pygame

from game.ui.app import Scene
from game.ui.text import INK
from game.ui.theme import colour
from game.ui.widgets import Button, TextField


class HandoffScene(Scene):
    """'Pass to the DPRK player - ready?': nothing private is drawn here (the board scene tore its side down)."""

    def __init__(self, app, session, side: str, on_ready) -> None:
        super().__init__(app)
        self.session = session
        self.side = side
        self.on_ready = on_ready
        self.public = session.match.view("public")  # the room's view: no cards, no claims' truth, no drafts
        sc = session.match.scenario
        self.name = next(s.name for s in sc.sides if s.id == side)
        seat = session.match.seats[side]
        self.player = getattr(seat, "name", "") or ""
        self.pin = session.pin(side)
        self.message = ""

    def layout(self, size: tuple[int, int]) -> None:
        """The ready button (and the PIN box when the side set one) in the middle."""
        super().layout(size)
        w, h = size
        b = self.body
        bw, bh = min(w - 80, max(w // 3, 420)), round(b * 2.2)
        x = (w - bw) // 2
        y = round(h * 0.58)
        buttons: list[Button] = []
        if self.pin:
            self.pin_field = TextField("pin", "Type your PIN", pygame.Rect(x, y, bw, bh), size=b, limit=6,
                                       allowed="0123456789", secret=True)
            buttons.append(self.pin_field)
            y += bh + b
        buttons.append(Button("ready", "Ready - show my turn", pygame.Rect(x, y, bw, bh), self.ready, size=b + 2,
                              tooltip="Only when the other player cannot see the screen."))
        buttons.append(Button("menu", "Save and go to the menu", pygame.Rect(x, y + bh + b // 2, bw, bh),
                              self.to_menu, size=b))
        self.focus.set(buttons)
        if self.pin:
            self.focus.focus_key("pin")

    def ready(self) -> None:
        """Check the PIN if there is one, then hand the screen over."""
        if self.pin and self.pin_field.value != self.pin:
            self.message = "That is not the PIN set for this side. Try again."
            self.pin_field.value = ""
            return
        self.app.pop()
        self.on_ready(self.side)

    def to_menu(self) -> None:
        """Leave the match (it is autosaved) for the menu."""
        self.app.pop()
        self.app.pop()

    def back(self) -> None:
        """Esc: to the menu, as the button says."""
        self.to_menu()

    def draw(self, target: pygame.Surface) -> None:
        """The blocker: who to pass to, and the public state of the match."""
        target.fill(colour("background"))
        w, h = self.size
        b = self.body
        page = target.get_rect().inflate(-60, -20)
        v = self.public
        who = f" ({self.player})" if self.player else ""
        INK.line(target, f"Pass to the {self.name} player{who} - ready?", (w // 2, round(h * 0.2)), b * 2,
                 bold=True, anchor="midtop", panel=page)
        INK.line(target, "Ready? Press the button only when the other player cannot see the screen.",
                 (w // 2, round(h * 0.2) + b * 3), b, anchor="midtop", panel=page, role="muted")
        INK.line(target, f"Round {v.round} of {v.rounds} - tension {v.tension} of {v.crisis_at}",
                 (w // 2, round(h * 0.2) + b * 5), b, anchor="midtop", panel=page)
        if any(p.receiver == self.side for p in v.proposals):  # proposals are public once sent
            INK.line(target, "A proposal is waiting for their answer.", (w // 2, round(h * 0.2) + b * 7), b,
                     role="focus", anchor="midtop", panel=page)
        self.focus.draw(target)
        if self.message:
            INK.line(target, self.message, (w // 2, h - b * 3), b, role="warn", anchor="midtop", panel=page)
