"""What a draw is, in its tooltip, a part of ChartView (desktop.chart.view): value, time, role,
cycle and day, and the cell of the export it was read from."""

from __future__ import annotations

import pandas as pd

from analysis.figure import style
from analysis.model import Source

ROLE_WORDS = {**style.ROLE_LABEL, "outside": "Outside the analysis window"}


class DrawTooltips:
    """The tooltip of an ANC draw (mixed into ChartView)."""

    def _provenance(self, case) -> dict:
        where = {}
        for c in case.cycles:
            for d in c.draws:
                where.setdefault(d.time, (c.number, d.day))  # Timestamps hash like datetimes
            if c.pre is not None:
                where.setdefault(c.pre.time, (c.number, c.pre.day))
        return where

    def tooltip(self, key, role: str) -> str:
        """Value, time, role, cycle and day, and the source cell of one ANC draw."""
        anc = self.doc.case.anc
        if key is None or key not in anc.index:
            return ""
        row = anc.loc[key]
        when = pd.Timestamp(row["time"])
        censored = row["censored"] if isinstance(row["censored"], str) else ""
        lines = [f"ANC {censored}{row['value']:g} ×10³/µL", f"{when:%d %b %Y}" + ("" if row.get("date_only") else f" {when:%H:%M}")]
        if self._where is None:
            self._where = self._provenance(self.doc.case)
        cycle = self._where.get(when)
        role_text = ROLE_WORDS.get(role, role)
        lines.append(role_text + (f" · cycle {cycle[0]}, day {cycle[1]}" if cycle else ""))
        source = Source(str(row["file"]), str(row["sheet"]), int(row["row"]), str(row["column"]))
        lines.append(f"Source: {source.describe()}")
        if str(row["text"]) != f"{row['value']:g}":
            lines.append(f"As exported: {row['text']}")
        text = "\n".join(lines)
        self.hovered.emit(text.replace("\n", "  ·  "))
        return text
