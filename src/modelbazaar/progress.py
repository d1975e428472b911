"""One look for every long-running job: a rich progress bar with throughput and time left."""

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

console = Console(stderr=True)  # progress and notes: keeps stdout for results
out = Console()  # results a user may pipe


def progress_bar(*, disable: bool = False) -> Progress:
    """Columns: description, bar, done/total, free text (loss, tok/s), elapsed, time left.

    Example:
        with progress_bar() as bar:
            task = bar.add_task("train", total=100, info="")
            bar.update(task, advance=1, info="loss 2.31 · 3.1k tok/s")
    """
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
    )
