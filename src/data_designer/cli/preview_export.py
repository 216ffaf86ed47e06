"""``preview --save-results``: a self-contained folder a user can open or share after the terminal is gone.

Layout under ``<artifact_path>/preview_results_<timestamp>/``: ``dataset.parquet``, ``report.html`` (when the
analysis is available), ``sample_records/record_<i>.html`` and ``sample_records_browser.html`` linking them. HTML
is rendered from the same Rich renderables the terminal shows, into a private recording console, so the user's
console is never switched into recording mode.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from data_designer.cli.render import record_renderable

__all__ = ["save_preview_results"]


def _fresh_dir(artifact_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
    base = artifact_path / f"preview_results_{stamp}"
    target, n = base, 1
    while target.exists():
        target = base.with_name(f"{base.name}_{n}")
        n += 1
    (target / "sample_records").mkdir(parents=True)
    return target


def _write_parquet(df: Any, path: Path) -> None:
    """Parquet as generated; columns pyarrow cannot type (mixed Python objects) are stored as JSON text."""
    try:
        df.to_parquet(path, index=False)
        return
    except Exception:  # pyarrow rejects mixed-type object columns; keep them readable instead of failing
        pass
    copy = df.copy()
    for name in copy.columns:
        if copy[name].dtype == object:
            copy[name] = copy[name].map(lambda v: v if isinstance(v, str) or v is None else json.dumps(v, default=str))
    copy.to_parquet(path, index=False)


def _save_html(renderable: Any, path: Path, *, width: int) -> None:
    recorder = Console(record=True, file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    recorder.print(renderable)
    recorder.save_html(str(path))


def _browser_page(names: list[str]) -> str:
    links = "\n".join(
        f'<li><a href="sample_records/{html.escape(n)}" target="record">{html.escape(n)}</a></li>' for n in names
    )
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Preview sample records</title></head>\n"
        "<body style='display:flex;font-family:sans-serif;margin:0'>\n"
        f"<ul style='width:14em;overflow:auto;height:100vh;margin:0;padding:1em 2em'>\n{links}\n</ul>\n"
        "<iframe name='record' style='flex:1;height:100vh;border:0' "
        f"src='sample_records/{html.escape(names[0]) if names else ''}'></iframe>\n</body></html>\n"
    )


def save_preview_results(
    results: Any, artifact_path: Path, *, column_types: Mapping[str, str] | None = None, display_width: int = 110
) -> Path:
    """Write the preview folder and return its path."""
    target = _fresh_dir(Path(artifact_path))
    _write_parquet(results.dataset, target / "dataset.parquet")
    if results.analysis is not None:
        quiet = Console(file=io.StringIO(), width=display_width)
        results.analysis.to_report(save_path=target / "report.html", console=quiet)
    names = []
    for index, record in enumerate(results.dataset.to_dict(orient="records")):
        name = f"record_{index}.html"
        _save_html(
            record_renderable(record, index=index, column_types=column_types),
            target / "sample_records" / name,
            width=display_width,
        )
        names.append(name)
    (target / "sample_records_browser.html").write_text(_browser_page(names), encoding="utf-8")
    return target
