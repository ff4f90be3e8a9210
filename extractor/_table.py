"""A record as a person reads it in a terminal (rich): one table per input, errors in red."""

from __future__ import annotations

from typing import IO

from extractor.pipeline import Extraction
from extractor.reconcile.evidence import FIELDS, shown


def write_table(out: IO[str], result: Extraction) -> None:
    """One input's record as a two-column table, or its error, written to ``out``."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, soft_wrap=False, highlight=False)
    if result.record is None:
        console.print(f"[bold]{result.source}[/bold]  [red]{result.error_type}[/red]: {result.error_message}")
        return
    table = Table(title=result.source, title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column("field", style="bold cyan", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name in FIELDS:
        value = getattr(result.record, name)
        if isinstance(value, list):
            text = ", ".join(shown(item) for item in value) if value else "—"
        else:
            text = "—" if value is None else shown(value)
        table.add_row(name, text)
    console.print(table)
    console.print()
