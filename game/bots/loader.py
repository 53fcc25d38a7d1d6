"""Bot file specs and loading a student's bot class from a file.

A spec names a Python file, optionally the class in it and its parameters:

    path/to/my_bot.py                   the one Bot class defined in the file
    path/to/my_bot.py:MyBot             the class MyBot
    path/to/my_bot.py:MyBot:depth=3,greedy=1
                                        MyBot(depth=3, greedy=1)
    C:\\bots\\my_bot.py:MyBot             Windows paths work too

The path is everything up to the first `.py` that is followed by `:` or by the
end of the spec, so a drive letter's colon never splits it. `parse_file_spec`
runs in the parent and only checks the spec and that the file exists; the
student's code is imported by `load_bot_class`, which only the sandbox child
calls, so a parent process never runs a student's code.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.bots.teach import close_name, looks_like_bot, method_problem

_SPEC = re.compile(r"^(?P<path>.+?\.py)(?::(?P<cls>[^:]*)(?::(?P<params>.*))?)?$", re.IGNORECASE | re.DOTALL)
_LOOKS_LIKE_FILE = re.compile(r"\.py(:|$)", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SPEC_SYNTAX = "path/to/file.py[:ClassName[:key=value,...]]"


@dataclass(frozen=True)
class FileSpec:
    """A bot spec that names a file: the resolved path, the class (None: the only one) and its parameters."""

    path: Path
    class_name: str | None
    params: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        """How records and tables name this bot: file name, class and parameters (no directories)."""
        text = self.path.name + (f":{self.class_name}" if self.class_name else "")
        if self.params:
            text += (":" if self.class_name else "::") + ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return text


class BotLoadError(Exception):
    """A bot file that cannot be loaded in the child: a one-line reason."""


def is_file_spec(spec: str) -> bool:
    """Whether a bot spec names a Python file (rather than a built-in bot)."""
    return bool(_LOOKS_LIKE_FILE.search(spec))


def split_file_spec(spec: str) -> tuple[str, str | None, str]:
    """Split a file spec into (path text, class name or None, parameter text); raises BotSpecError."""
    from game.bots import BotSpecError

    m = _SPEC.match(spec.strip())
    if m is None:
        raise BotSpecError(f"bad bot file spec {spec!r}: use {SPEC_SYNTAX}")
    cls = m.group("cls") or None
    if cls is not None and not _IDENTIFIER.match(cls):
        raise BotSpecError(f"bad class name {cls!r} in {spec!r}: use {SPEC_SYNTAX}")
    return m.group("path"), cls, m.group("params") or ""


def parse_file_spec(spec: str, *, cwd: Path | None = None) -> FileSpec:
    """Parse and check a file spec in the parent (syntax, file exists); raises BotSpecError in one line."""
    from game.bots import BotSpecError, parse_params

    raw_path, cls, params_text = split_file_spec(spec)
    path = Path(raw_path).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    if not path.exists():
        raise BotSpecError(f"bot file {raw_path} does not exist")
    if not path.is_file():
        raise BotSpecError(f"bot file {raw_path} is not a file")
    return FileSpec(path.resolve(), cls, parse_params(params_text))


def load_bot_class(path: Path, class_name: str | None) -> type:
    """Import a student's file and return its bot class (called only in the sandbox child); raises BotLoadError."""
    module_name = "crossroads_user_bot_" + re.sub(r"\W", "_", path.stem)
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # the student's helper modules sit beside the bot
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise BotLoadError(f"{path.name}: not a Python file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except BotLoadError:
        raise
    except SyntaxError as err:
        raise BotLoadError(f"{path.name} line {err.lineno}: syntax error: {err.msg}") from None
    except BaseException as err:  # noqa: BLE001 - anything the student's module does on import is a load error
        raise BotLoadError(f"{path.name}{_where(err, path)}: {_one_line(err)}") from None
    base = _bot_base()
    candidates = [obj for _, obj in inspect.getmembers(module, inspect.isclass)
                  if obj.__module__ == module_name and looks_like_bot(obj, base)]
    if class_name is None:
        if len(candidates) != 1:
            names = ", ".join(c.__name__ for c in candidates) or "none"
            raise BotLoadError(f"{path.name}: name the bot class ({path.name}:ClassName); "
                               f"bot classes in the file: {names}")
        cls = candidates[0]
    else:
        cls = getattr(module, class_name, None)
        if cls is None:
            near = close_name(class_name, [c.__name__ for c in candidates]
                              or [n for n, o in vars(module).items() if inspect.isclass(o)])
            names = ", ".join(c.__name__ for c in candidates) or "none"
            hint = f"did you mean {near!r}? " if near else ""
            raise BotLoadError(f"{path.name} has no class {class_name!r} ({hint}bot classes in the file: {names})")
        if not inspect.isclass(cls):
            raise BotLoadError(f"{path.name}: {class_name} is not a class; a bot is a class with a "
                               f"choose(self, view, legal, rng) method")
    problem = method_problem(cls, base, path.name)
    if problem is not None:
        raise BotLoadError(problem)
    return cls


def _bot_base() -> type | None:
    """The game's Bot class, whose own methods (the base's choose raises NotImplementedError) do not count."""
    try:
        from game.bots.base import Bot
    except ImportError:
        return None
    return Bot


def make_instance(cls: type, params: dict[str, Any], path: Path) -> Any:
    """Create the student's bot with its parameters; raises BotLoadError with one line."""
    try:
        return cls(**params)
    except BaseException as err:  # noqa: BLE001 - a constructor that fails is a load error, whatever it raises
        raise BotLoadError(f"{path.name}: {cls.__name__}({', '.join(f'{k}={v!r}' for k, v in params.items())})"
                           f"{_where(err, path)}: {_one_line(err)}") from None


def describe(cls: type) -> dict[str, Any]:
    """A bot class's name, one-line description and classifier, as the handshake reports them."""
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name.strip() or name == "bot":
        name = cls.__name__
    description = getattr(cls, "description", "")
    if not isinstance(description, str) or not description.strip():
        description = (inspect.getdoc(cls) or "").strip().splitlines()[0:1]
        description = description[0] if description else ""
    classifier = getattr(cls, "classifier", {})
    if not isinstance(classifier, dict):
        classifier = {}
    classifier = {str(k): bool(v) for k, v in classifier.items() if isinstance(v, bool)}
    return {"name": name.strip()[:60], "description": description.strip()[:200], "classifier": classifier}


def _one_line(err: BaseException) -> str:
    text = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return " ".join(text.split())[:300]


def _where(err: BaseException, path: Path) -> str:
    """' line N' for the deepest frame of the traceback that is in the student's file, or ''."""
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno
    return f" line {line}" if line else ""
