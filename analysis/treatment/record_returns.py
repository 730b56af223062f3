"""Returns to a dispensing cabinet or the pharmacy cancel the removal they give back.

A dispensing cabinet (BD Pyxis MedStation, Omnicell) logs each transaction for a patient: Remove
(Omnicell: Issue), Return, Waste, Restock, Discrepancy, Cancel. A vial removed and later returned
was not given. So a return row cancels the latest removal (or dispense) of the same drug before it, for the
same patient, at most RETURN_HOURS earlier and not returned already: the removal becomes a
skipped row ("returned to the cabinet"). A return of less than was removed (fewer vials, or a
smaller amount) keeps the dose, with the amount that remained when the return states one.

A waste (Pyxis "Waste", Omnicell "Wasted", "Verworfen", "Jeté", "Desechado") is the cabinet's
witnessed record of drug removed and thrown away, not given: the amount given is the amount removed
less the amount wasted. So a waste of all that was removed cancels that removal, as a return does;
a waste of part of it lowers the dose given (never above the removal's stated dose: wasting the
rest of a 500 mg vial after a 450 mg dose keeps 450 mg); a waste that states no comparable amount
or count keeps the dose, with a warning. A dose charted as given (a MAR's "Given") is never
cancelled: a return after it matches no removal and is a skipped row, a waste after it is no dose.

A removal is the log's evidence of a dose only where nothing else charts it: a record that merges
the cabinet's transactions with the administrations (a diversion reconciliation: "Removed" at
08:55, "Administered" at 09:30) gives one dose, at the time it was given (:func:`charted_removals`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from analysis.model import SkippedRow
from analysis.treatment.actions import fold, is_removal, removes
from analysis.treatment.column_profiles import blank
from analysis.treatment.columns import Located
from analysis.treatment.drugs import pack_amount
from analysis.treatment.record_rows import Dose, cell, dose_of

RETURN_HOURS = 24

# Headings of a count of vials or packs beside the dose (evidence only: the cells must be numbers).
_QUANTITY_WORDS = re.compile(r"(?<![a-z])(?:qty|quantity|quant|menge|anzahl|quantite|cantidad|quantita|"
                             r"hoeveelheid|aantal|count|units dispensed|vials)(?![a-z])")


def _number(value) -> float | None:
    if isinstance(value, bool) or blank(value):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value else None
    m = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*", str(value))
    return float(m.group(1).replace(",", ".")) if m else None


def quantity_column(loc: Located) -> int | None:
    """A column, other than the ones read, that counts vials or packs ("Qty"): its heading says
    so and its filled cells are numbers."""
    used = set(loc.roles.values())
    for c, heading in enumerate(loc.headings):
        if c in used or not _QUANTITY_WORDS.search(fold(heading or "")):
            continue
        cells = [cell(r, c) for r in loc.rows[loc.header_index + 1:]]
        filled = [v for v in cells if not blank(v)]
        if filled and sum(_number(v) is not None for v in filled) >= 0.9 * len(filled):
            return c
    return None


def cancel_returned(records: list, returns: list[tuple[datetime, str, Dose]], loc: Located,
                    skipped: list[SkippedRow], warnings: list[str]) -> list:
    """``records`` (time-ordered (Record, Medication | None, stated, part)) without the removals
    that ``returns`` ((time, product, return or waste row)) give back or throw away whole; partial
    returns keep the dose, partial wastes lower it (:func:`_waste`)."""
    if not returns:
        return records
    qty_col = quantity_column(loc)

    def qty(d: Dose) -> float | None:
        return _number(cell(loc.rows[d.index], qty_col)) if qty_col is not None else None

    cancelled: set[int] = set()  # removals given back or thrown away whole
    given_back: set[int] = set()  # removals given back, whole or in part: a later return looks further back
    back_qty: dict[int, float] = {}  # removal -> packs given back in part
    partial = unmatched = 0
    waste_notes = {"lowered": 0, "cancelled": 0, "unstated": 0, "kept": 0}
    window = timedelta(hours=RETURN_HOURS)
    for when, product, ret in sorted(returns, key=lambda r: r[0]):
        k = next((k for k in range(len(records) - 1, -1, -1)
                  if k not in cancelled and (ret.wasted or k not in given_back)
                  and records[k][2] and not records[k][3]
                  and removes(records[k][0].dose_row.action)
                  and records[k][0].product == product and timedelta(0) <= when - records[k][0].time <= window),
                 None)
        if k is None:
            if ret.wasted:  # the rest of a dose charted as given, or nothing dispensed: no dose either way
                continue
            unmatched += 1
            skipped.append(SkippedRow(ret.source, f"{ret.medication}: {ret.action}",
                                      f"a return with no removal of {product} in the {RETURN_HOURS} h before it"))
            continue
        rec = records[k][0]
        removal = rec.dose_row
        got, back = qty(removal), qty(ret)
        if ret.wasted:
            verdict = _waste(rec, got, back_qty.get(k, 0.0), back, dose_of(ret))
            waste_notes[verdict] += 1
            if verdict == "cancelled":
                cancelled.add(k)
                skipped.append(SkippedRow(rec.source, f"{rec.medication}: {removal.action}",
                                          f"wasted whole at {when:%Y-%m-%d %H:%M} (row {ret.index + 1}): "
                                          "the dose was not given"))
            continue
        (given, unit), (returned, back_unit) = dose_of(removal), dose_of(ret)
        fewer = got is not None and back is not None and back < got
        less = given is not None and returned is not None and unit == back_unit and returned < given
        given_back.add(k)
        if fewer or less:
            partial += 1
            if back is not None:
                back_qty[k] = back_qty.get(k, 0.0) + back
            if less:
                rec._dose = _less(rec._dose, returned)
            continue
        cancelled.add(k)
        skipped.append(SkippedRow(rec.source, f"{rec.medication}: {removal.action}",
                                  f"returned to the cabinet at {when:%Y-%m-%d %H:%M} (row {ret.index + 1}): "
                                  "the dose was not given"))
    if partial:
        warnings.append(f"{partial} partial return(s) (less than was removed) kept their dose, with the amount "
                        "that remained when the return states one.")
    if unmatched:
        warnings.append(f"{unmatched} return row(s) matched no removal of the same drug before them.")
    if waste_notes["lowered"]:
        warnings.append(f"{waste_notes['lowered']} waste(s) of part of what was removed lowered the dose given "
                        "by the amount wasted.")
    if waste_notes["unstated"]:
        warnings.append(f"{waste_notes['unstated']} waste row(s) state no amount or count comparable with the "
                        "removal before them: that dose was kept as removed. Check them in the record.")
    return [r for k, r in enumerate(records) if k not in cancelled]


def _waste(rec, got: float | None, returned_packs: float, wasted_packs: float | None,
           wasted: tuple[float | None, str]) -> str:
    """What a waste does to the removal ``rec`` before it: "cancelled" when it throws away all that was
    removed (as many packs as were taken and not returned, or at least the amount removed), "lowered"
    when it states part of the amount (the dose given is what was removed less the waste, and never
    more than the removal's stated dose: a report that writes the ordered dose, 450 mg from a 500 mg
    vial, and 50 mg wasted, gave 450 mg), "unstated" when it says neither (the dose is kept).

    A cabinet's waste transaction (BD Pyxis, Omnicell) records the amount thrown away, witnessed,
    at the machine; the amount given is the amount removed less the amount wasted."""
    amount, unit, _weight = rec._dose(rec.dose_row)
    if amount is None:
        return "unstated"
    packs_left = got - returned_packs if got is not None else None
    per_pack, pack_unit = pack_amount(rec.dose_row.medication)
    per_pack = per_pack if pack_unit == unit else None
    w_amount, w_unit = wasted
    if w_amount is not None and w_unit == unit:  # the amount wasted, in the removal's unit
        available = amount
        if packs_left is not None and per_pack is not None:
            available = max(amount, packs_left * per_pack)  # the packs taken out can hold more than the dose
    elif wasted_packs is not None and packs_left is not None and packs_left > 0:  # a count of packs only
        if wasted_packs >= packs_left:
            return "cancelled"
        if per_pack is None:
            return "unstated"
        available, w_amount = max(amount, packs_left * per_pack), wasted_packs * per_pack
    else:
        return "unstated"
    remaining = available - w_amount
    if remaining <= 1e-9:
        return "cancelled"
    if remaining >= amount:
        return "kept"  # the excess of the packs over the dose thrown away
    rec._dose = _less(rec._dose, amount - remaining)
    return "lowered"


def _less(dose, returned: float):
    def remaining(row):
        amount, unit, weight = dose(row)
        return (amount - returned if amount is not None else None), unit, weight

    return remaining


def charted_removals(records: list, key, warnings: list[str], hours: float) -> list:
    """``records`` (time-ordered (Record, Medication | None, stated, part)) without the removals from
    a cabinet whose dose the record also charts as given: a start of the same drug (``key``) that is
    no removal, less than ``hours`` after the removal (the nurse takes the vial out, then gives it),
    or before it (a MAR's "Removed" of a patch or a bag after it was applied)."""
    # each distinct action word judged once (a 10-year record repeats a handful thousands of times)
    removing = {a for a in {rec.dose_row.action for rec, _med, stated, _part in records if stated} if is_removal(a)}
    if not removing:  # a MAR: nothing to look for
        return records
    removal = [stated and rec.dose_row.action in removing for rec, _med, stated, _part in records]
    window = timedelta(hours=hours)
    charted: dict[str, list[datetime]] = {}
    for (rec, med, stated, _part), removed in zip(records, removal, strict=True):
        if stated and not removed:
            charted.setdefault(key(rec, med), []).append(rec.time)
    if not charted:
        return records
    kept, merged = [], 0
    for r, removed in zip(records, removal, strict=True):
        rec, med, _stated, _part = r
        if removed and any(abs(t - rec.time) < window for t in charted.get(key(rec, med), ())):
            merged += 1
            continue
        kept.append(r)
    if merged:
        warnings.append(f"{merged} removal(s) within {hours:g} h of the same drug charted as given were taken "
                        "as that dose, at the time it was given.")
    return kept
