"""Infusions typed in by hand: is a dose plausible, and how were the infusions entered (for the
methods text). One home for both, so the dialog, the command line and the legend agree."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Administration
from .drugs import format_dose

MANUAL_FILE = "manual entry"  # Source.file of every administration typed in (manual_administration)
# Immune globulin is given at 0.2-2 g/kg per course, at most 1 g/kg a day is usual, 2 g/kg in one
# day the most any protocol uses; beyond these a typing slip (80 for 0.8) is far more likely.
MAX_G_PER_KG = 2.0
MIN_G_PER_KG = 0.05
MAX_GRAMS = 200.0  # 2 g/kg for a 100 kg adult


def implausible_dose(adm: Administration) -> str | None:
    """Why this dose looks like a typing slip, in one sentence; None when it is plausible."""
    if adm.dose is None:
        return None
    per_kg = adm.dose_per_kg
    unit = adm.dose_unit
    given = f"{format_dose(adm.dose, unit)} on {adm.time:%d %b %Y}"
    if per_kg is not None:
        if per_kg > MAX_G_PER_KG:
            return (f"{given} is {format_dose(per_kg, 'g/kg')}: more than the "
                    f"{MAX_G_PER_KG:g} g/kg any immune globulin course gives.")
        if per_kg < MIN_G_PER_KG:
            return (f"{given} is {format_dose(per_kg, 'g/kg')}: less than any "
                    f"immune globulin dose ({MIN_G_PER_KG:g} g/kg or more).")
        return None
    grams = adm.dose if unit == "g" else adm.dose / 1000 if unit == "mg" else None
    if grams is not None and grams > MAX_GRAMS:
        return (f"{given} is more than {MAX_GRAMS:g} g, the dose "
                f"of 2 g/kg for a 100 kg adult.")
    return None


def is_manual(adm: Administration) -> bool:
    return adm.source is not None and adm.source.file == MANUAL_FILE


def how_entered(administrations: Iterable[Administration]) -> str:
    """The methods text's clause for where the infusion dates came from."""
    given = list(administrations)
    manual = [a for a in given if is_manual(a)]
    if not given or not manual:
        return "infusions were read from the medication administration record"
    regimens = sorted({a.medication.removeprefix("regimen: ") for a in manual
                       if (a.medication or "").startswith("regimen: ")})
    if len(manual) == len(given):
        if regimens and len(regimens) == 1 and all((a.medication or "").startswith("regimen: ") for a in manual):
            return f"infusions were entered by hand as a regular schedule ({regimens[0]})"
        return "infusion dates and doses were entered by hand"
    return (f"infusions were read from the medication administration record, {len(manual)} of "
            f"{len(given)} entered by hand")
