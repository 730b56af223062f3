"""Courses (CYCLE-RULES rule 1) and the words that label them.

A course is every administration at most 72 h after the previous one, whatever the drug: a
chemotherapy regimen of several drugs given together is one course, labelled by its drugs. Doses
are shown in the unit the record uses; immune globulin, dosed by weight by convention, is shown in
g/kg when a weight is known ("IVIG 1 g/kg"), never a drug dosed in mg ("Rituximab 700 mg").
"""

from __future__ import annotations

from datetime import timedelta

from analysis.model import Administration, Course
from analysis.treatment.drugs import family_of, find_medication, format_dose


def group_courses(administrations, gap_hours: float = 72) -> list[Course]:
    """CYCLE-RULES rule 1: administrations at most ``gap_hours`` after the previous one are one course."""
    ordered = sorted(administrations, key=lambda a: a.time)
    groups: list[list[Administration]] = []
    for adm in ordered:
        if groups and adm.time - groups[-1][-1].time <= timedelta(hours=gap_hours):
            groups[-1].append(adm)
        else:
            groups.append([adm])
    return [Course(number=i, administrations=tuple(g)) for i, g in enumerate(groups, start=1)]


def course_label(course: Course) -> str:
    """"IVIG 1 g/kg", "IVIG 2 g/kg over 5 days", "Rituximab 700 mg", or a regimen's drugs
    ("Rituximab 700 mg + Bendamustine 180 mg over 2 days", "R + C + H + O + P" names only from
    three drugs on). A course spanning several calendar days says over how many."""
    adms = course.administrations
    days = (course.last.date() - course.start.date()).days + 1
    span = f" over {days} days" if days > 1 else ""
    families: dict[str, list[Administration]] = {}
    for a in adms:
        families.setdefault(family_of(a.product), []).append(a)
    if len(families) == 1:
        ((name, group),) = families.items()
        return f"{name}{_dose_words(group)}{span}"
    if len(families) == 2:
        return " + ".join(f"{n}{_dose_words(g)}" for n, g in families.items()) + span
    return " + ".join(families) + span


def _dose_words(adms: list[Administration]) -> str:
    """" 1 g/kg", " 80 g", " 700 mg", " 375 mg/m²" or "" when the doses do not add up."""
    med = find_medication(adms[0].product)
    if med is not None and med.per_kg:
        per_kg = [v for v in (a.dose_per_kg for a in adms) if v is not None]
        if per_kg and len(per_kg) == len(adms):
            return " " + format_dose(sum(per_kg), "g/kg")
        grams = [g for g in (_grams(a) for a in adms) if g is not None]
        if grams and len(grams) == len(adms):
            return " " + format_dose(sum(grams), "g")
    units = {a.dose_unit for a in adms}
    doses = [a.dose for a in adms if a.dose is not None]
    if len(doses) == len(adms) and len(units) == 1:
        unit = units.pop()
        return " " + format_dose(sum(doses), unit)
    return ""


def _grams(adm: Administration) -> float | None:
    if adm.dose is None:
        return None
    unit = adm.dose_unit.strip().lower()
    if unit == "g":
        return adm.dose
    if unit == "mg":
        return adm.dose / 1000.0
    return None
