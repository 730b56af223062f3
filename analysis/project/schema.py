"""The declared shape of a ``.nadir`` project file (format 2): types, ranges and sizes.

A project file is JSON that anyone can edit, copy half-way or damage, so nothing in it reaches
the cycle rules or the figure code before it is checked against this schema. pydantic 2 rather
than cattrs: the constraints are declared next to the fields (``ge``, ``le``, ``max_length``,
literals) instead of written as hand validators, every violation comes with the path of the
field it concerns (``figure.width_mm``, ``events.3.start``), and its Rust JSON parser reads
deep nesting and 5,000-digit numbers without recursion errors. Strict mode: a text where a
number belongs is an error, not a silent conversion (dates are the exception, being ISO text
in JSON).

:func:`validate` turns the first violation into one :class:`~analysis.errors.InputError`
naming the project file and the field in words ("the figure width (figure.width_mm) must be
between 20 and 500 mm, not 5000"). Keys the schema does not know (a later version's) are
ignored, so a newer minor addition still opens.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analysis.errors import InputError
from analysis.figure.settings import FigureSettings
from analysis.importing.limits import FIRST_YEAR, LAST_YEAR  # the years a date can have, one home
from analysis.model import ANALYTES, EVENT_KINDS
from analysis.project.limits import FORMAT, LIMITS, VERSION

MAX_TEXT = 500  # labels, medication texts, header texts
MAX_NAME = 255  # file and sheet names
MAX_PATH = 4096
MAX_ITEMS = 100_000  # administrations, events, exclusions: a lifetime of weekly infusions is 5,000



def _limited(name: str, kind=float):
    lo, hi, _unit, title = LIMITS[name]
    return Annotated[kind, Field(ge=lo, le=hi, title=title)]


Text = Annotated[str, Field(max_length=MAX_TEXT)]
HeaderRow = Annotated[int, Field(ge=LIMITS["header_row"][0], le=LIMITS["header_row"][1], title=LIMITS["header_row"][3])]
Name = Annotated[str, Field(max_length=MAX_NAME)]
DateOrder = Literal["MDY", "DMY", "YMD"]
Day = Annotated[date, Field(strict=False)]  # ISO text in JSON
Moment = Annotated[datetime, Field(strict=False)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False, frozen=True)


def _in_years(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must be a date between {FIRST_YEAR} and {LAST_YEAR}")
    return value


class SourceModel(_Model):
    path: Annotated[str, Field(min_length=1, max_length=MAX_PATH, pattern=r"^[^\x00]*$")]
    name: Name = ""
    relative: Annotated[str, Field(max_length=MAX_PATH, pattern=r"^[^\x00]*$")] | None = None  # from the project's folder
    sha256: Annotated[str, Field(pattern=r"^([0-9a-f]{64})?$")] = ""


class LabImportModel(_Model):
    sheet: Name | None = None
    header_row: _limited("header_row", int) | None = None
    layout: Literal["long", "wide", "transposed"] | None = None
    columns: Annotated[dict[Annotated[str, Field(max_length=40)], Text], Field(max_length=50)] = {}
    mapping: Annotated[dict[Text, Literal[(*ANALYTES, "")]], Field(max_length=1000)] = {}
    date_order: DateOrder | None = None
    patient: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    dictionary: Annotated[str, Field(min_length=1, max_length=MAX_PATH, pattern=r"^[^\x00]*$")] | None = None


class InfusionImportModel(_Model):
    product: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)] | None = None
    patient: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    date_order: DateOrder | None = None
    include_premedication: bool = False
    columns: Annotated[dict[Annotated[str, Field(max_length=40)], Text], Field(max_length=50)] = {}
    sheet: Name | None = None
    header_row: HeaderRow | None = None
    actions: Annotated[dict[Text, Literal["start", "part", "not given", "no dose", "return"]],
                       Field(max_length=1000)] = {}


class EventImportModel(_Model):
    date_order: DateOrder | None = None
    columns: Annotated[dict[Annotated[str, Field(max_length=40)], Text], Field(max_length=50)] = {}
    sheet: Name | None = None
    header_row: HeaderRow | None = None


class ImportModel(_Model):
    labs: LabImportModel = LabImportModel()
    infusions: InfusionImportModel | None = None
    events: EventImportModel | None = None


class RulesModel(_Model):
    course_gap_hours: _limited("course_gap_hours") = 72
    pre_window_hours: _limited("pre_window_hours") = 72
    post_window_hours: _limited("post_window_hours") = 48
    exclude_infection: bool = True
    leave_out: Annotated[list[Literal["fever", "gcsf", "medication", "hospitalisation", "other"]],
                         Field(max_length=6)] = []


class CellModel(_Model):
    file: Name
    sheet: Name = ""
    row: _limited("row", int) | None = None
    column: Annotated[str, Field(max_length=10)] = ""


class AdministrationModel(_Model):
    time: Moment
    product: Text = ""
    dose: _limited("dose") | None = None
    dose_unit: Annotated[str, Field(max_length=20)] = ""
    medication: Text = ""
    weight_kg: _limited("weight_kg") | None = None
    source: CellModel | None = None

    @field_validator("time")
    @classmethod
    def _years(cls, value):
        return _in_years(value)


class EventModel(_Model):
    kind: Literal[EVENT_KINDS]
    label: Text = ""
    start: Moment
    end: Moment | None = None

    @field_validator("start", "end")
    @classmethod
    def _years(cls, value):
        return _in_years(value)

    @model_validator(mode="after")
    def _ordered(self):
        if self.end is not None and self.end < self.start:
            raise ValueError("an event cannot end before it starts")
        return self


class ExclusionModel(_Model):
    file: Name
    row: _limited("row", int)
    column: Annotated[str, Field(max_length=10)] = ""
    reason: Annotated[str, Field(max_length=2000)] = ""


class LabelModel(_Model):
    """One label the user reworded, moved or hid (analysis.figure.labels.LabelOverride)."""

    id: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    text: Annotated[str, Field(max_length=2000)] = ""  # the statistics block has several lines
    original: Annotated[str, Field(max_length=2000)] = ""
    dx_mm: Annotated[float, Field(ge=-500, le=500)] = 0.0
    dy_mm: Annotated[float, Field(ge=-500, le=500)] = 0.0
    hidden: bool = False


# The defaults have one home, FigureSettings: a field left out of the file (or added by a later
# version) reads as the figure's own default. (Reading a project builds a figure anyway, so the
# figure package is loaded here rather than later.)
_FIGURE = FigureSettings()


class FigureModel(_Model):
    """FigureSettings as saved: every field of it, with its type and range (a test holds them together)."""

    width_mm: _limited("width_mm") = _FIGURE.width_mm
    height_mm: _limited("height_mm") = _FIGURE.height_mm
    dpi: _limited("dpi", int) = _FIGURE.dpi
    preset: Annotated[str, Field(max_length=40)] = _FIGURE.preset
    panel_b: Annotated[str, Field(pattern=r"^(auto|cycle:[1-9][0-9]{0,3}|overlay|none)$")] = _FIGURE.panel_b
    axis: Literal["days", "dates"] = "days"
    show_severity: bool = _FIGURE.show_severity
    show_reference_range: bool = _FIGURE.show_reference_range
    reference_range: Annotated[list[Annotated[float, Field(ge=0, le=1000)]], Field(min_length=2, max_length=2)] | None = None
    show_duffy: bool = _FIGURE.show_duffy
    show_stats_text: bool = _FIGURE.show_stats_text
    show_cycle_numbers: bool = _FIGURE.show_cycle_numbers
    log_y: bool = _FIGURE.log_y
    font_pt: _limited("font_pt") = _FIGURE.font_pt
    palette: Annotated[str, Field(max_length=40)] = _FIGURE.palette
    font: Annotated[str, Field(max_length=100)] = _FIGURE.font
    colour: Literal["rgb", "cmyk", "grey"] = "rgb"
    # Format graph (FigureSettings): None / "" is the automatic choice.
    y_max: Annotated[float, Field(gt=0, le=1000)] | None = _FIGURE.y_max
    y_step: Annotated[float, Field(gt=0, le=1000)] | None = _FIGURE.y_step
    y_title: Annotated[str, Field(max_length=200)] = _FIGURE.y_title
    x_title: Annotated[str, Field(max_length=200)] = _FIGURE.x_title
    marker_scale: Annotated[float, Field(ge=0.2, le=5)] = _FIGURE.marker_scale
    line_scale: Annotated[float, Field(ge=0.2, le=5)] = _FIGURE.line_scale
    labels: Annotated[list[LabelModel], Field(max_length=500)] = []

    @field_validator("reference_range")
    @classmethod
    def _range_ordered(cls, value):
        if value is not None and value[0] >= value[1]:
            raise ValueError("the lower limit of the reference range must be below the upper one")
        return value


class ProjectModel(_Model):
    format: Literal[FORMAT]
    version: Literal[VERSION]
    saved: Moment | None = None
    sources: Annotated[dict[Literal["labs", "infusions", "events"], SourceModel], Field(max_length=3)]
    import_: ImportModel = Field(ImportModel(), alias="import")
    window: Annotated[list[Day | None], Field(min_length=2, max_length=2)] = [None, None]
    rules: RulesModel = RulesModel()
    administrations: Annotated[list[AdministrationModel], Field(max_length=MAX_ITEMS)] | None = None
    events: Annotated[list[EventModel], Field(max_length=MAX_ITEMS)] = []
    exclusions: Annotated[list[ExclusionModel], Field(max_length=MAX_ITEMS)] = []
    figure: FigureModel = FigureModel()
    origin: Annotated[str, Field(max_length=MAX_PATH)] | None = None

    @field_validator("saved")
    @classmethod
    def _saved_years(cls, value):
        return _in_years(value)

    @field_validator("window")
    @classmethod
    def _window(cls, value):
        lo, hi = (_in_years(v) for v in value)
        if lo is not None and hi is not None and lo > hi:
            raise ValueError("the analysis window ends before it starts")
        return value

    @field_validator("sources")
    @classmethod
    def _labs(cls, value):
        if "labs" not in value:
            raise ValueError("names no lab export")
        return value


# --- one plain sentence per violation ------------------------------------------------------------


def validate(data, path: Path) -> ProjectModel:
    """The project model of ``data`` (parsed JSON), or InputError naming ``path`` and the field."""
    try:
        return ProjectModel.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"is damaged or was changed by hand: {describe(exc.errors()[0])}",
            path,
            "Open the recovery copy if Nadir offers one, or start again from the lab export.",
        ) from None


def _where(loc: tuple) -> str:
    parts = [("import" if p == "import_" else str(p)) for p in loc if not str(p).startswith("function-")]
    # pydantic adds the member type tried for an optional value ("int", "none"): not a field
    parts = [p for p in parts if p not in ("int", "float", "str", "bool", "none", "list", "dict", "tuple")
             and not p.startswith(("constrained-", "literal[", "literal-"))]
    return ".".join(parts) or "the file"


def _shown(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


_WANTED = (  # pydantic error type prefix -> what the field holds, in words (longest prefix first)
    ("datetime", "a date and time (YYYY-MM-DDTHH:MM)"), ("date", "a date (YYYY-MM-DD)"),
    ("model", "a group of settings"), ("dict", "a group of settings"), ("list", "a list"),
    ("tuple", "a list"), ("int", "a whole number"), ("float", "a number"), ("string", "text"),
    ("bool", "true or false"),
)


def describe(error: dict) -> str:
    """One violation in words: what, where, what it must be, what it is."""
    loc = tuple(error.get("loc", ()))
    where = _where(loc)
    kind = error.get("type", "")
    value = error.get("input")
    names = [str(p) for p in loc if isinstance(p, str)]
    limit = LIMITS.get(names[-1]) if names else None
    if limit is not None and kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        lo, hi, unit, title = limit
        unit = f" {unit}" if unit else ""
        return f"{title} ({where}) must be between {lo:g} and {hi:g}{unit}, not {_shown(value)}"
    if kind == "missing":
        return f"{where} is missing"
    if kind in ("string_too_long", "too_long"):
        return f"{where} is too long ({error.get('msg', '').lower()})"
    if kind == "value_error":
        return f"{where}: {str(error.get('msg', '')).removeprefix('Value error, ')}"
    if kind == "string_pattern_mismatch":
        return f"{where} is not a value Nadir writes ({_shown(value)})"
    if kind == "literal_error":
        return f"{where} must be {error.get('ctx', {}).get('expected', 'one of the known values')}, not {_shown(value)}"
    if kind.endswith(("_type", "_parsing")):
        wanted = next((words for prefix, words in _WANTED if kind.startswith(prefix)), kind.replace("_", " "))
        return f"{where} must be {wanted}, not {_shown(value)}"
    return f"{where}: {str(error.get('msg', 'not valid')).lower()}"
