"""The window's loop: a stack of scenes, each with `handle`, `update(dt)` and `draw`, redrawn only when needed.

When nothing moves (no animation, no bot thinking, no pacing timer) the loop
sleeps in `pygame.event.wait` so an idle window costs almost no CPU; while
something animates it runs at 60 frames per second.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pygame

from game.ui.text import INK
from game.ui.theme import body_size, colour
from game.ui.widgets import Focus, draw_tooltip

if TYPE_CHECKING:
    from game.ui.settings import Settings

MIN_SIZE = (1024, 640)
FPS = 60


class Scene:
    """One screen: owns its buttons, turns events into moves or scene changes, draws from views only."""

    title = ""

    def __init__(self, app: "App") -> None:
        self.app = app
        self.focus = Focus()
        self.size = (0, 0)

    @property
    def body(self) -> int:
        """The body text size for the current window."""
        return body_size(self.size[1])

    def layout(self, size: tuple[int, int]) -> None:
        """Place the buttons for a window of this size (called on entry and on every resize)."""
        self.size = size

    def handle(self, event: pygame.event.Event) -> None:
        """A key or mouse event (Esc backs out by default)."""
        if self.focus.handle(event):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.back()

    def back(self) -> None:
        """What Esc does: leave this scene."""
        self.app.pop()

    def update(self, dt: float) -> bool:
        """Advance timers and animations by dt seconds; whether the scene is still moving (keep drawing)."""
        return False

    def draw(self, target: pygame.Surface) -> None:
        """Draw the whole scene."""
        target.fill(colour("background"))
        self.focus.draw(target)

    def draw_overlays(self, target: pygame.Surface) -> None:
        """The tooltip of the hovered or focused button, drawn last so nothing covers it."""
        b = self.focus.tooltip_button()
        if b is not None and (b.tooltip or not b.enabled):
            draw_tooltip(target, b, max(18, self.body - 2))

    def leave(self) -> None:
        """Called when the scene is removed: drop whatever it holds (the private panel tears itself down here)."""


class App:
    """The window and its scene stack."""

    def __init__(self, size: tuple[int, int] = (1280, 720), settings: "Settings | None" = None,
                 fullscreen: bool = False) -> None:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("Crossroads")
        self.fullscreen = fullscreen
        self.windowed_size = size
        self.screen = self._open(size)
        self.scenes: list[Scene] = []
        self.running = True
        self.dirty = True
        self.settings = settings
        self.clock = pygame.time.Clock()
        self.frames = 0

    def _open(self, size: tuple[int, int]) -> pygame.Surface:
        if self.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        size = (max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1]))
        return pygame.display.set_mode(size, pygame.RESIZABLE)

    @property
    def scene(self) -> Scene | None:
        """The scene on top (the only one drawn)."""
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene) -> None:
        """Show a scene on top of the others."""
        self.scenes.append(scene)
        scene.layout(self.screen.get_size())
        self.dirty = True

    def pop(self) -> None:
        """Leave the top scene; with none left the window closes."""
        if self.scenes:
            self.scenes.pop().leave()
        if not self.scenes:
            self.running = False
        elif self.scene is not None:
            self.scene.layout(self.screen.get_size())
        self.dirty = True

    def replace(self, scene: Scene) -> None:
        """Swap the top scene for another."""
        if self.scenes:
            self.scenes.pop().leave()
        self.push(scene)

    def home(self, scene: Scene) -> None:
        """Clear the stack down to its first scene (the menu), then show `scene` if it is not the menu."""
        while len(self.scenes) > 1:
            self.scenes.pop().leave()
        if scene is not self.scene:
            self.push(scene)
        else:
            scene.layout(self.screen.get_size())
        self.dirty = True

    def resize(self, size: tuple[int, int]) -> None:
        """Re-open the window at a new size and lay the scene out again."""
        self.windowed_size = size
        self.screen = self._open(size)
        if self.scene is not None:
            self.scene.layout(self.screen.get_size())
        self.dirty = True

    def toggle_fullscreen(self) -> None:
        """F11: full screen and back."""
        self.fullscreen = not self.fullscreen
        self.resize(self.windowed_size)

    def process(self, event: pygame.event.Event) -> None:
        """One event: quit, resize and F11 here; everything else to the scene on top."""
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE and not self.fullscreen:
            self.resize(event.size)
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        if event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWFOCUSGAINED, pygame.WINDOWRESTORED):
            self.dirty = True
        if self.scene is not None:
            self.scene.handle(event)
            self.dirty = True

    def frame(self, dt: float, events: list[pygame.event.Event] = ()) -> bool:
        """One turn of the loop: events, update, draw if anything changed; whether the scene is moving."""
        for event in events:
            self.process(event)
        scene = self.scene
        if scene is None:
            return False
        moving = scene.update(dt)
        if scene is not self.scene:  # the update changed scenes
            self.dirty = True
            return True
        if moving or self.dirty:
            scene.draw(self.screen)
            scene.draw_overlays(self.screen)
            pygame.display.flip()
            self.frames += 1
            self.dirty = False
        return moving

    def run(self) -> None:
        """The loop until the window closes: 60 fps while moving, asleep on the event queue while not."""
        moving = True
        while self.running and self.scenes:
            if moving:
                dt = self.clock.tick(FPS) / 1000
                events = pygame.event.get()
            else:
                first = pygame.event.wait(500)  # wake twice a second anyway, for timers
                events = ([first] if first.type != pygame.NOEVENT else []) + pygame.event.get()
                dt = self.clock.tick() / 1000
            moving = self.frame(min(dt, 0.1), events)
        while self.scenes:
            self.scenes.pop().leave()
        pygame.display.quit()


def recording():
    """The shared text recorder (tests switch it on to see every string drawn)."""
    return INK
