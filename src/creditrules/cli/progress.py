"""A progress bar for long runs, shown on a terminal only.

Commands that take a while (``test`` over many files, ``render``, a nightly ``batch``)
use ``progress``: it draws a rich progress bar on stderr when stderr is a terminal, and
does nothing at all otherwise, so piped output, logs and golden transcripts never contain
it. The bar is transient: it disappears when the run ends, leaving only the command's
own output. ::

    with progress("评估案件 / evaluating cases", total=len(cases)) as bar:
        for case in cases:
            ...
            bar.advance()

Library code reports its progress as ``on_progress(done, total)`` callbacks; ``bar.update``
has that signature, so ``run_paths(..., on_progress=bar.update)`` works directly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class Bar:
    """Where a run reports how far it is. Without a terminal every call is a no-op."""

    def __init__(self, rich_progress: Progress | None, task: TaskID | None) -> None:
        self._progress = rich_progress
        self._task = task

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn (stderr is a terminal)."""
        return self._progress is not None

    def advance(self, steps: int = 1) -> None:
        """``steps`` more units are done."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, steps)

    def update(self, done: int, total: int | None = None) -> None:
        """``done`` of ``total`` units are done (``total`` may be learnt late)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=total)


def on_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is an interactive terminal (not a pipe, file or capture)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class RateColumn(ProgressColumn):
    """Units done per second (``1,234 件/s``), as rich estimates the speed."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("–" if speed is None else f"{speed:,.0f} {self.unit}/s")


@contextmanager
def progress(
    description: str,
    *,
    total: int | None = None,
    stream: TextIO | None = None,
    rate: str | None = None,
) -> Iterator[Bar]:
    """A progress bar on ``stream`` (stderr by default) while the block runs; ``rate``
    names the unit whose rate per second is shown (e.g. ``"件"``).

    Drawn only when ``stream`` is a terminal; rich's own terminal detection is not used
    because it also honours ``FORCE_COLOR``/``TTY_COMPATIBLE``, which would put the bar
    into captured output.
    """
    out = sys.stderr if stream is None else stream
    if not on_terminal(out):
        yield Bar(None, None)
        return
    console = Console(file=out, force_terminal=True, stderr=out is sys.stderr)
    columns: tuple[ProgressColumn, ...] = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *((RateColumn(rate),) if rate else ()),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield Bar(bar, task)
