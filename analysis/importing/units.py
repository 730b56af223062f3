"""Units of lab results, as written by real exports, and their conversion to Nadir's units.

Every cell count is kept in 10^3/uL (= 10^9/L), percentages in %, hemoglobin in g/dL
(``model.CANONICAL_UNIT``). Labs spell the same unit in dozens of ways ("K/uL", "x10E3/uL",
"10*3/uL", "G/L", "Gpt/l", "/nL"), and a count unit is really a multiplier over a volume, so
counts are parsed as ``multiplier / volume`` rather than looked up one spelling at a time: that
way "10^9/L", "10^6/mL" and "/nL" all come out right without being listed.

The magnitude check exists because the commonest silent error in neutrophil charts is a value
in cells/uL labelled K/uL (or the reverse): a factor of 1000 that no statistic would notice.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from analysis.importing.limits import short_text_cache
from analysis.model import ANC, BAND_PCT, CANONICAL_UNIT, HGB, LYMPH, NEUT_PCT, PLT, WBC

COUNT = "count"
PERCENT = "percent"
FRACTION = "fraction"  # 0.45 meaning 45 %
MASS_CONC = "mass_conc"  # hemoglobin; mmol/L (Hb Fe4) is converted with its factor too

COUNT_ANALYTES = frozenset({ANC, WBC, LYMPH, PLT})
PERCENT_ANALYTES = frozenset({NEUT_PCT, BAND_PCT})

# Which unit kinds make sense for an analyte.
_KINDS_FOR = {
    ANC: {COUNT},
    WBC: {COUNT},
    LYMPH: {COUNT},
    PLT: {COUNT},
    NEUT_PCT: {PERCENT, FRACTION},
    BAND_PCT: {PERCENT, FRACTION},
    HGB: {MASS_CONC},
}

# Plausible canonical ranges (inclusive). Generous on purpose: leukaemia WBC, thrombocytosis.
PLAUSIBLE = {
    ANC: (0.0, 100.0),
    LYMPH: (0.0, 100.0),
    WBC: (0.0, 500.0),
    PLT: (0.0, 3000.0),
    HGB: (1.0, 25.0),
    NEUT_PCT: (0.0, 100.0),
    BAND_PCT: (0.0, 100.0),
}

HGB_MMOL_TO_G_DL = 1.611  # Hb tetramer (Fe4) convention used by German and Dutch labs


@dataclass(frozen=True)
class Unit:
    """A parsed unit.

    ``factor`` multiplies a value in this unit into the canonical unit of its kind:
    10^3/uL for counts, % for percent/fraction, g/dL for mass concentration.
    """

    text: str
    kind: str
    factor: float

    @property
    def per_microlitre(self) -> bool:
        """True for "cells/uL"-scale units, whose values are whole numbers of cells."""
        return self.kind == COUNT and abs(self.factor - 0.001) < 1e-12


# --- normalising the spelling -----------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans({"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5",
                               "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+"})
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")


def _normalise(text: str) -> str:
    """Spelling-independent form: micro -> u, times -> x, powers -> 10^n, no spaces.

    Case is kept: "G/L" (giga per litre) and "g/L" (grams per litre) differ only by case.
    """
    # "10³/µL": the superscript is an exponent ("10^3"), except after a volume ("mm³").
    t = _SUPERSCRIPT_RUN.sub(
        lambda m: ("^" if m.start() > 0 and text[m.start() - 1].isdigit() else "")
        + m.group().translate(_SUPERSCRIPTS),
        text,
    )
    # U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU are both written for "micro".
    t = t.replace("\u00b5", "u").replace("\u03bc", "u").replace("\u039c", "u")
    t = unicodedata.normalize("NFKC", t)
    t = t.replace("×", "x").replace("·", "x").replace("\u2009", "").replace("\u00a0", "")
    t = re.sub(r"\s+", "", t)
    t = t.strip("()[]{}")
    return t


# Multipliers written as words or SI-ish prefixes before the "/".
_PREFIX_MULTIPLIER = {
    "": 1.0,
    "#": 1.0,
    "n": 1.0,
    "cells": 1.0,
    "cell": 1.0,
    "cels": 1.0,
    "celulas": 1.0,
    "cellules": 1.0,
    "zellen": 1.0,
    "elements": 1.0,
    "k": 1e3,
    "thou": 1e3,
    "thous": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "th": 1e3,
    "tsd": 1e3,
    "tausend": 1e3,
    "mil": 1e3,  # Spanish "mil/uL"
    "mio": 1e6,
    "mill": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "giga": 1e9,
    "gpt": 1e9,  # "Gigapartikel", German
    "bil": 1e9,  # "bil/L", Canadian reports
    "billion": 1e9,
    "billions": 1e9,
    "mrd": 1e9,  # "Mrd/l", Milliarden, German
    "milliarden": 1e9,
    "tera": 1e12,
    "tpt": 1e12,
}

# Volumes in microlitres.
_VOLUME_UL = {
    "ul": 1.0,
    "mcl": 1.0,
    "mm3": 1.0,
    "mm^3": 1.0,
    "cmm": 1.0,  # cubic millimetre
    "cumm": 1.0,
    "nl": 1e-3,
    "ml": 1e3,
    "cm3": 1e3,
    "dl": 1e5,
    "l": 1e6,
}

# "10^9", "10*9", "10e9", "10E+9", "10(9)" (UK systems that cannot print superscripts), "10exp9"
_POWER = re.compile(
    r"^(?:x|\*)?10(?:\^|\*\*|\*|e|\^\+|e\+|exp|\.e)?\+?(?:(\d{1,2})|\((\d{1,2})\))(.*)$", re.IGNORECASE
)
_COUNT_SUFFIX = re.compile(r"^(?:cells?|cels|celulas|cellules|zellen)?$", re.IGNORECASE)

_PERCENT = {
    "%",
    "percent",
    "pct",
    "pourcent",
    "porcentaje",
    "prozent",
    "%ofwbc",
    "%wbc",
    "%leukocytes",
    "%leuk",
    "/100wbc",
    "/100wbcs",
    "/100leukocytes",
    "/100leucocytes",
    "/100leukozyten",
    "/100leuk",
    "/100cells",
    "per100wbc",
    "%ofleukocytes",
}

_MASS = {
    "g/dl": 1.0,
    "gm/dl": 1.0,
    "g/100ml": 1.0,
    "g%": 1.0,
    "gm%": 1.0,
    "g/l": 0.1,
    "gm/l": 0.1,
    "mg/dl": 0.001,
    "mg/ml": 0.1,
    "mmol/l": HGB_MMOL_TO_G_DL,
    "mmol(fe)/l": HGB_MMOL_TO_G_DL,
}

_FRACTION = {"fraction", "l/l", "/1", "frac"}  # not "1": a bare number is not a unit


def _count_factor(norm: str) -> float | None:
    """Factor to 10^3/uL for a count unit written as multiplier/volume, or None."""
    if "/" not in norm:
        return None
    head, _, vol = norm.rpartition("/")
    vol_ul = _VOLUME_UL.get(vol.lower())
    if vol_ul is None:
        return None
    mult: float | None
    m = _POWER.match(head)
    if m:
        mult = 10.0 ** int(m.group(1) or m.group(2))
        rest = m.group(3)
        if not _COUNT_SUFFIX.match(rest):
            return None
    elif head in ("G", "T", "M"):
        # Upper-case SI prefixes: G/L is giga per litre; lower-case g/L is grams (handled
        # earlier as a mass concentration).
        mult = {"G": 1e9, "T": 1e12, "M": 1e6}[head]
    else:
        h = head.lower()
        if h.startswith("x"):
            h = h[1:]
        mult = _PREFIX_MULTIPLIER.get(h)
        if mult is None:
            return None
    return mult / vol_ul / 1000.0


@short_text_cache(4096)
def _parse_unit_cached(text: str) -> Unit | None:
    norm = _normalise(text)
    if not norm:
        return None
    low = norm.lower()
    if low in _PERCENT or (low.startswith("/100") and low[4:].isalpha()):
        return Unit(text, PERCENT, 1.0)
    if low in _FRACTION:
        return Unit(text, FRACTION, 100.0)
    # Lower-case or mixed "g/L" is grams per litre; only the upper-case "G/L" is giga per litre.
    if low in _MASS and norm not in ("G/L", "G/l"):
        return Unit(text, MASS_CONC, _MASS[low])
    factor = _count_factor(norm)
    if factor is not None:
        return Unit(text, COUNT, factor)
    return None


def parse_unit(text: str | None) -> Unit | None:
    """The unit for a unit text as exported, or None when it is missing or not understood."""
    if text is None:
        return None
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > 40:
        return None
    return _parse_unit_cached(text)


def _unit_for(unit: Unit | None, analyte: str) -> Unit | None:
    """Let the analyte settle the one case-only ambiguity: G/L versus g/L."""
    if unit is None:
        return None
    low = _normalise(unit.text).lower()
    if analyte == HGB and unit.kind == COUNT and low in ("g/l", "g/dl"):
        return Unit(unit.text, MASS_CONC, _MASS[low])
    if analyte in COUNT_ANALYTES and unit.kind == MASS_CONC and low == "g/l":
        return Unit(unit.text, COUNT, 1.0)
    return unit


def to_canonical(value: float, unit: Unit | None, analyte: str) -> float:
    """``value`` in ``CANONICAL_UNIT[analyte]``.

    ``unit`` None means the value is taken as already canonical (the importer decides, and warns,
    when an export has no unit). Raises ValueError when the unit cannot belong to the analyte,
    e.g. a % for ANC: converting it anyway would plot nonsense.
    """
    if analyte not in CANONICAL_UNIT:
        raise ValueError(f"unknown analyte {analyte!r}")
    unit = _unit_for(unit, analyte)
    if unit is None:
        return float(value)
    if unit.kind not in _KINDS_FOR[analyte]:
        raise ValueError(
            f"the unit {unit.text!r} does not fit {analyte} "
            f"(expected a unit like {CANONICAL_UNIT[analyte]!r})"
        )
    return float(value) * unit.factor


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_magnitude(analyte: str, value_canonical: float, unit_text: str | None) -> str | None:
    """A plain-language warning when a value's size contradicts its unit, else None.

    Only contradictions are reported, not abnormal values: an ANC of 0.05 is alarming but
    possible; an ANC of 1200 x10^3/uL is not a human value, and almost always means cells/uL.
    """
    if analyte not in PLAUSIBLE:
        return None
    lo, hi = PLAUSIBLE[analyte]
    unit = _unit_for(parse_unit(unit_text), analyte)
    shown_unit = unit_text.strip() if unit_text and unit_text.strip() else CANONICAL_UNIT[analyte]
    v = value_canonical
    if v != v:  # NaN
        return None
    if analyte in COUNT_ANALYTES:
        if v > hi:
            return (
                f"{analyte} {_fmt(v)} x10^3/uL is not a possible value (unit {shown_unit!r}); "
                f"the number looks like cells/uL, not thousands per uL"
            )
        if v < 0:
            return f"{analyte} {_fmt(v)} is negative, which a cell count cannot be"
        if unit is not None and unit.kind == COUNT and unit.factor < 0.5:
            raw = v / unit.factor
            fractional = abs(raw - round(raw)) > 1e-6
            # Counts per microlitre are whole numbers of cells; "1.2 cells/uL" is a value in
            # thousands with the wrong unit. Platelets below 1 x10^3/uL (1000/uL) do not occur
            # as whole-number reports either.
            if (0 < raw < 1) or (fractional and raw < 100) or (analyte == PLT and 0 < v < 0.5):
                return (
                    f"{analyte} {_fmt(raw)} {shown_unit} is implausibly small for a count per "
                    f"microlitre; the number looks like 10^3/uL (thousands per uL)"
                )
        return None
    if analyte == HGB:
        if v > hi:
            if v * 0.1 <= hi:
                return (
                    f"hemoglobin {_fmt(v)} g/dL is not a possible value (unit {shown_unit!r}); "
                    f"the number looks like g/L"
                )
            return f"hemoglobin {_fmt(v)} g/dL is not a possible value (unit {shown_unit!r})"
        if 0 <= v < lo:
            if lo <= v * 10 <= hi and unit is not None and unit.factor == 0.1:
                return (
                    f"hemoglobin {_fmt(v)} g/dL is implausibly low (unit {shown_unit!r}); "
                    f"the number looks like g/dL, not g/L"
                )
            return f"hemoglobin {_fmt(v)} g/dL is implausibly low (unit {shown_unit!r})"
        if v < 0:
            return f"hemoglobin {_fmt(v)} is negative"
        return None
    # percentages
    if v > hi:
        return f"{analyte} {_fmt(v)} % is more than 100 %, which a percentage cannot be"
    if v < lo:
        return f"{analyte} {_fmt(v)} % is negative, which a percentage cannot be"
    return None


_CELLS_PER_UL = Unit("cells/uL", COUNT, 0.001)
_THOUSANDS_PER_UL = Unit("10^3/uL", COUNT, 1.0)


def guess_unit(analyte: str, values: list[float]) -> Unit | None:
    """The likely unit of a column that came without any, from the size of its values.

    Used only when the export has no unit at all; the importer tells the user it guessed.
    Counts with a median of 100 or more are taken as cells/uL (no human ANC is 100 x10^3/uL,
    and cells/uL exports rarely have a median below 100); platelets from 5000 up.
    """
    nums = [float(v) for v in values if v is not None and v == v]
    if not nums:
        return None
    med = statistics.median(nums)
    if analyte in (ANC, WBC, LYMPH):
        return _CELLS_PER_UL if med >= 100 else _THOUSANDS_PER_UL
    if analyte == PLT:
        return _CELLS_PER_UL if med >= 5000 else _THOUSANDS_PER_UL
    if analyte == HGB:
        return Unit("g/L", MASS_CONC, 0.1) if med > 25 else Unit("g/dL", MASS_CONC, 1.0)
    if analyte in PERCENT_ANALYTES:
        # 0.28 for 28 %: research extracts and some analyser exports give fractions. A column
        # of neutrophil percentages that never exceeds 1 while some exceed 0.1 is that; in %,
        # a whole series of draws below 1 % with values above 0.1 is not a plausible series.
        if analyte == NEUT_PCT and len(nums) >= 3 and max(nums) <= 1.0 and max(nums) > 0.1:
            return Unit("fraction", FRACTION, 100.0)
        return Unit("%", PERCENT, 1.0)
    return None
