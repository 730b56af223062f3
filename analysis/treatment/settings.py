"""The choices that reproduce an infusion-record import and an events import.

As for the lab export (:mod:`analysis.importing.settings`), each reader returns the settings it
read with, the automatic decisions included (the drug it chose, the patient whose rows it
kept), and takes them back, so that a project replays them. Every field has a default meaning
"decide from the file": a later version adds a field (column roles, a sheet) without breaking
a saved project.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InfusionImportSettings:
    """How to read a medication-administration record (MAR)."""

    product: str | None = None  # the drug analysed ("IVIG", a brand, any name in the file)
    patient: str | None = None
    date_order: str | None = None  # "MDY", "DMY" or "YMD" for text dates that read both ways
    include_premedication: bool = False
    # Column roles the user named ("drug" -> "Order Description"); the others are read by content.
    columns: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int | None = None  # 1-based row of the column headings, when the user chose it
    # Action or status words the user said the meaning of in the assistant ("Gegeben (ext.)" ->
    # "start"): words Nadir does not know, or reads otherwise than this hospital writes them.
    actions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventImportSettings:
    """How to read a table of events."""

    date_order: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # role ("start", "label", ...) -> heading
    sheet: str | None = None
    header_row: int | None = None  # 1-based, when the user chose it
