"""Infusions: read a medication-administration record, group doses into courses, label them.

A MAR export lists every pump event (new bag, rate change, stopped) and every premedication next
to the drug of interest. Nadir needs one administration per dose of that drug, so this module
recognises the product by name (the vocabulary is the data table :data:`MEDICATIONS`, so another
drug is one more entry), counts only the actions that start a dose, and says in words what it left
out. Grouping into courses is CYCLE-RULES rule 1.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from analysis.errors import ChoiceRequired, InputError
from analysis.model import Administration, Course, SkippedRow, Source
from analysis.treatment.settings import InfusionImportSettings

# --- the vocabulary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Medication:
    """One drug family and the names it goes by in MAR exports (regular expressions, any case).

    ``label`` is what tables and figures call it. ``brands`` pairs a display name with its
    pattern; the first brand found is shown in the product name ("IVIG (Privigen)"). ``exclude``
    patterns veto a match (a hyperimmune anti-D globulin is not IVIG). A product given under the
    skin, by route or by brand, is labelled ``subcutaneous_label`` when the family has one.
    """

    key: str
    label: str
    patterns: tuple[str, ...]
    brands: tuple[tuple[str, str], ...] = ()
    exclude: tuple[str, ...] = ()
    premedication: bool = False
    subcutaneous_label: str = ""
    subcutaneous_brands: frozenset[str] = frozenset()


IMMUNE_GLOBULIN = Medication(
    key="IMMUNE_GLOBULIN",
    label="IVIG",
    patterns=(
        r"immune\s*globulin", r"immun\s*o?\s*globulin", r"inmunoglobulina", r"\bivig\b", r"\bscig\b",
        r"\bigg\b.*\bhuman", r"\bhuman\b.*\bigg\b", r"\big\s*iv\b",
    ),
    brands=(
        ("Gamunex-C", r"gamunex[\s-]*c\b"), ("Gamunex", r"gamunex"),
        ("Gammagard S/D", r"gammagard\s*s\s*/?\s*d\b"), ("Gammagard Liquid", r"gammagard\s*liquid"),
        ("Gammagard", r"gammagard"), ("Flebogamma DIF", r"flebogamma\s*dif"), ("Flebogamma", r"flebogamma"),
        ("Privigen", r"privigen"), ("Octagam", r"octagam"), ("Panzyga", r"panzyga"),
        ("Gammaplex", r"gammaplex"), ("Bivigam", r"bivigam"), ("Asceniv", r"asceniv"),
        ("Kiovig", r"kiovig"), ("Intratect", r"intratect"), ("Yimmugo", r"yimmugo"), ("Alyglo", r"alyglo"),
        ("Gammaked", r"gammaked"), ("Carimune", r"carimune"), ("Hizentra", r"hizentra"),
        ("Cutaquig", r"cutaquig"), ("Cuvitru", r"cuvitru"), ("Xembify", r"xembify"), ("HyQvia", r"hyqvia"),
        ("Gammanorm", r"gammanorm"), ("Octanorm", r"octanorm"), ("Subcuvia", r"subcuvia"),
    ),
    # Hyperimmune globulins are different drugs given for other reasons.
    exclude=(
        r"rho\s*\(?\s*d\s*\)?", r"anti[\s-]*d\b", r"hepatitis", r"\bhep\s*b\b", r"\bhbig\b", r"tetanus",
        r"rabies", r"cytomegalovirus", r"\bcmv\b", r"varicella", r"zoster", r"botulism", r"vaccinia",
        r"anthrax", r"winrho", r"rhogam", r"rhophylac", r"hyperrab", r"hyperhep", r"hypertet",
        r"cytogam", r"nabi", r"hepagam", r"varizig", r"kedrab", r"imogam", r"thymocyte",
        r"lymphocyte", r"atgam", r"thymoglobulin",
    ),
    subcutaneous_label="SCIG",
    subcutaneous_brands=frozenset({"Hizentra", "Cutaquig", "Cuvitru", "Xembify", "HyQvia",
                                   "Gammanorm", "Octanorm", "Subcuvia"}),
)

MEDICATIONS: tuple[Medication, ...] = (
    IMMUNE_GLOBULIN,
    Medication("GCSF", "G-CSF", (r"filgrastim", r"lenograstim", r"neupogen", r"neulasta", r"zarxio",
                                  r"nivestym", r"granix", r"\bg[\s-]?csf\b")),
    Medication("RITUXIMAB", "Rituximab", (r"rituximab", r"rituxan", r"mabthera", r"truxima", r"ruxience")),
    Medication("EFGARTIGIMOD", "Efgartigimod", (r"efgartigimod", r"vyvgart")),
    # Premedication and infusion fluids: listed so that they can be recognised and left out.
    Medication("ACETAMINOPHEN", "Acetaminophen", (r"acetaminophen", r"paracetamol", r"tylenol"),
               premedication=True),
    Medication("DIPHENHYDRAMINE", "Diphenhydramine", (r"diphenhydramine", r"benadryl"), premedication=True),
    Medication("CETIRIZINE", "Cetirizine", (r"cetirizine", r"zyrtec"), premedication=True),
    Medication("LORATADINE", "Loratadine", (r"loratadine", r"claritin"), premedication=True),
    Medication("FEXOFENADINE", "Fexofenadine", (r"fexofenadine",), premedication=True),
    Medication("HYDROXYZINE", "Hydroxyzine", (r"hydroxyzine",), premedication=True),
    Medication("DIMETINDENE", "Dimetindene", (r"dimetind", r"fenistil"), premedication=True),
    Medication("CLEMASTINE", "Clemastine", (r"clemastin", r"tavegil"), premedication=True),
    Medication("HYDROCORTISONE", "Hydrocortisone", (r"hydrocortison", r"solu[\s-]*cortef"),
               premedication=True),
    Medication("METHYLPREDNISOLONE", "Methylprednisolone", (r"methylprednisolon", r"solu[\s-]*medrol"),
               premedication=True),
    Medication("DEXAMETHASONE", "Dexamethasone", (r"dexamethason",), premedication=True),
    Medication("IBUPROFEN", "Ibuprofen", (r"ibuprofen",), premedication=True),
    Medication("FAMOTIDINE", "Famotidine", (r"famotidin",), premedication=True),
    Medication("ONDANSETRON", "Ondansetron", (r"ondansetron",), premedication=True),
    Medication("SALINE", "Saline", (r"sodium\s*chloride", r"\bnacl\b", r"\bsaline\b", r"kochsalz",
                                    r"\bflush\b", r"\bns\b", r"lactated\s*ringer", r"\bd5w\b",
                                    r"dextrose\s*5"), premedication=True),
    Medication("HEPARIN_FLUSH", "Heparin flush", (r"heparin.*(flush|lock)",), premedication=True),
)

# --- MAR actions -------------------------------------------------------------------------------

# Starts of a dose (one administration each).
COUNTED_ACTIONS = (
    "given", "new bag", "started", "start", "administered", "verabreicht", "gegeben", "begonnen",
    "bolus", "bolus from bag", "push", "self-administered", "self administered", "infusion started",
    "new syringe", "donné", "administrado",
)
# Clinically meaningful: the dose was due and not given. Reported as skipped rows.
NOT_GIVEN_ACTIONS = (
    "not given", "held", "hold", "refused", "patient refused", "missed", "omitted",
    "nicht verabreicht", "nicht gegeben", "abgelehnt",
)
# Pump and workflow events within a dose that was already counted, or no dose at all.
SILENT_ACTIONS = (
    "rate change", "rate changed", "rate verify", "rate verified", "stopped", "stop", "paused",
    "pause", "restarted", "resumed", "due", "canceled", "cancelled", "canceled entry", "mar hold",
    "completed", "complete", "infusion completed", "see alternative", "pending", "continued",
    "dose change", "volume verify", "bag removed", "automatically held", "gestoppt", "pausiert",
    "unterbrochen", "beendet",
)

# Without an action column, rows of one product this close together are one dose (a MAR without
# actions still lists the start and end of one infusion on the same day).
COLLAPSE_HOURS = 12

# --- header roles ------------------------------------------------------------------------------

_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Checked in this order for each header cell; words are matched as whole words.
    ("unit", ("dose unit", "dose units", "unit", "units", "einheit", "dosiseinheit", "uom")),
    ("mrn", ("mrn", "patient id", "patientid", "patient-id", "pid", "medical record number",
             "medical record", "patienten-id", "patientennummer", "patient")),
    ("action", ("action", "mar action", "status", "aktion", "administration status", "admin status")),
    ("route", ("route", "applikation", "applikationsweg", "verabreichungsweg", "voie", "vía", "via")),
    ("regimen", ("regimen", "frequency", "schema", "sig", "instructions", "frequenz")),
    ("dose", ("dose", "dosis", "amount", "menge", "admin dose", "given dose", "dosage")),
    ("weight", ("weight", "gewicht", "body weight", "wt", "kg")),
    ("medication", ("medication", "drug", "medikament", "arzneimittel", "product", "medicine",
                    "präparat", "wirkstoff", "order name", "médicament", "medicamento")),
    ("when", ("date/time", "datetime", "date time", "administration date", "admin date", "date",
              "datum", "administered", "given at", "zeitpunkt", "taken time", "time", "zeit",
              "uhrzeit", "fecha")),
)


@dataclass(frozen=True)
class MedicationImport:
    """What a MAR export gave: the chosen drug's administrations and what was left out, in words."""

    administrations: tuple[Administration, ...]
    skipped: tuple[SkippedRow, ...] = ()
    warnings: tuple[str, ...] = ()
    products: dict[str, int] = field(default_factory=dict)  # product name -> doses found
    product: str | None = None  # the drug chosen ("IVIG")
    premedication: tuple[Administration, ...] = ()  # only when include_premedication
    patient: str | None = None
    patients: tuple[str, ...] = ()
    settings: InfusionImportSettings | None = None  # what reads the record again the same way


# --- recognising a product ---------------------------------------------------------------------


def _search(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def find_medication(text: str) -> Medication | None:
    """The :data:`MEDICATIONS` entry a medication text names, or None."""
    low = str(text or "")
    for med in MEDICATIONS:
        named = any(_search(p, low) for p in med.patterns) or any(_search(p, low) for _b, p in med.brands)
        if named and not any(_search(x, low) for x in med.exclude):
            return med
    return None


def product_name(text: str, route: str = "") -> str:
    """The normalised product name of a medication text: "IVIG (Privigen)", "SCIG (Hizentra)"...

    Unknown drugs keep their own name (the text before the strength, in title case), so that a
    drug Nadir has never heard of can still be chosen.
    """
    med = find_medication(text)
    if med is None:
        head = re.split(r"\s\d|\(|,", str(text).strip(), maxsplit=1)[0].strip()
        return (head or str(text).strip()).title()
    label = med.label
    brand = next((name for name, pat in med.brands if _search(pat, text)), None)
    if med.subcutaneous_label:
        sc = (brand in med.subcutaneous_brands or _search(r"\bscig\b|subcutan|subkutan|s\.?c\.?\b", text)
              or _search(r"subcut|subq|\bsc\b|\bs\.c\.|subkutan|\bsq\b", route or ""))
        if sc:
            label = med.subcutaneous_label
    return f"{label} ({brand})" if brand else label


def family_of(product: str) -> str:
    """"IVIG (Privigen)" -> "IVIG": the short name used in labels."""
    return product.split(" (", 1)[0]


# --- reading a MAR export --------------------------------------------------------------------


def read_sheets(path: str | Path) -> tuple[list[tuple[str, list[list]]], int]:
    """(every sheet as (name, rows), Excel date system), opened with the project's safe checks."""
    from analysis.importing.workbook import open_workbook

    book = open_workbook(path)
    try:
        return [(name, book.rows(name)) for name in book.sheet_names], book.date_system
    finally:
        book.close()


def read_administrations(
    path: str | Path,
    *,
    product: str | None = None,
    include_premedication: bool = False,
    patient: str | None = None,
    date_order: str | None = None,
    settings: InfusionImportSettings | None = None,
) -> MedicationImport:
    """One :class:`Administration` per dose of the chosen drug in a MAR export (rule 1's input).

    ``product`` chooses the drug (a family such as "IVIG", a brand, or any name in the file);
    by default immune globulin when the file has it, else the most frequent drug that is not
    premedication. Rows whose action starts a dose count; pump events are ignored; doses marked
    not given, held or refused are returned as skipped rows. Without an action column, rows of one
    product less than 12 h apart are one dose. ``settings`` replays a saved
    :class:`InfusionImportSettings` (the keywords override it); the result's ``settings``
    reproduce this read.
    """
    path = Path(path)
    if settings is not None:
        product = settings.product if product is None else product
        patient = settings.patient if patient is None else patient
        date_order = settings.date_order if date_order is None else date_order
        include_premedication = include_premedication or settings.include_premedication
    sheet, header_index, roles, rows, date_system = _locate_table(path)
    warnings: list[str] = []
    skipped: list[SkippedRow] = []

    # patient choice
    patients: list[str] = []
    if "mrn" in roles:
        seen = []
        for row in rows[header_index + 1:]:
            ident = _ident(_cell(row, roles["mrn"]))
            if ident and ident not in seen:
                seen.append(ident)
        patients = seen
    chosen_patient = None
    if patient is not None:
        chosen_patient = _ident(patient)
        if patients and chosen_patient not in patients:
            raise InputError(
                f"has no administrations for patient {patient!r}.", path,
                (f"It is the record of patient {patients[0]}; check that the lab results and the "
                 "infusion record belong to the same patient.") if len(patients) == 1 else
                f"It holds patients {', '.join(patients)}; choose one of them.")
    elif len(patients) > 1:
        raise ChoiceRequired(
            f"holds administrations for {len(patients)} patients.", path,
            "Choose the patient.", kind="patient", options=patients)
    elif len(patients) == 1:
        chosen_patient = patients[0]

    has_action = "action" in roles
    pending = []  # rows that are doses given, before their times are read as a column
    for i in range(header_index + 1, len(rows)):
        row = rows[i]
        if all(_blank(v) for v in row):
            continue
        src = Source(file=path.name, sheet=sheet, row=i + 1)
        if "mrn" in roles and chosen_patient is not None and _ident(_cell(row, roles["mrn"])) != chosen_patient:
            continue
        med_text = _text(_cell(row, roles["medication"]))
        if not med_text:
            continue
        action = _text(_cell(row, roles["action"])) if has_action else ""
        verdict = _action_verdict(action)
        if verdict == "silent":
            continue
        if verdict == "not given":
            skipped.append(SkippedRow(src, f"{med_text}: {action}",
                                      f"marked {action!r}: the dose was not given"))
            continue
        if verdict == "unknown":
            skipped.append(SkippedRow(src, f"{med_text}: {action}",
                                      f"action {action!r} is not a start of a dose Nadir recognises"))
            continue
        pending.append((row, src, med_text, action))

    times = _parse_times([p[0] for p in pending], roles, date_system, date_order, path)
    records: list[tuple[Administration, Medication | None, bool]] = []  # (adm, family, action known)
    for (row, src, med_text, action), when in zip(pending, times):
        if when is None:
            raw = _cell(row, roles["when"])
            skipped.append(SkippedRow(src, f"{med_text}: {raw}", "no readable administration date"))
            continue
        route = _text(_cell(row, roles["route"])) if "route" in roles else ""
        dose, unit = _dose(row, roles)
        weight = _weight(row, roles)
        adm = Administration(time=when, product=product_name(med_text, route), dose=dose, dose_unit=unit,
                             medication=med_text, weight_kg=weight, source=src)
        records.append((adm, find_medication(med_text), bool(action)))

    records.sort(key=lambda r: r[0].time)
    records = _collapse(records, warnings)

    counts = Counter(adm.product for adm, _m, _a in records)
    products = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if not records:
        raise InputError("holds no medication administrations that were given.", path,
                         "Check that this is the medication-administration record (MAR) export.")

    selected, label = _choose(records, product, include_premedication, path, products, warnings)
    chosen = tuple(adm for adm, _m, _a in records if selected(adm))
    premeds = ()
    if include_premedication:
        premeds = tuple(adm for adm, med, _a in records
                        if med is not None and med.premedication and not selected(adm))
    if not has_action:
        warnings.append(f"{path.name} has no action/status column: every row was taken as a dose given, "
                        f"and rows of one drug less than {COLLAPSE_HOURS} h apart as one dose.")
    return MedicationImport(
        administrations=chosen, skipped=tuple(skipped), warnings=tuple(warnings), products=products,
        product=label, premedication=premeds, patient=chosen_patient, patients=tuple(patients),
        settings=InfusionImportSettings(product=label or product, patient=chosen_patient, date_order=date_order,
                                        include_premedication=include_premedication))


def _choose(records, product, include_premedication, path, products, warnings):
    """(predicate on Administration, label) for the drug to analyse."""
    if product is not None:
        med = find_medication(product)
        if med is not None and any(m is med for _a, m, _x in records):
            ids = {id(a) for a, m, _x in records if m is med}
            return (lambda adm: id(adm) in ids), (med.label if not med.subcutaneous_label
                                                  else _family_label(records, med))
        needle = str(product).strip().lower()
        hits = {id(a) for a, _m, _x in records
                if needle and (needle in a.product.lower() or needle in a.medication.lower())}
        if not hits:
            raise InputError(
                f"has no administrations of {product!r}.", path,
                f"Medications found: {', '.join(products)}.")
        first = next(a for a, _m, _x in records if id(a) in hits)
        return (lambda adm: id(adm) in hits), family_of(first.product)
    if any(m is IMMUNE_GLOBULIN for _a, m, _x in records):
        ids = {id(a) for a, m, _x in records if m is IMMUNE_GLOBULIN}
        return (lambda adm: id(adm) in ids), _family_label(records, IMMUNE_GLOBULIN)
    candidates = Counter(
        (m.key if m is not None else a.product) for a, m, _x in records
        if include_premedication or m is None or not m.premedication)
    if not candidates:
        raise InputError(
            "lists only premedication and fluids, no treatment drug.", path,
            f"Medications found: {', '.join(products)}. Choose one explicitly if it is the drug to analyse.")
    key, _n = candidates.most_common(1)[0]
    ids = {id(a) for a, m, _x in records if (m.key if m is not None else a.product) == key}
    first = next(a for a, _m, _x in records if id(a) in ids)
    if len(candidates) > 1:
        warnings.append(f"No immune globulin found; analysing {family_of(first.product)}, the most frequent "
                        f"drug. Others: {', '.join(k for k in candidates if k != key)}.")
    return (lambda adm: id(adm) in ids), family_of(first.product)


def _family_label(records, med: Medication) -> str:
    labels = Counter(family_of(a.product) for a, m, _x in records if m is med)
    return labels.most_common(1)[0][0] if labels else med.label


def _collapse(records, warnings):
    """Drop exact duplicates, and rows without an action less than COLLAPSE_HOURS after a kept dose."""
    kept: list = []
    last_kept: dict[str, datetime] = {}
    duplicates = collapsed = 0
    for adm, med, action_known in records:
        key = med.key if med is not None else adm.product
        prev = last_kept.get(key)
        if prev is not None and adm.time == prev and action_known:
            duplicates += 1
            continue
        if prev is not None and not action_known and adm.time - prev < timedelta(hours=COLLAPSE_HOURS):
            collapsed += 1
            continue
        kept.append((adm, med, action_known))
        last_kept[key] = adm.time
    if duplicates:
        warnings.append(f"{duplicates} duplicated administration row(s) (same drug, same time) counted once.")
    if collapsed:
        warnings.append(f"{collapsed} row(s) without an action less than {COLLAPSE_HOURS} h after a dose of "
                        "the same drug were taken as part of that dose.")
    return kept


def _action_verdict(action: str) -> str:
    """"count", "silent", "not given" or "unknown" for a MAR action text (blank counts)."""
    a = " ".join(action.lower().replace("_", " ").split())
    if not a:
        return "count"
    if a in NOT_GIVEN_ACTIONS:
        return "not given"
    if a in SILENT_ACTIONS:
        return "silent"
    if a in COUNTED_ACTIONS:
        return "count"
    # Longer phrasings ("Given - see comment", "Not Given: patient asleep"): negations first.
    for words, verdict in ((NOT_GIVEN_ACTIONS, "not given"), (SILENT_ACTIONS, "silent"),
                           (COUNTED_ACTIONS, "count")):
        if any(re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", a) for w in words):
            return verdict
    return "unknown"


def _locate_table(path: Path) -> tuple[str, int, dict[str, int], list[list], int]:
    """(sheet, header row index, role -> column, rows, date system) of the first sheet with a MAR header."""
    sheets, date_system = read_sheets(path)
    for name, rows in sheets:
        for i, row in enumerate(rows[:40]):
            roles = _header_roles(row)
            if "medication" in roles and "when" in roles:
                return name, i, roles, rows, date_system
    raise InputError(
        "has no medication-administration table (no header with a medication and a date column).",
        path,
        "Export the medication administration record (MAR) with columns such as Medication, "
        "Administration Date/Time, Action, Dose.",
    )


def _header_roles(row: list) -> dict[str, int]:
    roles: dict[str, int] = {}
    for c, cell in enumerate(row):
        if not isinstance(cell, str) or not cell.strip():
            continue
        low = " ".join(cell.lower().split())
        bare = re.sub(r"\(.*?\)", "", low).strip()
        for role, words in _ROLES:
            if role == "mrn" and re.search(r"\bname\b", low):
                continue  # a patient's name is not an identifier to match on
            if any(re.search(r"(?<![a-zäöüé])" + re.escape(w) + r"(?![a-zäöüé])", bare or low) for w in words):
                if role == "when" and "when" in roles:
                    # A second date/time column: a separate time of day.
                    roles.setdefault("time_of_day", c)
                elif role not in roles:
                    roles[role] = c
                    if role == "weight" and re.search(r"\blbs?\b|pound", low):
                        roles["weight_in_lb"] = c
                break
    return roles


def _cell(row: list, col: int | None):
    if col is None or col >= len(row):
        return None
    return row[col]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


def _text(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _ident(value) -> str:
    return _text(value)


def _parse_times(rows, roles, date_system, date_order, path) -> list[datetime | None]:
    """Administration times of ``rows``, read as one column so that the day/month order of text
    dates is decided by the whole record (analysis.importing.dates never guesses it per cell)."""
    from analysis.importing.dates import combine_date_time, parse_datetime_column

    try:
        column = parse_datetime_column([_none_if_blank(_cell(r, roles["when"])) for r in rows],
                                       order=date_order, system=date_system)
        if "time_of_day" in roles:
            column = combine_date_time(column, [_none_if_blank(_cell(r, roles["time_of_day"])) for r in rows])
    except ChoiceRequired as exc:
        raise ChoiceRequired(exc.message, path, exc.hint, kind=exc.kind, options=exc.options) from None
    return list(column.times)


def _none_if_blank(value):
    return None if _blank(value) else value


_NUMBER = re.compile(r"([-+]?\d+(?:[.,]\d+)?)\s*([^\d\s].*)?$")


def _number_and_unit(value) -> tuple[float | None, str]:
    if _blank(value):
        return None, ""
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, (int, float)):
        return float(value), ""
    m = _NUMBER.match(str(value).strip())
    if not m:
        return None, ""
    return float(m.group(1).replace(",", ".")), (m.group(2) or "").strip()


def normalise_unit(unit: str) -> str:
    u = " ".join(str(unit or "").split()).lower().replace("µ", "u").replace("μ", "u")
    u = re.sub(r"\bgrams?\b|\bgm\b|\bgramm\b", "g", u)
    u = re.sub(r"\bmilligrams?\b", "mg", u)
    u = u.replace(" ", "")
    if u in ("ml", "l"):
        return u.replace("l", "L")
    return u


def _dose(row: list, roles: dict[str, int]) -> tuple[float | None, str]:
    dose, unit = _number_and_unit(_cell(row, roles.get("dose")))
    unit_cell = _text(_cell(row, roles.get("unit")))
    if unit_cell:
        unit = unit_cell
    return dose, normalise_unit(unit) if dose is not None else ""


def _weight(row: list, roles: dict[str, int]) -> float | None:
    w, unit = _number_and_unit(_cell(row, roles.get("weight")))
    if w is None or w <= 0:
        return None
    if "weight_in_lb" in roles or re.search(r"\blbs?\b|pound", unit.lower()):
        w *= 0.45359237
    return w


# --- courses and labels --------------------------------------------------------------------


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


def _fmt(x: float) -> str:
    return f"{round(x, 2):g}"


def course_label(course: Course) -> str:
    """"IVIG 1 g/kg", "IVIG 2 g/kg over 5 days", or the total "IVIG 80 g" when weight is unknown.

    Doses per kg are always in g/kg (0.6 g/kg, not 600 mg/kg) so that labels of one figure compare
    at a glance. A course spanning several calendar days says over how many.
    """
    name = family_of(course.product)
    adms = course.administrations
    days = (course.last.date() - course.start.date()).days + 1
    span = f" over {days} days" if days > 1 else ""
    per_kg = [a.dose_per_kg for a in adms]
    if per_kg and all(v is not None for v in per_kg):
        return f"{name} {_fmt(sum(per_kg))} g/kg{span}"
    grams = [_grams(a) for a in adms]
    if grams and all(g is not None for g in grams):
        return f"{name} {_fmt(sum(grams))} g{span}"
    units = {a.dose_unit for a in adms}
    if all(a.dose is not None for a in adms) and len(units) == 1:
        unit = units.pop()
        return f"{name} {_fmt(sum(a.dose for a in adms))} {unit}{span}".rstrip()
    return f"{name}{span}"


def _grams(adm: Administration) -> float | None:
    if adm.dose is None:
        return None
    unit = adm.dose_unit.strip().lower()
    if unit == "g":
        return adm.dose
    if unit == "mg":
        return adm.dose / 1000.0
    return None


# --- manual entry ------------------------------------------------------------------------------


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
) -> list[Administration]:
    """A planned schedule: ``doses`` administrations every ``every_days`` days from ``start``.

    For records without a MAR export ("1 g/kg every 21 days since 6 September, 6 doses"). Each
    dose is one administration; a multi-day course is entered as several regimens or by hand.
    """
    if every_days <= 0:
        raise InputError(f"The interval must be at least 1 day (got {every_days}).")
    if doses < 1:
        raise InputError(f"The number of doses must be at least 1 (got {doses}).")
    first = manual_administration(start, dose, dose_unit, product, weight_kg,
                                  note=f"regimen: {_fmt(dose)} {dose_unit} every {every_days} days")
    step = timedelta(days=every_days)
    return [
        Administration(time=first.time + k * step, product=first.product, dose=first.dose,
                       dose_unit=first.dose_unit, medication=first.medication, weight_kg=weight_kg,
                       source=first.source)
        for k in range(doses)
    ]
