"""Which column of a treatment record holds what, decided from the cells' contents.

Medication-administration records, nursing infusion flowsheets, pharmacy and infusion-centre
dispensing logs and oncology treatment records name their columns in many ways and languages.
A column's role (drug, administration time, action, dose, unit, route, patient, weight, body
surface area, note) is read from what its cells hold: dates, clock times, numbers, action words,
unit words, route words, drug names. Heading words are evidence that breaks ties and separates
the given time from a scheduled, ordered or verified one; they are never the only key. A record
whose drug is named only in a column heading (one column per drug, or a flowsheet of rate checks)
is read as a wide layout. Every choice can be overridden by heading (``overrides``). What the
cells hold is measured in :mod:`analysis.treatment.column_profiles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.errors import InputError
from analysis.model import Source
from analysis.treatment.actions import column_of_codes, fold, meaning
from analysis.treatment.column_profiles import Profile, blank, data_rows, is_date, profile, text_of
from analysis.treatment.drugs import find_medication, normalise_unit
from analysis.treatment.time_across import unfold

ROLES = ("drug", "when", "time", "scheduled", "action", "dose", "unit", "route", "patient", "weight",
         "bsa", "note", "entry")

# Heading words (folded: lower case, no accents), matched as whole words or word starts so that
# German compounds ("Verabreichungszeitpunkt") count.
_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "drug": ("medication", "medications", "drug", "medikament", "arzneimittel", "product", "produkt",
             "medicine", "praparat", "wirkstoff", "order name", "medicament", "medicamento",
             "farmaco", "geneesmiddel", "medicatie", "orderable", "substance", "agent", "generic",
             "specialite", "arznei", "therapeutic", "principio attivo", "item", "label", "dci", "inn",
             "principio activo", "generic name", "werkzame stof"),
    "when": ("date", "datum", "time", "tm", "dt", "zeit", "zeitpunkt", "fecha", "data", "heure", "hora", "ora",
             "tijd", "tijdstip", "datetime", "administered", "given", "taken", "charttime",
             "starttime", "performed", "uhrzeit", "when", "day", "tag", "jour", "dia", "giorno", "dag"),
    "action": ("action", "mar action", "status", "aktion", "statut", "estado", "stato", "actie",
               "event", "result", "task status", "documentation", "dokumentation", "vorgang"),
    "dose": ("dose", "dosis", "amount", "menge", "dosage", "dosierung", "posologie", "dosi",
             "dosering", "hoeveelheid", "quantite", "cantidad", "quantita", "volume", "volumen",
             "qty", "quantity", "given dose", "admin dose", "strength"),
    "unit": ("unit", "units", "einheit", "uom", "unite", "unidad", "unita", "eenheid", "amountuom",
             "dosiseinheit", "masseinheit"),
    "route": ("route", "applikation", "applikationsweg", "verabreichungsweg", "voie", "via",
              "toedieningsweg", "route of administration", "weg", "modalita"),
    "patient": ("mrn", "patient id", "patientid", "pid", "medical record number", "medical record",
                "patienten-id", "patientennummer", "patient", "subject id", "subject_id", "ipp",
                "nhc", "numero de patient", "patientnummer", "id paziente", "record number", "urn",
                "nhs number", "icn", "ssn", "dfn"),
    "weight": ("weight", "gewicht", "body weight", "wt", "poids", "peso", "patientweight",
               "korpergewicht", "lichaamsgewicht"),
    "bsa": ("bsa", "body surface", "kof", "korperoberflache", "surface corporelle", "superficie",
            "lichaamsoppervlak"),
    "entry": ("result status", "entry status", "record status", "charting status", "documentation status",
              "event status", "eintragsstatus"),
    "note": ("comment", "comments", "note", "notes", "reason", "bemerkung", "kommentar", "grund",
             "remarque", "commentaire", "motif", "motivo", "nota", "opmerking", "reden", "toelichting",
             "anmerkung", "observation", "observaciones", "osservazioni", "hinweis"),
}

# Of several time columns the one a dose was given at wins; these words mark the others.
_OTHER_TIME = ("scheduled", "schedule", "due", "ordered", "order", "planned", "plan", "verified", "prescribed",
               "verification", "entered", "entry", "documented", "charted", "stored", "storetime",
               "geplant", "soll", "angeordnet", "verordnet", "prevu", "prescrit", "prescription",
               "programad", "prescri", "pianificat", "previst", "gepland", "voorgeschreven",
               "end", "stop", "ende", "fin", "fine", "einde", "endtime", "bis", "hasta", "until",
               "erfasst", "dokumentiert", "validated", "valide", "freigabe", "signed", "printed")
_BIRTH = ("birth", "dob", "geburt", "naissance", "nacimiento", "nascita", "geboorte")
_CLOCK_HEADINGS = ("time", "tm", "zeit", "uhrzeit", "heure", "hora", "ora", "tijd", "hhmm", "uur")
_GIVEN_TIME = ("given", "administered", "administration", "admin", "taken", "action", "performed",
               "verabreicht", "verabreichung", "gegeben", "applikation", "administre", "donne",
               "administrado", "administracion", "somministr", "toegediend", "toediening", "actual",
               "start", "starttime", "beginn", "begin", "debut", "inicio", "inizio", "ist", "charttime")

# "rate" as a word of its own, also between underscores ("INFUSION_RATE"), not inside "Pirate".
_RATE_WORDS = re.compile(r"(?<![a-z])rate(?![a-z])|ml\s*/\s*h|laufrate|debit|velocidad|velocita|snelheid|ritmo",
                         re.IGNORECASE)
_HEADING_UNIT = re.compile(r"[\(\[]\s*(mg/m2|mg/m²|mg/kg|g/kg|mcg|mg|g|ml|iu|ie|units?)\s*[\)\]]|"
                           r"\bin\s+(mg|g|ml)\b", re.IGNORECASE)
SAMPLE_ROWS = 200  # enough to decide a column's role; a 10-year record is read whole afterwards
HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class TreatmentColumns:
    """The column-role choice for one treatment record: what the importer decided, what the
    assistant shows and corrects, what a project stores to read the same file the same way.

    ``columns`` pairs each role with its heading; ``drug_columns`` lists, for a wide layout, the
    headings that name a drug (the drug is in the heading, the dose or rate in the cells).
    """

    sheet: str
    header_row: int  # 1-based, as a spreadsheet shows it
    layout: str  # "long" or "wide"
    columns: tuple[tuple[str, str], ...] = ()
    drug_columns: tuple[str, ...] = ()

    def heading(self, role: str) -> str | None:
        return dict(self.columns).get(role)


@dataclass
class Located:
    """A treatment table found in a workbook (the rows stay in memory for the reader)."""

    sheet: str
    header_index: int
    roles: dict[str, int]
    drug_columns: list[int]
    rows: list[list]
    headings: list[str]
    codes: bool = False  # the action column holds BCMA status codes
    actions: dict[str, str] = field(default_factory=dict)  # folded word -> meaning the user gave
    # A grid of administration times unfolded into ``rows`` (:mod:`analysis.treatment.time_across`):
    # each row's cell in the file (row, column letter); None for a table read as it is.
    origin: list[tuple[int, str]] | None = None

    def place(self, source: Source) -> Source:
        """Where a row of ``rows`` is in the file: itself, or the grid cell it was unfolded from."""
        if self.origin is None or source.row is None or not 0 < source.row <= len(self.origin):
            return source
        row, column = self.origin[source.row - 1]
        return replace(source, row=row, column=column)

    def meaning(self, action: str) -> str:
        """What an action cell means: the user's word for it first, else Nadir's reading."""
        if self.actions:
            said = self.actions.get(fold(action))
            if said is not None:
                return said
        return meaning(action, self.codes)

    def detection(self) -> TreatmentColumns:
        return TreatmentColumns(
            sheet=self.sheet, header_row=self.origin[0][0] if self.origin else self.header_index + 1,
            layout="times across" if self.origin else "wide" if self.drug_columns and "drug" not in self.roles
            else "long",
            columns=tuple((r, self.headings[c]) for r, c in sorted(self.roles.items(), key=lambda kv: kv[1])),
            drug_columns=tuple(self.headings[c] for c in self.drug_columns))


# --- headings --------------------------------------------------------------------------------------


def _heading_has(heading: str, words) -> bool:
    h = fold(heading)
    return any((w in h) if len(w) >= 5 else _has_word(h, w) for w in words)


def _has_word(text: str, word: str) -> bool:
    """``word`` in ``text`` with no letter a-z on either side: what the pattern
    ``(?<![a-z])word(?![a-z])`` finds, without compiling one pattern per short heading word (a
    fresh session compiled dozens of them on its first record, about 4 ms)."""
    at, end = text.find(word), len(word)
    while at >= 0:
        before = text[at - 1] if at else ""
        after = text[at + end:at + end + 1]
        if not ("a" <= before <= "z") and not ("a" <= after <= "z"):
            return True
        at = text.find(word, at + 1)
    return False


# --- roles -----------------------------------------------------------------------------------------


def _headings(row: list) -> list[str]:
    return [text_of(v) for v in row]


def _time_kind(heading: str) -> int:
    """2 for a given/administered time, 1 for a neutral heading, 0 for scheduled/ordered/end."""
    if _heading_has(heading, _OTHER_TIME):
        return 0
    if _heading_has(heading, _GIVEN_TIME):
        return 2
    return 1


def _assign(headings: list[str], profiles: list[Profile]) -> tuple[dict[str, int], list[int], bool]:
    roles: dict[str, int] = {}
    used: set[int] = set()
    cols = range(len(headings))

    def evidence(c: int, role: str) -> bool:
        return bool(headings[c]) and _heading_has(headings[c], _HEADING_WORDS[role])

    def take(role: str, c: int | None):
        if c is not None:
            roles[role] = c
            used.add(c)

    # Times: the given time wins over scheduled, ordered or verified ones.
    date_cols = [c for c in cols if profiles[c].n and profiles[c].dates >= 0.6
                 and not _heading_has(headings[c], _BIRTH)]
    if date_cols:
        # Of two equally named columns, the one with the time of day (OMOP's start_date and
        # start_datetime); else the first.
        given = max(date_cols, key=lambda c: (_time_kind(headings[c]), profiles[c].timed >= 0.5, -c))
        take("when", given)
        others = [c for c in date_cols if c != given and _time_kind(headings[c]) == 0
                  and _heading_has(headings[c], ("scheduled", "schedule", "due", "planned", "geplant",
                                                 "soll", "prevu", "programad", "pianificat", "gepland"))]
        if others:
            take("scheduled", others[0])
        used.update(date_cols)
    clock_cols = [c for c in cols if c not in used and profiles[c].n and (
        profiles[c].clocks >= 0.6 or (profiles[c].hhmm >= 0.9 and _heading_has(headings[c], _CLOCK_HEADINGS)))]
    if clock_cols:
        take("time", max(clock_cols, key=lambda c: (_time_kind(headings[c]), -c)))
        used.update(clock_cols)

    def best(role: str, score) -> int | None:
        scored = [(score(c) + (0.5 if evidence(c, role) else 0.0), -c, c) for c in cols
                  if c not in used and profiles[c].n]
        scored = [s for s in scored if s[0] >= 0.6]
        return max(scored)[2] if scored else None

    # A note column filled in a few rows ("Observations": "poche retournée à la pharmacie" once) is
    # no action column even when those few notes use action words.
    filled_rows = max((p.n for p in profiles), default=0)

    def action_score(c: int) -> float:
        if evidence(c, "note") and not evidence(c, "action") and profiles[c].n < 0.5 * filled_rows:
            return 0.0
        return profiles[c].actions if profiles[c].actions >= 0.4 else 0.0

    take("action", best("action", action_score))
    if "action" not in roles:
        # An action written as a number (Epic Clarity's MAR_ACTION_C without its ZC_ name): a
        # column headed as the action whose cells are a few small whole numbers. Its codes mean
        # what the site configured, so they are read as unknown actions, shown to the user to say
        # what each means, never counted and never taken as the dose.
        take("action", next((c for c in cols if c not in used and _numeric_codes(headings[c], profiles[c])), None))
    # The state of each charting entry beside the action (Oracle Health's "Auth (Verified)" and
    # "In Error"): a few words, some of them saying the entry was struck, most not.
    take("entry", best("entry", lambda c: 0.6 if _entry_states(profiles[c]) else 0.0))
    take("unit", best("unit", lambda c: profiles[c].units if profiles[c].units >= 0.6 else 0.0))
    take("route", best("route", lambda c: profiles[c].routes if profiles[c].routes >= 0.6 else 0.0))
    take("patient", best("patient", lambda c: 0.3 if _identifier_like(profiles[c]) else 0.0))
    take("weight", best("weight", lambda c: 0.2 if _in_range(profiles[c], 2, 350) else 0.0))
    take("bsa", best("bsa", lambda c: 0.2 if _in_range(profiles[c], 0.1, 3.5) else 0.0))

    drug_cols = _wide_drug_columns(headings, profiles, used)
    drug = best("drug", lambda c: profiles[c].drugs if profiles[c].texts >= 0.8 and c not in drug_cols else 0.0)
    take("drug", drug if drug is not None else _fallback_drug(headings, profiles, used, drug_cols))
    take("note", best("note", lambda c: 0.1 * profiles[c].texts))
    if "drug" in roles:
        drug_cols = []
    else:
        used.update(drug_cols)
    take("dose", best("dose", lambda c: _dose_score(headings[c], profiles[c])))
    codes = "action" in roles and profiles[roles["action"]].codes
    return roles, drug_cols, codes


_ACTION_CODE_HEADINGS = ("action", "status", "aktion", "statut", "estado", "stato", "actie")


def _numeric_codes(heading: str, p: Profile) -> bool:
    return bool(heading) and _heading_has(heading, _ACTION_CODE_HEADINGS) \
        and not _heading_has(heading, _HEADING_WORDS["dose"]) and p.numbers >= 0.95 and not p.counter \
        and p.low is not None and p.high is not None and p.low >= 0 and p.high < 100 \
        and float(p.low).is_integer() and float(p.high).is_integer() and p.distinct <= 20 and p.with_unit == 0


def _dose_score(heading: str, p: Profile) -> float:
    """How surely a column of numbers is the dose: a given dose over a prescribed one, a dose
    written with its unit ("1,200 mg") over a count of vials; never a row counter (Epic's LINE)
    nor an infusion rate."""
    if p.numbers < 0.6 or p.counter or (_heading_has(heading, _NO_DRUG_HEADINGS)
                                         and not _heading_has(heading, _DOSE_PROPER)):
        return 0.0  # a length of time ("Durée (jours)", "Infusion duration (min)") is no dose
    # A column headed as the dose over one headed as a quantity (a dispensing cabinet's "Qty" of
    # vials beside its "Dose"); a count of packs below any other column of numbers ("Qty" beside
    # an Omnicell report's "Amount").
    dose_named = 0.1 if _heading_has(heading, _DOSE_PROPER) else \
        -0.05 if _COUNT_HEADING.search(fold(heading or "")) else 0.0
    return p.numbers + 0.1 * (_time_kind(heading) - 1) + 0.2 * p.with_unit + dose_named \
        - (0.5 if rate_heading(heading) else 0.0)


_DOSE_PROPER = ("dose", "dosis", "dosage", "dosierung", "posologie", "dosi", "dosering", "given dose", "admin dose")


def _fallback_drug(headings, profiles, used, drug_cols) -> int | None:
    """Without a drug-like column, the text column with the most distinct values that has a
    drug heading, or the only text column left."""
    texts = [c for c in range(len(headings)) if c not in used and c not in drug_cols and profiles[c].n
             and profiles[c].texts >= 0.9 and profiles[c].actions < 0.4]
    named = [c for c in texts if _heading_has(headings[c], _HEADING_WORDS["drug"])]
    if named:
        return named[0]
    return texts[0] if len(texts) == 1 and not drug_cols else None


def _entry_states(p: Profile) -> bool:
    return 0 < p.struck < 0.5 and p.actions < 0.4 and p.texts >= 0.9 and p.distinct <= 12 and p.drugs < 0.5


def _identifier_like(p: Profile) -> bool:
    return p.n > 0 and p.distinct <= max(3, p.n // 20) and p.actions == 0 and p.routes == 0 and p.drugs < 0.5


def _in_range(p: Profile, lo: float, hi: float) -> bool:
    return p.numbers >= 0.9 and p.low is not None and p.high is not None and lo <= p.low and p.high <= hi


def _wide_drug_columns(headings: list[str], profiles: list[Profile], used: set[int]) -> list[int]:
    """Columns whose heading names a drug and whose cells are doses or rates (a wide record or a
    nursing infusion flowsheet)."""
    out = []
    for c, h in enumerate(headings):
        # doses, and perhaps a few cells marking a dose not given or returned ("nicht gegeben")
        p = profiles[c]
        if c in used or not h or not p.n or p.numbers < 0.5 or p.numbers + p.actions < 0.8:
            continue
        med = find_medication(h)
        if (med is not None and not med.premedication) or (_HEADING_UNIT.search(h) and _drug_heading(h)):
            out.append(c)
    return out


# Headings of a count of days or a length (an events table's "Durée (jours)", "Dauer (Tage)"), no drug.
_NO_DRUG_HEADINGS = ("duration", "dauer", "duree", "duracion", "durata", "duur", "days", "tage", "jours", "dias",
                     "giorni", "dagen", "length")


def _drug_heading(heading: str) -> bool:
    """A heading such as "Cyclophosphamide (mg)" that names something other than a known field."""
    bare = _HEADING_UNIT.sub("", heading).strip()
    if not re.search(r"[a-zA-Z]{4}", bare) or _heading_has(heading, _NO_DRUG_HEADINGS):
        return False
    return not any(_heading_has(bare, words) for role, words in _HEADING_WORDS.items() if role != "drug")


def rate_heading(heading: str) -> bool:
    return bool(_RATE_WORDS.search(heading))


# Headings that count packs rather than state an amount (a dispensing cabinet's "Qty" of vials).
_COUNT_HEADING = re.compile(
    r"(?<![a-z])(?:qty|quantity|anzahl|aantal|vials|packs|units dispensed|no\. of vials)(?![a-z])")


_AMOUNT_OR_COUNT = re.compile(r"(?<![a-z])(?:menge|cantidad|quantita|quantite|hoeveelheid|amount)(?![a-z])")


def count_heading(heading: str, dispensing: bool = False) -> bool:
    """True for a heading that counts packs ("Qty", "Quantity", "Anzahl"). "Menge", "Cantidad",
    "Quantità" name an amount as often: a count only in a dispensing log (``dispensing``: its
    actions take packs out of a cabinet)."""
    h = fold(heading or "")
    return (bool(_COUNT_HEADING.search(h)) or (dispensing and bool(_AMOUNT_OR_COUNT.search(h)))) \
        and not heading_unit(heading)


def heading_unit(heading: str) -> str:
    m = _HEADING_UNIT.search(heading)
    return normalise_unit(next(g for g in m.groups() if g)) if m else ""


# --- locating the table ------------------------------------------------------------------------


def _candidate(name: str, rows: list[list], i: int) -> tuple[float, Located] | None:
    header = rows[i]
    headings = _headings(header)
    filled = [h for h in headings if h]
    if len(filled) < 2 or sum(isinstance(v, str) for v in header if not blank(v)) < 0.7 * len(filled):
        return None
    if any(is_date(v) for v in header if not blank(v)):
        return None
    data = data_rows(rows, i, SAMPLE_ROWS)
    if not data:
        return None
    width = len(headings)
    profiles = [profile([r[c] if c < len(r) else None for r in data]) for c in range(width)]
    roles, drug_cols, codes = _assign(headings, profiles)
    if "when" not in roles or ("drug" not in roles and not drug_cols):
        return None
    found = sum(1 for _ in roles) + len(drug_cols) * 0.5
    evidence = sum(1 for r, c in roles.items() if r in _HEADING_WORDS and _heading_has(headings[c], _HEADING_WORDS[r]))
    score = found + 0.5 * evidence + min(len(data), 50) / 100.0
    return score, Located(name, i, roles, drug_cols, rows, headings, codes)


def header_rows(rows: list[list], header_row: int | None) -> range:
    """The rows searched for the column headings: the one the user chose (1-based), else the
    first HEADER_SEARCH_ROWS."""
    if header_row is not None:
        return range(header_row - 1, min(header_row, len(rows)))
    return range(min(HEADER_SEARCH_ROWS, len(rows)))


def locate(path: Path, sheets: list[tuple[str, list[list]]], overrides: dict[str, str] | None = None,
           sheet: str | None = None, header_row: int | None = None) -> Located:
    """The treatment table of a workbook: its sheet, header row and column roles."""
    chosen = [(n, r) for n, r in sheets if sheet is None or n == sheet]
    if sheet is not None and not chosen:
        raise InputError(f"has no sheet {sheet!r}.", path, f"Sheets: {', '.join(n for n, _ in sheets)}.")
    # A role named with an empty heading is one the record does not have ("action=": the column
    # Nadir took for the action is something else).
    absent = {r for r, h in (overrides or {}).items() if not str(h).strip()}
    named = {r: h for r, h in (overrides or {}).items() if r not in absent}
    if named or absent - set(ROLES):
        return _with_overrides(path, chosen, overrides or {}, header_row)
    best: tuple[float, Located] | None = None
    for name, rows in chosen:
        for i in header_rows(rows, header_row):
            cand = _candidate(name, rows, i)
            if cand is not None and (best is None or cand[0] > best[0]):
                best = cand
    if best is None:
        best = _times_across(chosen, header_row)
    if best is None:
        where = f" in row {header_row}" if header_row is not None else ""
        raise InputError(
            f"has no medication-administration table{where} (no column reads as a drug next to a column "
            "of dates).", path,
            _columns_hint(chosen, "--infusion-column drug=HEADING --infusion-column when=HEADING", header_row))
    return _without(best[1], absent, path)


def _times_across(sheets, header_row: int | None) -> tuple[float, Located] | None:
    """A grid of administration times (drugs down, times across), unfolded and read as long."""
    for name, rows in sheets:
        unfolded = unfold(rows, header_rows(rows, header_row))
        if unfolded is None:
            continue
        cand = _candidate(name, unfolded.rows, 0)
        if cand is not None:
            cand[1].origin = unfolded.origin
            return cand
    return None


def _without(loc: Located, absent: set[str], path: Path) -> Located:
    """``loc`` without the roles the user said the record does not have."""
    for role in absent & set(loc.roles):
        del loc.roles[role]
    if "when" not in loc.roles or ("drug" not in loc.roles and not loc.drug_columns):
        missing = "when" if "when" not in loc.roles else "drug"
        raise InputError(f"has no column for the {missing} role.", path,
                         _columns_hint([(loc.sheet, loc.rows)], f"--infusion-column {missing}=HEADING"))
    loc.codes = loc.codes and "action" in loc.roles
    return loc


def _columns_hint(sheets, option: str, header_row: int | None = None) -> str:
    for _name, rows in sheets:
        # The row the user gave first; when it names no columns, the rows detection searches.
        for i in [*header_rows(rows, header_row), *header_rows(rows, None)]:
            headings = [h for h in _headings(rows[i]) if h]
            if len(headings) >= 2:
                listed = ", ".join(repr(h) for h in headings[:12])
                return f"Columns found: {listed}. Say which column holds what with {option}."
    return ("Export the medication administration record (MAR) with columns such as Medication, "
            "Administration Date/Time, Action, Dose.")


def _with_overrides(path: Path, sheets, overrides: dict[str, str], header_row: int | None = None) -> Located:
    """The table whose header row holds every heading the user named; the other roles by content."""
    bad = [r for r in overrides if r not in ROLES]
    if bad:
        raise InputError(f"unknown column role {bad[0]!r}.", path, f"Roles: {', '.join(ROLES)}.")
    absent = {r for r, h in overrides.items() if not str(h).strip()}
    wanted = {r: fold(h) for r, h in overrides.items() if r not in absent}
    for name, rows in sheets:
        for i in header_rows(rows, header_row):
            headings = _headings(rows[i])
            folded = [fold(h) for h in headings]
            if not all(w in folded for w in wanted.values()):
                continue
            data = data_rows(rows, i, SAMPLE_ROWS)
            profiles = [profile([r[c] if c < len(r) else None for r in data]) for c in range(len(headings))]
            forced = {r: folded.index(w) for r, w in wanted.items()}
            masked = [h if c not in forced.values() else "" for c, h in enumerate(headings)]
            empty = Profile()
            roles, drug_cols, _codes = _assign(masked, [p if c not in forced.values() else empty
                                                        for c, p in enumerate(profiles)])
            roles = {r: c for r, c in roles.items() if r not in forced and r not in absent}
            roles.update(forced)
            if "drug" in roles:
                drug_cols = []
            if "when" not in roles or ("drug" not in roles and not drug_cols):
                missing = "when" if "when" not in roles else "drug"
                raise InputError(f"has no column for the {missing} role.", path,
                                 _columns_hint([(name, rows)], f"--infusion-column {missing}=HEADING"))
            codes = "action" in roles and column_of_codes(
                [r[roles["action"]] for r in data if roles["action"] < len(r)])
            return Located(name, i, roles, drug_cols, rows, headings, codes)
    for name, rows in sheets:  # the headings of a MAR grid's unfolded rows, as the assistant offers them
        unfolded = unfold(rows, header_rows(rows, header_row))
        if unfolded is not None and all(w in [fold(text_of(v)) for v in unfolded.rows[0]] for w in wanted.values()):
            loc = _with_overrides(path, [(name, unfolded.rows)], overrides, 1)
            loc.origin = unfolded.origin
            return loc
    listed = ", ".join(f"{r}={h!r}" for r, h in overrides.items())
    raise InputError(f"has no header row with the columns {listed}.", path,
                     _columns_hint(sheets, "--infusion-column", header_row))
