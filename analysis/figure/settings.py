"""The user's choices for a figure, stored in the project file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from analysis.figure import style as S


@dataclass(frozen=True)
class FigureSettings:
    """The user's choices for a figure. Plain values only, so that ``dataclasses.asdict`` gives
    JSON for the project file and :meth:`from_dict` reads it back."""

    width_mm: float = 180.0
    height_mm: float = 120.0
    dpi: int = 600  # raster output (TIFF, PNG)
    preset: str = ""  # a presets.PRESETS key, "" for a custom size
    panel_b: str = "auto"  # "auto" (panel_b.default_panel_b), "cycle:N", "overlay" or "none"
    axis: str = "days"  # "days" (default: calendar dates identify a patient) or "dates"
    show_severity: bool = True
    show_reference_range: bool = False
    reference_range: tuple[float, float] | None = None  # the lab's range, 10^3/uL
    show_duffy: bool = False
    show_stats_text: bool = True
    show_cycle_numbers: bool = True
    log_y: bool = False
    font_pt: float = S.DEFAULT_FONT_PT
    palette: str = "okabe-ito"  # palette.PALETTES: "okabe-ito", "case-report", "greyscale"
    font: str = ""  # a font family; "" = Arial or Helvetica when installed, else the bundled font
    colour: str = "rgb"  # output colour: "rgb", "cmyk" (TIFF only) or "grey" (greyscale palette)
    # Format graph (as Prism's Format Axis and Format Graph): None or "" keeps the automatic
    # choice. The ANC axis top and tick interval, the axis titles, marker and line sizes.
    y_max: float | None = None
    y_step: float | None = None
    y_title: str = ""
    x_title: str = ""
    marker_scale: float = 1.0
    line_scale: float = 1.0
    # Labels the user reworded, moved or hid on the chart (labels.LabelOverride, by label id).
    labels: tuple = ()

    def to_dict(self) -> dict:
        return asdict(self)

    def with_preset(self, key: str) -> FigureSettings:
        """The same settings at a journal preset's column width (height capped at its page)."""
        from dataclasses import replace

        from analysis.figure.presets import size_for

        width, height = size_for(key, self.height_mm)
        return replace(self, preset=key, width_mm=width, height_mm=height)

    @classmethod
    def from_dict(cls, data: dict) -> FigureSettings:
        """Settings from a project file; unknown keys (a newer version's) are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("reference_range") is not None:
            values["reference_range"] = tuple(float(v) for v in values["reference_range"])
        if "labels" in values:
            from analysis.figure.labels import LabelOverride

            values["labels"] = tuple(o if isinstance(o, LabelOverride) else LabelOverride.from_dict(o)
                                     for o in values["labels"])
        return cls(**values)
