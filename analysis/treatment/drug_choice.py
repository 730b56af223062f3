"""From the doses of a record to the drug analysed: one record per dose, then the drug (or the
regimen) chosen by name or by what the record holds most (immune globulin first).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from analysis.errors import InputError
from analysis.model import Administration, SkippedRow, Source
from analysis.treatment.drugs import IMMUNE_GLOBULIN, Medication, family_of, find_medication

# Without an action column, rows of one product this close together are one dose (a MAR without
# actions still lists the start and end of one infusion on the same day; a flowsheet lists rate
# checks).
COLLAPSE_HOURS = 12
# Drugs given within this time of the main drug's doses, in most of its courses, belong to its
# regimen (rule 1's course gap).
REGIMEN_HOURS = 72
# Supportive drugs that follow chemotherapy but are not part of the regimen (G-CSF is an event).
_NOT_IN_REGIMEN = {"GCSF"}


class Record:
    """An administration before the drug is chosen: only the chosen drug's become
    :class:`Administration` records, with their doses read (a long record is mostly other drugs
    and pump events)."""

    __slots__ = ("_dose", "dose_row", "medication", "product", "time")

    def __init__(self, time, product, medication, dose_row, dose):
        self.time, self.product, self.medication, self.dose_row, self._dose = time, product, medication, dose_row, dose

    @property
    def source(self) -> Source:
        return self.dose_row.source

    def administration(self) -> Administration:
        dose, unit, weight = self._dose(self.dose_row)
        return Administration(time=self.time, product=self.product, dose=dose, dose_unit=unit,
                              medication=self.medication, weight_kg=weight, source=self.source)


def collapse(records, warnings, skipped):
    """One record per dose: exact duplicates once; a part of a dose (rate change, completed) and a
    row without an action less than COLLAPSE_HOURS after a kept dose of the same drug belong to
    that dose; a part of a dose with no start before it stands for the dose (a record that writes
    only "Completed"), unless its row says no dose was given (``Dose.not_given``, a blank dose in a
    record with doses): that part is a skipped row with its reason, or, when a dose of the drug
    starts less than COLLAPSE_HOURS after it (a pause charted before the start), part of that dose."""
    kept: list = []
    last_kept: dict[str, datetime] = {}
    waiting: dict[str, list] = {}  # per drug, the parts with no dose and no start before them
    duplicates = collapsed = 0
    window = timedelta(hours=COLLAPSE_HOURS)
    for record in records:
        adm, med, stated, part = record
        key = med.key if med is not None else adm.product
        prev = last_kept.get(key)
        if prev is not None:
            near = adm.time - prev < window
            if stated and adm.time == prev:
                duplicates += 1
                continue
            if near and (part or not stated):
                collapsed += not part
                continue
        if part and adm.dose_row.not_given:
            waiting.setdefault(key, []).append(adm)
            continue
        if key in waiting:
            waiting[key] = [p for p in waiting[key] if adm.time - p.time >= window]
        kept.append((adm, med, stated or part))
        last_kept[key] = adm.time
    for adm in sorted((p for parts in waiting.values() for p in parts), key=lambda a: a.time):
        skipped.append(SkippedRow(adm.source, f"{adm.medication}: {adm.dose_row.action}", adm.dose_row.not_given))
    if duplicates:
        warnings.append(f"{duplicates} duplicated administration row(s) (same drug, same time) counted once.")
    if collapsed:
        warnings.append(f"{collapsed} row(s) without an action less than {COLLAPSE_HOURS} h after a dose of "
                        "the same drug were taken as part of that dose.")
    return kept


def drug_key(adm: Administration, med: Medication | None) -> str:
    """The drug a record is of: its medication's key, else its product name."""
    return med.key if med is not None else adm.product


def choose(records, product, include_premedication, path, products, warnings):
    """(predicate on Administration, label) for the drug, or the regimen, to analyse."""
    if product is not None:
        return _chosen_by_name(records, product, path, products)
    if any(m is IMMUNE_GLOBULIN for _a, m, _x in records):
        ids = {id(a) for a, m, _x in records if m is IMMUNE_GLOBULIN}
        return (lambda adm: id(adm) in ids), _family_label(records, IMMUNE_GLOBULIN)
    candidates = Counter(drug_key(a, m) for a, m, _x in records
                         if include_premedication or m is None or not m.premedication)
    if not candidates:
        raise InputError(
            "lists only premedication and fluids, no treatment drug.", path,
            f"Medications found: {', '.join(products)}. Choose one explicitly if it is the drug to analyse.")
    main, _n = candidates.most_common(1)[0]
    partners = _regimen_partners(records, main, [k for k in candidates if k != main])
    keys = _in_order_of_appearance(records, [main, *partners])
    ids = {id(a) for a, m, _x in records if drug_key(a, m) in keys}
    label = _label_of(records, keys)
    others = [k for k in candidates if k not in keys]
    if len(keys) > 1:
        warnings.append(f"No immune globulin found; analysing the regimen {label}: drugs given together "
                        "in one course." + (f" Others: {', '.join(others)}." if others else ""))
    elif others:
        warnings.append(f"No immune globulin found; analysing {label}, the most frequent drug. "
                        f"Others: {', '.join(others)}.")
    return (lambda adm: id(adm) in ids), label


def _in_order_of_appearance(records, keys: list[str]) -> list[str]:
    """A regimen's drugs in the order the record lists them on its first day."""
    def first(k):
        a = next(a for a, m, _x in records if drug_key(a, m) == k)
        return a.time.date(), a.dose_row.index, a.dose_row.column.rjust(3)
    return sorted(keys, key=first)


def _chosen_by_name(records, product: str, path, products):
    keys: list[str] = []
    for name in [p.strip() for p in str(product).replace(",", "+").split("+") if p.strip()]:
        med = find_medication(name)
        if med is not None and any(m is med for _a, m, _x in records):
            keys.append(med.key)
            continue
        needle = name.lower()
        hits = {drug_key(a, m) for a, m, _x in records if needle in a.product.lower() or needle in a.medication.lower()}
        if not hits:
            raise InputError(f"has no administrations of {name!r}.", path,
                             f"Medications found: {', '.join(products)}.")
        keys.extend(sorted(hits))
    ids = {id(a) for a, m, _x in records if drug_key(a, m) in keys}
    return (lambda adm: id(adm) in ids), _label_of(records, keys)


def _label_of(records, keys: list[str]) -> str:
    names = []
    for k in keys:
        labels = Counter(family_of(a.product) for a, m, _x in records if drug_key(a, m) == k)
        if labels:
            name = labels.most_common(1)[0][0]
            if name not in names:
                names.append(name)
    return " + ".join(names)


def _regimen_partners(records, main: str, others: list[str]) -> list[str]:
    """Drugs given with the main drug: most of their doses within REGIMEN_HOURS of one of its
    doses, in most of its courses."""
    gap = timedelta(hours=REGIMEN_HOURS)
    main_times = [a.time for a, m, _x in records if drug_key(a, m) == main]
    partners = []
    for k in others:
        if any(m is not None and m.key in _NOT_IN_REGIMEN for a, m, _x in records if drug_key(a, m) == k):
            continue
        times = [a.time for a, m, _x in records if drug_key(a, m) == k]
        near = sum(any(abs(t - mt) <= gap for mt in main_times) for t in times)
        with_main = sum(any(abs(t - mt) <= gap for t in times) for mt in main_times)
        if times and near >= 0.8 * len(times) and with_main >= 0.5 * len(main_times):
            partners.append(k)
    return partners


def _family_label(records, med: Medication) -> str:
    labels = Counter(family_of(a.product) for a, m, _x in records if m is med)
    return labels.most_common(1)[0][0] if labels else med.label
