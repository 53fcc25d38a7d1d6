"""Reading a person's typing and writing the screen, with `rich` on a terminal or plain text elsewhere.

Plain text (`--plain`, or output that is not a terminal) has no colour or
box drawing, so a screen reader reads it line by line. Input is read as bytes
and decoded here, so a stray non-UTF-8 byte gets a line of help rather than
a traceback, and the end of input is told apart from an empty line.
"""

from __future__ import annotations

import sys
from typing import BinaryIO, TextIO

# Home, clear the screen, and clear the scrollback: after a hand-off nothing of the other side is left to scroll to.
CLEAR_ALL = "\033[H\033[2J\033[3J"
SCREEN_CLEARED = "=" * 20 + " screen cleared " + "=" * 20


class EndOfInput(Exception):
    """The person's input ended (the terminal closed or Ctrl-D)."""


class Console:
    """Where the terminal front end reads and writes; rich styling only when writing to a real terminal."""

    def __init__(self, inp: BinaryIO | None = None, out: TextIO | None = None, *, plain: bool = False):
        self.inp = inp if inp is not None else sys.stdin.buffer
        self.out = out if out is not None else sys.stdout
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.plain = plain or not self.tty
        self._rich = None
        if not self.plain:
            from rich.console import Console as RichConsole

            self._rich = RichConsole(file=self.out, highlight=False, soft_wrap=True)

    def say(self, text: str = "", style: str | None = None) -> None:
        """Write one line (or several); `style` is a rich style, ignored in plain text."""
        if self._rich is not None:
            from rich.text import Text

            self._rich.print(Text(text, style=style or ""))
        else:
            self.out.write(text + "\n")
            self.out.flush()

    def heading(self, text: str) -> None:
        """A heading line: bold on a terminal, underlined with dashes in plain text."""
        if self._rich is not None:
            self.say(text, "bold")
        else:
            self.say(text)
            self.say("-" * min(len(text), 78))

    def ask(self, prompt: str) -> str:
        """Read one line; raises EndOfInput at the end of input, ValueError for bytes that are not UTF-8."""
        self.out.write(prompt)
        self.out.flush()
        raw = self.inp.readline()
        if not raw:
            raise EndOfInput()
        if not getattr(self.inp, "isatty", lambda: False)():
            self.out.write(raw.decode("utf-8", "replace").rstrip("\r\n") + "\n")  # piped typing: echo it
        text = raw.decode("utf-8")  # UnicodeDecodeError is a ValueError: the caller answers with help
        return text.strip().replace("\x00", "")

    def clear(self) -> None:
        """Clear the screen and the scrollback on a terminal; elsewhere mark the break with one line."""
        if self.tty:
            self.out.write(CLEAR_ALL)
            self.out.flush()
        else:
            self.say(SCREEN_CLEARED)
