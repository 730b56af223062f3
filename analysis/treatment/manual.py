"""Manual entry: doses typed in by the user, and planned schedules.

For records without an infusion export, or a dose missing from it ("1 g/kg every 21 days since
6 September, 6 doses").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from analysis.errors import InputError
from analysis.model import Administration, Source
from analysis.treatment.drugs import find_medication, format_dose, normalise_unit, product_name


def _normalised_product(product: str) -> str:
    return product_name(product) if find_medication(product) is not None else str(product).strip()


def manual_administration(
    when: datetime | date,
    dose: float | None = None,
    dose_unit: str = "",
    product: str = "IVIG",
    weight_kg: float | None = None,
    note: str = "manual entry",
) -> Administration:
    """An administration typed in by the user (no MAR export, or a dose missing from it)."""
    if not isinstance(when, datetime):
        if isinstance(when, date):
            when = datetime.combine(when, time(0))
        else:
            raise InputError(f"The administration date {when!r} is not a date.")
    if dose is not None and dose <= 0:
        raise InputError(f"The dose must be positive (got {dose}).")
    if weight_kg is not None and weight_kg <= 0:
        raise InputError(f"The weight must be positive (got {weight_kg}).")
    return Administration(time=when, product=_normalised_product(product), dose=dose,
                          dose_unit=normalise_unit(dose_unit) if dose is not None else "",
                          medication=note, weight_kg=weight_kg, source=Source(file="manual entry"))


def regimen(
    start: datetime | date,
    every_days: int,
    doses: int,
    dose: float,
    dose_unit: str,
    product: str = "IVIG",
    weight_kg: float | None = None,
    days_per_course: int = 1,
) -> list[Administration]:
    """A planned schedule: ``doses`` courses every ``every_days`` days from ``start``.

    For records without a MAR export ("1 g/kg every 21 days since 6 September, 6 doses").
    A course over several days ("2 g/kg over 2 days every 28 days", "0.4 g/kg daily x 5") is
    ``days_per_course`` administrations on consecutive days at the same time, ``dose`` each
    (the dose of one day); the cycle rules join them into one course.
    """
    if every_days <= 0:
        raise InputError(f"The interval must be at least 1 day (got {every_days}).")
    if doses < 1:
        raise InputError(f"The number of doses must be at least 1 (got {doses}).")
    if days_per_course < 1 or days_per_course >= every_days:
        raise InputError(f"A course lasts from 1 day to less than the interval of {every_days} days "
                         f"(got {days_per_course}).")
    pattern = f"{format_dose(dose, dose_unit)} every {every_days} days"
    if days_per_course > 1:
        pattern = f"{format_dose(dose, dose_unit)} daily for {days_per_course} days, every {every_days} days"
    first = manual_administration(start, dose, dose_unit, product, weight_kg, note=f"regimen: {pattern}")
    step, day = timedelta(days=every_days), timedelta(days=1)
    return [
        Administration(time=first.time + k * step + d * day, product=first.product, dose=first.dose,
                       dose_unit=first.dose_unit, medication=first.medication, weight_kg=weight_kg,
                       source=first.source)
        for k in range(doses)
        for d in range(days_per_course)
    ]
