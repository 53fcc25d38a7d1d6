"""The rules, readable in the window: the one-page quick start first, then the student rulebook."""

from __future__ import annotations

import re
from pathlib import Path

import pygame

from game.ui.app import Scene
from game.ui.text import INK, wrap
from game.ui.theme import ASSETS, colour
from game.ui.widgets import Button, panel

RULEBOOK = Path(__file__).resolve().parents[3] / "rules" / "RULES.md"


def rule_lines(width: int, size: int) -> list[tuple[str, str]]:
    """(style, line) pairs of the quick start and the rulebook, wrapped to `width` px (headings bold)."""
    parts = []
    for path in (ASSETS / "quickstart.md", RULEBOOK):
        try:
            parts.append(path.read_text(encoding="utf-8"))
        except OSError:
            parts.append(f"(missing: {path.name})")
    out: list[tuple[str, str]] = []
    for raw in _paragraphs("\n\n".join(parts)):
        line = raw.rstrip().replace("**", "").replace("`", "")
        if line.startswith("#"):
            if out and out[-1][0] != "gap":
                out.append(("gap", ""))
            out += [("head", w) for w in wrap(line.lstrip("# "), width, size + 4, True)]
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            line = "   ".join(cells)
        stripped = line.lstrip()
        indent = "    " * ((len(line) - len(stripped)) // 2)
        item = stripped.startswith("- ") or re.match(r"\d+\. ", stripped) is not None
        if stripped.startswith("- "):
            stripped = "• " + stripped[2:]
        hang = "  " if item else ""
        if not stripped:
            if out and out[-1][0] != "gap":
                out.append(("gap", ""))
            continue
        out += [("text", indent + w if n == 0 else indent + hang + w)
                for n, w in enumerate(wrap(stripped, width - size * 2, size))]
    return out


def _paragraphs(text: str) -> list[str]:
    """Markdown's lines joined into paragraphs and list items (a line break inside one is not a new line)."""
    out: list[str] = []
    for line in text.splitlines():
        body = line.strip()
        starts = body.startswith(("#", "|", "- ", "* ")) or re.match(r"\d+\. ", body) is not None
        prev = out[-1].strip() if out else ""
        if body and not starts and prev and not prev.startswith(("#", "|")):
            out[-1] = out[-1].rstrip() + " " + body
        else:
            out.append(line)
    return out


class RulesScene(Scene):
    """Scroll with the wheel, the arrows, Page Up/Down, Home and End; Esc goes back."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.top_line = 0
        self.lines: list[tuple[str, str]] = []

    def layout(self, size: tuple[int, int]) -> None:
        """Re-wrap the text for this width; a Back button at the foot."""
        super().layout(size)
        w, h = size
        b = self.body
        mg = max(10, w // 60)
        bh = round(b * 1.9)
        self.box = pygame.Rect(mg, mg, w - 2 * mg, h - 3 * mg - bh)
        inner = self.box.inflate(-2 * max(8, b // 2), -2 * max(8, b // 2))
        self.inner = inner
        self.lines = rule_lines(inner.width, b)
        self.step = round(b * 1.3)
        self.rows = max(inner.height // self.step, 1)
        self.top_line = min(self.top_line, max(len(self.lines) - self.rows, 0))
        self.focus.set([Button("back", "Back (Esc)", pygame.Rect(mg, h - mg - bh, 240, bh), self.app.pop, size=b),
                        Button("down", "Next page (Page Down)", pygame.Rect(mg * 2 + 240, h - mg - bh, 360, bh),
                               lambda: self.scroll(self.rows - 1), size=b)])

    def scroll(self, n: int) -> None:
        """Move the text by n lines."""
        self.top_line = max(0, min(self.top_line + n, max(len(self.lines) - self.rows, 0)))

    def handle(self, event: pygame.event.Event) -> None:
        """Scrolling keys and the wheel; the rest as any scene."""
        keys = {pygame.K_PAGEDOWN: self.rows - 1, pygame.K_PAGEUP: -(self.rows - 1), pygame.K_HOME: -10**6,
                pygame.K_END: 10**6}
        if event.type == pygame.KEYDOWN and event.key in keys:
            self.scroll(keys[event.key])
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_DOWN, pygame.K_UP):
            self.scroll(3 if event.key == pygame.K_DOWN else -3)
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll(-3 * event.y)
            return
        super().handle(event)

    def draw(self, target: pygame.Surface) -> None:
        """The visible lines and where they are in the whole."""
        target.fill(colour("background"))
        b = self.body
        panel(target, self.box, "", b)
        y = self.inner.y
        for style, text in self.lines[self.top_line:self.top_line + self.rows]:
            if style == "head":
                INK.line(target, text, (self.inner.x, y), b + 4, bold=True, role="accent", panel=self.inner)
            elif text:
                INK.line(target, text, (self.inner.x, y), b, panel=self.inner)
            y += self.step
        shown = min(self.top_line + self.rows, len(self.lines))
        INK.line(target, f"lines {self.top_line + 1}-{shown} of {len(self.lines)}",
                 (self.size[0] - 20, self.size[1] - b * 2), max(18, b - 2), role="muted", anchor="topright")
        self.focus.draw(target)
