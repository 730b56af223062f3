"""Annotated events (infection, fever, G-CSF, hospital stay) read from a small table or made by hand.

Events matter to the analysis because an infection mobilises neutrophils and hides the drug
effect (CYCLE-RULES rule 8); the others are drawn on the chart for context. The table a physician
keeps is tiny and hand-written, so the reader is forgiving about column names and type words but
strict about dates: a row whose date cannot be read stops the import with the file and row named,
rather than silently dropping an infection that would change the summary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from analysis.errors import ChoiceRequired, InputError
from analysis.importing.dates import in_range
from analysis.importing.limits import MAX_HEADING_CHARACTERS
from analysis.model import EVENT_KINDS, Event
from analysis.treatment.actions import fold
from analysis.treatment.event_kinds import icd_kind, kind_of
from analysis.treatment.settings import EventImportSettings

# Column roles of an events table: heading words (folded), checked end before start so that
# "Einddatum" and "Date de fin" are ends, and kind before label.
_ROLE_WORDS = {
    "end": ("end", "to", "until", "stop", "bis", "ende", "end date", "date to", "resolved", "fin", "date de fin",
            "fecha fin", "fecha de fin", "fine", "data fine", "einddatum", "eind", "tot", "hasta", "enddatum",
            "resolution", "abgeklungen", "abatement", "discharge", "discharged", "entlassung", "entlass",
            "sortie", "alta",
            "dimissione", "ontslag", "au", "al"),
    "start": ("start", "date", "datum", "from", "begin", "beginn", "onset", "von", "start date", "date from",
              "noted", "debut", "date de debut", "fecha", "fecha inicio", "inicio", "data", "data inizio", "inizio",
              "begindatum", "when", "wann", "tag", "jour", "dia", "giorno", "dag", "day", "startdatum", "desde",
              "dal", "vanaf", "seit", "du", "van", "zeitraum", "period", "periode", "periodo"),
    "duration": ("duration", "dauer", "duree", "duracion", "durata", "duur", "length", "days", "tage", "jours",
                 "dias", "giorni", "dagen", "number of days", "anzahl tage", "nombre de jours"),
    "kind": ("type", "kind", "category", "typ", "art", "kategorie", "class", "categorie", "categoria", "tipo",
             "soort", "classe", "klasse", "ereignisart", "event type"),
    "label": ("event", "label", "description", "name", "title", "ereignis", "beschreibung", "what", "note", "notes",
              "comment", "problem", "evenement", "evento", "gebeurtenis", "omschrijving", "descripcion",
              "descrizione", "diagnosis", "diagnose", "diagnostic", "diagnostico", "was", "bemerkung", "remarque",
              "commentaire", "nota", "opmerking", "details", "detail", "complaint", "reason for visit",
              "presenting problem", "motif", "motivo", "anlass", "reden"),
}

_RANGE_SPLIT = re.compile(r"\s+(?:-|–|—|to|bis|until)\s+|\s*(?:–|—|\.\.)\s*", re.IGNORECASE)


def event_kind(text: str | None, default: str = "other") -> str:
    """The EVENT_KINDS entry a category (or, failing that, a description) names; ``default`` if
    none. Word stems in six languages, compounds included, never an incidental word
    (:mod:`analysis.treatment.event_kinds`)."""
    return kind_of(str(text).strip() if text else "") or default


def make_event(kind: str, label: str, start, end=None) -> Event:
    """An :class:`Event` from code or a GUI form, with the kind and the dates checked.

    ``start``/``end`` may be dates, datetimes or ISO text. A date becomes midnight of that day;
    an event on a date covers the whole day (see :func:`event_span`).
    """
    k = str(kind).strip().lower()
    if k not in EVENT_KINDS:
        mapped = event_kind(k, default="")
        if not mapped:
            raise InputError(
                f"Unknown event type {kind!r}.",
                hint=f"Use one of: {', '.join(EVENT_KINDS)}.",
            )
        k = mapped
    s = _as_datetime(start)
    e = _as_datetime(end) if end is not None else None
    if s is None:
        raise InputError(f"The event {label!r} has no readable start date ({start!r}).",
                         hint="Give the date as YYYY-MM-DD.")
    if end is not None and e is None:
        raise InputError(f"The event {label!r} has an unreadable end date ({end!r}).",
                         hint="Give the date as YYYY-MM-DD.")
    if e is not None and e < s:
        raise InputError(f"The event {label!r} ends ({e:%Y-%m-%d}) before it starts ({s:%Y-%m-%d}).",
                         hint="Swap the two dates.")
    if e == s:
        e = None
    return Event(kind=k, label=str(label).strip() or k, start=s, end=e)


def event_span(event: Event) -> tuple[datetime, datetime]:
    """The half-open time span ``[lo, hi)`` an event covers.

    Events are usually recorded by date: a date (midnight) stands for the whole day, so an
    infection "on 2022-10-18" covers 18 October 00:00 to 19 October 00:00. An end with a time of
    day is taken as that moment.
    """
    lo = event.start
    stop = event.stop
    hi = stop + timedelta(days=1) if stop.time() == time(0) else stop
    if hi <= lo:  # a timed single moment: give it a minimal extent so overlaps work
        hi = lo + timedelta(microseconds=1)
    return lo, hi


def event_dates(event: Event) -> tuple[date, date]:
    """First and last calendar date an event touches (inclusive)."""
    lo, hi = event_span(event)
    last = (hi - timedelta(microseconds=1)).date()
    return lo.date(), last


@dataclass(frozen=True)
class EventImport(Sequence):
    """The events of a table and the settings that read it again the same way.

    A sequence of its events, so that a caller that wants only the events iterates it.
    """

    events: tuple[Event, ...]
    settings: EventImportSettings = EventImportSettings()
    # What was read, for the events assistant: the heading row (1-based) and role -> heading.
    header_row: int | None = None
    columns_read: tuple[tuple[str, str], ...] = ()

    def __getitem__(self, index):
        return self.events[index]

    def __len__(self) -> int:
        return len(self.events)


EVENT_ROLES = ("start", "end", "label", "kind", "duration")


def read_events(path: str | Path, *, date_order: str | None = None,
                settings: EventImportSettings | None = None,
                columns: dict[str, str] | None = None, sheet: str | None = None,
                header_row: int | None = None) -> EventImport:
    """Events from a CSV or Excel table (columns like Date/Start, End, Event/Label, Type/Kind).

    A row gives one date or a range (an End column, or "2022-10-18 to 2022-10-25" in the date
    cell). The type word is mapped to EVENT_KINDS; without a type column, or with a word Nadir
    does not know, the label decides ("COVID-19" -> infection), else "other". Blank rows are
    ignored; a row with text but no readable date raises InputError naming the row. Text dates
    are read as a column (``date_order`` "MDY"/"DMY" when the column cannot decide it).
    ``settings`` replays a saved :class:`EventImportSettings` (``date_order`` overrides it).
    ``columns`` names columns by heading ({"start": "Onset", "label": "Problem"}), overriding
    detection (and the saved settings' columns); ``sheet`` and ``header_row`` (1-based) say
    where the table is when the first sheet or the first 30 rows are not it.
    """
    if date_order is None and settings is not None:
        date_order = settings.date_order
    if columns is None and settings is not None and settings.columns:
        columns = dict(settings.columns)
    if settings is not None:
        sheet = settings.sheet if sheet is None else sheet
        header_row = settings.header_row if header_row is None else header_row
    from analysis.importing.dates import parse_datetime_column

    path = Path(path)
    rows, date_system = read_table(path, sheet)
    header_index, roles = _table_roles(rows, path, columns, header_row)
    entries = _entries(rows, header_index, roles, path)
    lengths = _durations(rows, header_index, roles, entries)
    try:
        starts = parse_datetime_column([e[1] for e in entries], order=date_order, system=date_system)
        end_order = date_order or (starts.order if starts.order in ("MDY", "DMY") else None)
        ends = parse_datetime_column([e[2] for e in entries], order=end_order, system=date_system)
    except ChoiceRequired as exc:
        hint = exc.hint or ("Use the events assistant (or --date-order MDY or --date-order DMY)."
                            if exc.kind == "date_order" else None)
        raise ChoiceRequired(exc.message, path, hint, kind=exc.kind, options=exc.options) from None
    ends_read = list(ends.times)
    for k, (length, begun) in enumerate(zip(lengths, starts.times, strict=True)):
        if length is not None and entries[k][2] is None and begun is not None:
            ends_read[k] = _end_after(begun, length)
    events = _events(entries, starts.times, ends_read, path)
    header = rows[header_index]
    read = tuple((role, str(header[c]).strip() if c < len(header) and not _blank(header[c]) else "")
                 for role, c in sorted(roles.items(), key=lambda rc: rc[1]))
    return EventImport(tuple(events), EventImportSettings(date_order=end_order, columns=dict(columns or {}),
                                                          sheet=sheet, header_row=header_row),
                       header_row=header_index + 1, columns_read=read)


def _table_roles(rows: list[list], path: Path, columns: dict[str, str] | None,
                 header_row: int | None) -> tuple[int, dict[str, int]]:
    """(header row index, role -> column) of an events table, the user's named columns first."""
    searched = _header_rows(rows, header_row)
    # A role named with an empty heading is one the table does not have (the column Nadir took
    # for the type holds something else).
    named = {r: h for r, h in (columns or {}).items() if str(h).strip()}
    absent = set(columns or {}) - set(named)
    if absent - set(EVENT_ROLES):
        named = dict(columns or {})  # refused by name below
    # A heading the user named is found further down than detection looks (a long letterhead).
    header_index, roles = (_with_overrides(rows, path, named, _header_rows(rows, header_row, NAMED_SEARCH_ROWS))
                           if named else _find_header(rows, path, searched))
    for role in absent & set(roles):
        del roles[role]
    if "start" not in roles:
        raise InputError("has no date column for the events.", path, _events_hint(rows, "start"))
    return header_index, roles


def _entries(rows: list[list], header_index: int, roles: dict[str, int], path: Path) -> list[tuple]:
    """(row number, start cell, end cell, label, kind text) of each row that is not blank; a date
    range in one cell ("2022-10-18 to 2022-10-25") is split into start and end."""
    entries = []
    for i in range(header_index + 1, len(rows)):
        row = rows[i]
        if all(_blank(v) for v in row):
            continue
        cells = {role: (row[c] if c < len(row) else None) for role, c in roles.items()}
        start_cell, end_cell = cells.get("start"), cells.get("end")
        if _blank(start_cell):
            raise InputError(f"row {i + 1} has no date.", path,
                             "Give every event a date (YYYY-MM-DD) or delete the row.")
        if isinstance(start_cell, str) and _blank(end_cell):
            parts = [p for p in _RANGE_SPLIT.split(start_cell.strip()) if p.strip()]
            if len(parts) == 2:
                start_cell, end_cell = parts
        label = "" if _blank(cells.get("label")) else " ".join(str(cells["label"]).split())
        kind_text = "" if _blank(cells.get("kind")) else str(cells["kind"]).strip()
        entries.append((i + 1, start_cell, None if _blank(end_cell) else end_cell, label, kind_text))
    return entries


# A duration in a cell ("3 days", "3 Tage", "1 Woche", "2 d", "48 h"); a bare number takes its unit
# from the heading ("Durée (jours)") or is days.
_DURATION = re.compile(
    r"\s*(\d+(?:[.,]\d+)?)\s*(days?|d|tage?n?|t|jours?|j|d[ií]as?|giorn[oi]|gg|dag(?:en)?|"
    r"weeks?|wks?|w|wochen?|wo|semaines?|sem|semanas?|settiman[ae]|sett|weken|wk|"
    r"hours?|hrs?|h|std|stunden?|heures?|horas?|ore|uur|u)?\.?\s*$", re.IGNORECASE)
_WEEK_UNITS = ("w", "wk", "wks", "week", "weeks", "woche", "wochen", "wo", "semaine", "semaines", "sem", "semana",
               "semanas", "settimana", "settimane", "sett", "weken")
_HOUR_UNITS = ("h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "heure", "heures", "hora", "horas",
               "ore", "uur", "u")


def _duration(value, heading_unit: str) -> timedelta | None:
    if isinstance(value, bool) or _blank(value):
        return None
    if isinstance(value, (int, float)):
        n, unit = float(value), heading_unit
    else:
        m = _DURATION.fullmatch(str(value))
        if not m:
            return None
        n, unit = float(m.group(1).replace(",", ".")), fold(m.group(2) or heading_unit)
    if not 0 < n <= 3660:
        return None
    if unit in _HOUR_UNITS:
        return timedelta(hours=n)
    return timedelta(days=n * (7 if unit in _WEEK_UNITS else 1))


def _heading_unit(heading) -> str:
    m = re.search(r"[(\[]\s*([a-z]+)\s*[)\]]", fold(str(heading or "")))
    if m:
        return m.group(1)
    low = fold(str(heading or ""))
    return next((u for u in ("weeks", "wochen", "semaines", "hours", "stunden", "heures") if u in low), "days")


def _durations(rows: list[list], header_index: int, roles: dict[str, int], entries: list[tuple]) -> list:
    """Each entry's duration (a timedelta) from the duration column, None where there is none."""
    c = roles.get("duration")
    if c is None:
        return [None] * len(entries)
    unit = _heading_unit(rows[header_index][c] if c < len(rows[header_index]) else "")
    return [_duration(rows[rownum - 1][c] if c < len(rows[rownum - 1]) else None, unit)
            for rownum, *_rest in entries]


def _end_after(start: datetime, length: timedelta) -> datetime | None:
    """The end of an event of ``length`` from ``start``: "3 days" from a date are that day and the
    two after it (its last day, as an End column writes it); hours from a time, that moment."""
    if start.time() == time(0) and length % timedelta(days=1) == timedelta(0):
        end = start + length - timedelta(days=1)
    else:
        end = start + length
    return end if end > start else None


def _events(entries: list[tuple], starts: list, ends: list, path: Path) -> list[Event]:
    """The events of the entries, with their read dates; the kind from the type word, else the
    label, else "other"; in time order."""
    events: list[Event] = []
    for k, (rownum, start_cell, end_cell, label, kind_text) in enumerate(entries):
        start, end = starts[k], ends[k]
        if start is None:
            raise InputError(f"row {rownum}: cannot read the date {start_cell!r}.", path,
                             "Write dates as YYYY-MM-DD (a range as two dates in Start and End).")
        if end_cell is not None and end is None:
            raise InputError(f"row {rownum}: cannot read the end date {end_cell!r}.", path,
                             "Write dates as YYYY-MM-DD.")
        kind = event_kind(kind_text, default="") or event_kind(label, default="other")
        if kind == "medication" and event_kind(label, default="") == "gcsf":
            kind = "gcsf"  # a category of treatments, a description naming the G-CSF given
        try:
            events.append(make_event(kind, label or kind_text or kind, start, end))
        except InputError as exc:
            raise InputError(f"row {rownum}: {exc.message}", path, exc.hint) from None
    events.sort(key=lambda e: (e.start, e.stop))
    return events


# --- helpers ------------------------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


def read_table(path: Path, sheet: str | None = None) -> tuple[list[list], int]:
    """The rows of the events table's sheet (``sheet``, else the first that is not empty)."""
    from analysis.treatment.medications import read_sheets  # the same safe opening as the other imports

    sheets, date_system = read_sheets(path)
    if sheet is not None:
        found = [rows for name, rows in sheets if name == sheet]
        if not found:
            raise InputError(f"has no sheet {sheet!r}.", path, f"Sheets: {', '.join(n for n, _ in sheets)}.")
        return found[0], date_system
    for _name, rows in sheets:
        if any(not _blank(v) for r in rows for v in r):
            return rows, date_system
    raise InputError("holds no events (the file is empty).", path,
                     "Use columns Date, Event, Type (optionally End).")


def _heading_role(cell, taken: dict[str, int]) -> str | None:
    if not isinstance(cell, str) or not cell.strip() or len(cell) > MAX_HEADING_CHARACTERS:
        return None
    low = fold(cell).rstrip(":")
    for role, words in _ROLE_WORDS.items():  # the whole heading ("Date", "Fecha fin")
        if role not in taken and low in words:
            return role
    for role, words in _ROLE_WORDS.items():  # "Date of onset", "Noted Date", "Einddatum"
        if role in taken:
            continue
        for w in words:
            if re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", low) or (len(w) >= 4 and w in low):
                return role
    return None


HEADER_SEARCH_ROWS = 30
NAMED_SEARCH_ROWS = 200


def _header_rows(rows: list[list], header_row: int | None, limit: int = HEADER_SEARCH_ROWS) -> range:
    """Rows searched for the headings: the one the user chose (1-based), else the first ``limit``."""
    if header_row is not None:
        return range(header_row - 1, min(header_row, len(rows)))
    return range(min(limit, len(rows)))


def _find_header(rows: list[list], path: Path, searched: range | None = None) -> tuple[int, dict[str, int]]:
    """(header row index, role -> column): heading words first, the cells' contents for what the
    words leave open (a date column, a description column)."""
    best = None
    for i in searched if searched is not None else _header_rows(rows, None):
        row = rows[i]
        if sum(1 for v in row if not _blank(v)) < 2 or any(_is_date_cell(v) for v in row):
            continue
        roles: dict[str, int] = {}
        for c, cell in enumerate(row):
            role = _heading_role(cell, roles)
            if role is not None:
                roles[role] = c
        below = [r for r in rows[i + 1:i + 60] if any(not _blank(v) for v in r)]
        _by_content(roles, row, below)
        if "start" in roles and ("label" in roles or "kind" in roles):
            score = len(roles)
            if best is None or score > best[0]:
                best = (score, i, roles)
    if best is not None:
        return best[1], best[2]
    raise InputError(
        "no events table found (no header with a Date and an Event or Type column).",
        path, _events_hint(rows, "start"))


def _with_overrides(rows: list[list], path: Path, columns: dict[str, str],
                    searched: range | None = None) -> tuple[int, dict[str, int]]:
    bad = [r for r in columns if r not in EVENT_ROLES]
    if bad:
        raise InputError(f"unknown event column role {bad[0]!r}.", path, f"Roles: {', '.join(EVENT_ROLES)}.")
    wanted = {r: fold(h) for r, h in columns.items()}
    for i in searched if searched is not None else _header_rows(rows, None):
        row = rows[i]
        folded = [fold(v) if isinstance(v, str) else "" for v in row]
        if all(w in folded for w in wanted.values()):
            roles = {r: folded.index(w) for r, w in wanted.items()}
            for c, cell in enumerate(row):
                role = None if c in roles.values() else _heading_role(cell, roles)
                if role is not None:
                    roles[role] = c
            _by_content(roles, row, [r for r in rows[i + 1:i + 60] if any(not _blank(v) for v in r)])
            if "start" not in roles:
                raise InputError("has no date column for the events.", path, _events_hint(rows, "start"))
            return i, roles
    listed = ", ".join(f"{r}={h!r}" for r, h in columns.items())
    raise InputError(f"has no header row with the columns {listed}.", path, _events_hint(rows, "label"))


def _events_hint(rows: list[list], role: str) -> str:
    for i, row in enumerate(rows[:NAMED_SEARCH_ROWS]):
        headings = [str(v).strip() for v in row if isinstance(v, str) and v.strip()]
        if len(headings) >= 2:
            where = f" in row {i + 1}" if i >= HEADER_SEARCH_ROWS else ""
            return (f"Columns found{where}: {', '.join(repr(h) for h in headings[:12])}. "
                    f"Say which holds what with --event-column {role}=HEADING, or choose them in the "
                    "events assistant.")
    return "Use columns Date, Event, Type (optionally End)."


def _is_date_cell(value) -> bool:
    from analysis.importing.date_text import looks_like_date_text

    if isinstance(value, (datetime, date)):
        return True
    if not isinstance(value, str):
        return False
    # A range in one cell ("12.10.2022–18.10.2022", "2022-10-18 to 2022-10-25") by its first date.
    parts = [p for p in _RANGE_SPLIT.split(value.strip()) if p.strip()]
    return bool(parts) and looks_like_date_text(parts[0].strip())


def _by_content(roles: dict[str, int], header: list, below: list[list]) -> None:
    """Fill the start and label roles from the columns' contents when no heading said them."""
    if not below:
        return
    width = max(len(header), max(len(r) for r in below))

    def column(c):
        return [r[c] for r in below if c < len(r) and not _blank(r[c])]

    used = set(roles.values())
    # A column of ICD-10 codes is the category (its heading "ICD-10", "Hauptdiagnose" or none), the
    # description another text column.
    coded = [c for c in range(width) if column(c) and "kind" not in roles and (c not in used or roles.get("label") == c)
             and sum(isinstance(v, str) and icd_kind(v) is not None for v in column(c)) >= 0.9 * len(column(c))]
    if coded:
        if roles.get("label") == coded[0]:
            del roles["label"]
        roles["kind"] = coded[0]
        used = set(roles.values())
    if "duration" in roles and not any(_duration(v, "days") is not None for v in column(roles["duration"])):
        del roles["duration"]  # a heading word ("Tage") over something else
        used = set(roles.values())
    if "duration" not in roles:
        lengths = [c for c in range(width) if c not in used and column(c)
                   and all(isinstance(v, str) and _DURATION.fullmatch(v) and re.search(r"[a-zA-Z]", v)
                           for v in column(c))]
        if lengths:
            roles["duration"] = lengths[0]
            used.add(lengths[0])
    if "start" not in roles:
        dates = [c for c in range(width) if c not in used and column(c)
                 and sum(_is_date_cell(v) for v in column(c)) >= 0.8 * len(column(c))]
        if dates:
            roles["start"] = dates[0]
            used.add(dates[0])
    if "label" not in roles:
        texts = [c for c in range(width) if c not in used and column(c)
                 and all(isinstance(v, str) and not _is_date_cell(v) for v in column(c))]
        if texts:
            roles["label"] = max(texts, key=lambda c: sum(len(v) for v in column(c)) / len(column(c)))


def _as_datetime(value) -> datetime | None:
    """One date given in code (datetime, date or ISO text); None when it is not one."""
    parsed = parse_when(value)
    return parsed[0] if parsed else None


def parse_when(value) -> tuple[datetime, bool] | None:
    """``(datetime, date_only)`` for one value given in code or a form, or None.

    Accepts datetimes, dates, pandas Timestamps and ISO text ("2022-10-18", "2022-10-18 09:30").
    Columns of text dates from files go through :func:`analysis.importing.dates.parse_datetime_column`,
    which decides day/month order from the whole column instead of guessing per cell.
    """
    import pandas as pd

    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return (value.replace(tzinfo=None), False) if in_range(value) else None
    if isinstance(value, date):
        return (datetime.combine(value, time(0)), True) if in_range(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt.replace(tzinfo=None), len(text) <= 10) if in_range(dt) else None
