"""The records every part of Nadir passes around.

Plain frozen dataclasses and one tidy table layout, so that the importer, the cycle rules, the
figure description and the GUI agree on names without importing each other. Times are naive
``datetime``s in the lab's local time (EHR exports carry no zone; converting would move draws
across midnight and change "day 1").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# --- analytes -------------------------------------------------------------------------------

ANC = "ANC"  # absolute neutrophil count
WBC = "WBC"
NEUT_PCT = "NEUT_PCT"  # neutrophils (segmented, or total when that is all there is), % of WBC
BAND_PCT = "BAND_PCT"  # band neutrophils, % of WBC
LYMPH = "LYMPH"  # absolute lymphocytes
HGB = "HGB"
PLT = "PLT"

ANALYTES = (ANC, WBC, NEUT_PCT, BAND_PCT, LYMPH, HGB, PLT)

COUNT_UNIT = "10^3/uL"  # = 10^9/L; the canonical unit of every cell count
CANONICAL_UNIT = {
    ANC: COUNT_UNIT,
    WBC: COUNT_UNIT,
    LYMPH: COUNT_UNIT,
    PLT: COUNT_UNIT,
    NEUT_PCT: "%",
    BAND_PCT: "%",
    HGB: "g/dL",
}

# How analytes are named to people (tables, axis labels).
DISPLAY_NAME = {
    ANC: "ANC",
    WBC: "WBC",
    NEUT_PCT: "Neutrophils %",
    BAND_PCT: "Bands %",
    LYMPH: "Lymphocytes",
    HGB: "Hemoglobin",
    PLT: "Platelets",
}

# --- the observations table ----------------------------------------------------------------
#
# ``LabImport.observations`` is a pandas DataFrame with exactly these columns, sorted by time
# then analyte, one row per accepted result:
#
#   time         datetime64[ns]   collection time (midnight when the export has dates only)
#   analyte      str              one of ANALYTES
#   value        float            in CANONICAL_UNIT[analyte]; for censored results, the limit
#   unit         str              CANONICAL_UNIT[analyte]
#   censored     object           "<", ">" or None
#   flag         object           the lab's abnormal flag ("L", "H", "LL", ...) or None
#   derived      bool             True when computed (ANC from WBC x (seg% + band%))
#   text         str              the result exactly as exported ("0.3 L", "<0,1", "1200")
#   source_unit  str              the unit as exported ("cells/uL"), "" if none
#   date_only    bool             True when the export gave no time of day
#   file         str              file name (no folder)
#   sheet        str              sheet name ("" for CSV)
#   row          int              1-based row number as a spreadsheet shows it (for transposed
#                                 layouts, the analyte's row; ``column`` then says which draw)
#   column       str              the column letter of the value cell ("D"), for tracing back
#
OBSERVATION_COLUMNS = (
    "time",
    "analyte",
    "value",
    "unit",
    "censored",
    "flag",
    "derived",
    "text",
    "source_unit",
    "date_only",
    "file",
    "sheet",
    "row",
    "column",
)


@dataclass(frozen=True)
class Source:
    """Where a value came from, so every plotted point can be traced back."""

    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def describe(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return ", ".join(where)


@dataclass(frozen=True)
class SkippedRow:
    """A row that looked like a result but gave no number, with the reason in words."""

    source: Source
    text: str
    reason: str
    analyte: str | None = None


@dataclass(frozen=True)
class Detection:
    """What the importer decided about a file; the import assistant shows and edits it."""

    sheet: str
    header_row: int | None  # 1-based; None for headerless transposed blocks
    layout: str  # "long", "wide" or "transposed"
    columns: dict[str, str] = field(default_factory=dict)  # role -> header text
    analytes: dict[str, str] = field(default_factory=dict)  # name in file -> analyte code
    units: dict[str, str] = field(default_factory=dict)  # analyte -> unit as exported
    date_order: str | None = None  # "MDY", "DMY", "YMD" or None when no text dates
    date_system: int = 1900  # Excel epoch of serial numbers


@dataclass(frozen=True)
class LabImport:
    """The result of reading one lab export."""

    observations: object  # pandas.DataFrame with OBSERVATION_COLUMNS
    skipped: tuple[SkippedRow, ...] = ()
    warnings: tuple[str, ...] = ()
    patient: str | None = None  # identifier as text, never shown in exports
    patients: tuple[str, ...] = ()  # every patient seen in the file
    detection: Detection | None = None
    # analysis.importing.settings.LabImportSettings: the choices that read the file again the
    # same way (kept in a project); None only for a LabImport made by hand
    settings: object = None

    def series(self, analyte: str = ANC):
        """The rows of one analyte, in time order."""
        obs = self.observations
        return obs[obs["analyte"] == analyte].reset_index(drop=True)


# --- medication and events ------------------------------------------------------------------


@dataclass(frozen=True)
class Administration:
    """One dose given (one start of a dose, not each pump event)."""

    time: datetime
    product: str  # normalised product name, e.g. "IVIG (Privigen)"
    dose: float | None = None
    dose_unit: str = ""  # "g", "mg", "g/kg" ...
    medication: str = ""  # the medication text as exported
    weight_kg: float | None = None
    source: Source | None = None

    @property
    def dose_per_kg(self) -> float | None:
        """Dose in g/kg when the dose and the weight allow it."""
        if self.dose is None:
            return None
        unit = self.dose_unit.strip().lower()
        if unit in ("g/kg",):
            return self.dose
        if unit in ("mg/kg",):
            return self.dose / 1000.0
        if self.weight_kg:
            if unit == "g":
                return self.dose / self.weight_kg
            if unit == "mg":
                return self.dose / 1000.0 / self.weight_kg
        return None


@dataclass(frozen=True)
class Course:
    """Administrations at most 72 h apart (CYCLE-RULES rule 1)."""

    number: int  # 1-based over the whole record
    administrations: tuple[Administration, ...]

    @property
    def start(self) -> datetime:  # t0
        return self.administrations[0].time

    @property
    def last(self) -> datetime:  # t_last
        return self.administrations[-1].time

    @property
    def product(self) -> str:
        return self.administrations[0].product


EVENT_KINDS = ("infection", "fever", "gcsf", "medication", "hospitalisation", "other")


@dataclass(frozen=True)
class Event:
    """Something that happened to the patient, on a day or over a range of days."""

    kind: str  # one of EVENT_KINDS
    label: str
    start: datetime
    end: datetime | None = None  # inclusive; None for a single day or moment

    @property
    def stop(self) -> datetime:
        return self.end if self.end is not None else self.start


# --- cycles and the summary -----------------------------------------------------------------


@dataclass(frozen=True)
class Draw:
    """One ANC value placed in a cycle."""

    time: datetime
    value: float
    day: int
    censored: str | None = None


@dataclass(frozen=True)
class Cycle:
    """One treatment cycle under CYCLE-RULES.md."""

    number: int  # 1-based within the analysis window
    course: Course
    start: datetime  # t0
    end: datetime  # t0 of the next course, or start + median interval for the last
    pre: Draw | None = None
    post: Draw | None = None
    nadir: Draw | None = None
    recovery_day: int | None = None
    infection: bool = False
    included: bool = True  # kept in the summary (False for infection-affected by default)
    draws: tuple[Draw, ...] = ()  # every ANC draw in [start, end)
    left_out_by: tuple[str, ...] = ()  # the event kinds that left it out of the summary (rules)


@dataclass(frozen=True)
class Stat:
    median: float | None
    min: float | None
    max: float | None
    n: int
    # Values reported only as a limit ("<0.1") enter at their limit; how many did, so that no
    # report presents a median built on them as exact.
    censored: int = 0


@dataclass(frozen=True)
class Wilcoxon:
    """Paired Wilcoxon signed-rank test of pre against post over the kept cycles."""

    statistic: float | None
    p: float | None
    n: int
    method: str = ""  # "exact" or "approx"; empty when not computable
    note: str = ""  # why it was not computed, in words


@dataclass(frozen=True)
class Summary:
    pre: Stat
    post: Stat
    nadir: Stat
    wilcoxon: Wilcoxon
