"""What the cells of a treatment-record column hold: dates, clock times, numbers, action words,
units, routes, drug names (:class:`Profile`), the evidence :mod:`analysis.treatment.columns`
weighs to give each column its role. Each distinct value is looked at once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from analysis.importing.limits import short_text_cache
from analysis.treatment.actions import YES_NO, column_of_codes, fold, is_administration_word, is_struck
from analysis.treatment.drugs import AMOUNT, amount, find_medication, normalise_unit

_UNITS = {"mg", "g", "mcg", "ug", "ml", "l", "mg/m²", "mg/m2", "mg/kg", "g/kg", "iu", "ie", "ui", "u",
          "unit", "units", "einheiten", "tab", "tabs", "tablet", "tablets", "cap", "caps", "mmol",
          "mg/h", "ml/h", "ml/hr", "g/h", "stk", "stuck", "comprime", "comprimido", "dose", "puff"}
# Units of an amount given, not of a dose per kg or m² (a prescribed dose is written so).
_AMOUNT_UNITS = {"mg", "g", "mcg", "ug", "ml", "l", "iu", "ie", "ui", "u", "unit", "units", "einheiten", "mmol"}
_ROUTES = {"iv", "i.v.", "intravenous", "intravenos", "intravenös", "intraveineuse", "intraveineux",
           "endovenosa", "endovenoso", "ev", "e.v.", "intraveneus", "po", "p.o.", "oral", "orale",
           "per os", "oraal", "peroral", "sc", "s.c.", "sq", "subq", "subcut", "subcutaneous",
           "subkutan", "sous-cutanee", "sous cutanee", "subcutanea", "sottocutanea", "sottocute",
           "subcutaan", "im", "i.m.", "intramuscular", "intramuskular", "ivpb", "iv push", "ivp",
           "iv piggyback", "iv infusion", "iv continuous", "infusion", "inhaled", "topical", "sl",
           "pr", "rectal", "ng", "peg", "intrathecal", "it"}
_NUMBER_TEXT = re.compile(rf"^\s*[-+]?(?:{AMOUNT})\s*(?:[a-zA-Zµ/%²]|(?<=/m)2)*\s*$")  # "375 mg/m2" too
_STRENGTH = re.compile(r"\d\s*(?:mg|g|mcg|µg|ml|%|iu|ie|units?|mg/ml|g/l)\b|\b(?:inj|tab|soln|ivpb|infusion|"
                       r"tablet|capsule|solution|lösung|losung|conc|vial|bag|flush|premix)\b", re.IGNORECASE)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


def text_of(value) -> str:
    if value is None or value == "":
        return ""
    if type(value) is str:
        # Most cells are already clean; only text with runs of white space needs rejoining.
        return value if ("  " not in value and value == value.strip() and "\n" not in value
                         and "\t" not in value) else " ".join(value.split())
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def is_date(value) -> bool:
    if isinstance(value, (datetime, date)):
        return True
    if isinstance(value, str):
        return _is_date_text(value)
    return False


@short_text_cache(8192)
def _is_date_text(value: str) -> bool:
    from analysis.importing.date_serials import fileman_date
    from analysis.importing.date_text import looks_like_date_text

    s = value.strip()
    if re.fullmatch(r"(?:19|20)\d{6}(?:[ T]?\d{4,6})?", s):  # 20230301, 202303010930 (HL7 style)
        return True
    fileman = fileman_date(s) if s[:1] in "23" and "." in s else None  # VistA: 3220906.093
    return (fileman is not None and fileman[1]) or looks_like_date_text(s)


def _has_time_of_day(value) -> bool:
    """A date cell that gives the time too (a datetime past midnight, text with a clock time)."""
    if isinstance(value, datetime):
        return bool(value.hour or value.minute or value.second)
    if not isinstance(value, str):
        return False
    from analysis.importing.date_serials import fileman_date

    s = value.strip()
    if ":" in s:
        return is_date(s)
    fileman = fileman_date(s) if s[:1] in "23" and "." in s else None
    return fileman is not None and fileman[1]


def _is_clock(value) -> bool:
    from analysis.importing.date_text import parse_time_text

    if isinstance(value, time):
        return True
    if isinstance(value, str):
        s = value.strip()
        return bool(re.search(r"\d[:h.]\d\d|\d\s*(?:am|pm|uhr)\b", s, re.IGNORECASE)) and \
            parse_time_text(s) is not None and not is_date(s)
    return False


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == value
    return isinstance(value, str) and bool(_NUMBER_TEXT.match(value)) and any(c.isdigit() for c in value)


# Stems of the WHO's International Nonproprietary Names at the end of a word: a drug Nadir has
# no name for ("ISATUXIMAB", "Teclistamab", "carfilzomib") still reads as one, as a clinician
# would read it. Only stems that end no common word of the languages Nadir reads.
_INN_STEM = re.compile(
    r"[a-z](?:mab|cept|tinib|zomib|ciclib|parib|rafenib|degib|lisib|platin|rubicin|taxel|mustine|"
    r"fosfamide|tecan|trexed|citabine|rabine|grastim|kinra|lidomide|limus|mycin|vastatin|prazole|"
    r"parin|xaban|cillin|cycline|conazole|ciclovir|globulin|leukin|ferase|dronate|sertib|tuzumab)\b",
    re.IGNORECASE)


@short_text_cache(8192)
def _drug_likeness(value) -> float:
    if not isinstance(value, str) or len(value.strip()) < 3 or not re.search(r"[a-zA-Z]{3}", value):
        return 0.0
    if find_medication(value) is not None:
        return 1.0
    if _STRENGTH.search(value):
        return 0.8
    if _INN_STEM.search(value):
        return 0.7
    return 0.2


@dataclass
class Profile:
    n: int = 0
    dates: float = 0.0
    clocks: float = 0.0
    numbers: float = 0.0
    actions: float = 0.0
    units: float = 0.0
    routes: float = 0.0
    drugs: float = 0.0
    texts: float = 0.0
    distinct: int = 0
    low: float | None = None
    high: float | None = None
    codes: bool = False
    hhmm: float = 0.0  # "0930", 930: a clock time as HL7-derived exports write it
    timed: float = 0.0  # dates that give the time of day too
    # Numbers written with the unit of an amount ("1,200 mg", "35 g"): a dose, not a count of vials.
    with_unit: float = 0.0
    # Whole numbers, each once, one after another (1, 2, 3 ...): a line or row counter.
    counter: bool = False
    struck: float = 0.0  # entry states that say the charting was struck ("In Error")


def _leading_number(text: str) -> float | None:
    m = re.match(rf"\s*([-+]?)({AMOUNT})", text)
    return (-1 if m.group(1) == "-" else 1) * amount(m.group(2)) if m else None


def _is_hhmm(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)) and value == value and float(value).is_integer():
        value = f"{int(value):04d}"
    if not isinstance(value, str) or not re.fullmatch(r"\d{3,4}", value.strip()):
        return False
    h, m = divmod(int(value), 100)
    return h < 24 and m < 60


def profile(values: list) -> Profile:
    """What a column's cells hold, as fractions of its non-blank cells. Each distinct value is
    looked at once and counted as often as it occurs (a record repeats its drugs and actions)."""
    counts = Counter(v for v in values if not blank(v))
    n_all = sum(counts.values())
    p = Profile(n=n_all)
    if not n_all:
        return p
    n = float(n_all)

    def share(test, only_strings=False) -> float:
        return sum(k for v, k in counts.items() if (not only_strings or isinstance(v, str)) and test(v)) / n

    strings = [v for v in counts if isinstance(v, str)]
    p.dates = share(is_date)
    p.timed = share(_has_time_of_day)
    p.clocks = share(_is_clock)
    nums = [v for v in counts if _is_number(v)]
    p.numbers = sum(counts[v] for v in nums) / n
    p.actions = share(is_administration_word, True)
    p.struck = share(is_struck, True)
    p.units = share(lambda s: normalise_unit(s).lower() in _UNITS, True)
    # BCMA status codes: a column of single letters that is not a column of units ("g"): one
    # code that is no unit (H, R, N ...) beside the G of "given" says so, however many rows say G.
    p.codes = column_of_codes(strings) and len(strings) == len(counts) and \
        not all(normalise_unit(s).lower() in _UNITS for s in strings) and \
        len({s.strip().upper() for s in strings}) >= 2
    if p.codes:
        # A column of yes and no answers is the action only when no column of action words is there
        # (a "PRN Y/N" column beside "MAR Action" is not it).
        p.actions = 0.6 if all(s.strip().upper() in YES_NO for s in strings) else 1.0
    p.routes = share(lambda s: fold(s) in _ROUTES, True)
    p.drugs = sum(counts[s] * _drug_likeness(s) for s in strings) / n
    p.texts = share(lambda s: bool(re.search(r"[^\W\d_]{2}", s)), True)
    p.distinct = len({text_of(v) for v in counts})
    plain = [float(v) if isinstance(v, (int, float)) else _leading_number(v) for v in nums]
    plain_numbers: list[float] = [x for x in plain if x is not None]
    p.hhmm = share(_is_hhmm)
    if plain_numbers:
        p.low, p.high = min(plain_numbers), max(plain_numbers)
        whole = len(plain_numbers) == len(nums) and all(x.is_integer() for x in plain_numbers)
        p.counter = whole and len(plain_numbers) >= 3 and (
            (n_all == len(plain_numbers) == len(set(plain_numbers)) and p.high - p.low + 1 == len(plain_numbers))
            or (p.numbers == 1.0 and p.high - p.low + 1 == len(plain_numbers) and _restarting_count(values, p.low)))
    p.with_unit = share(lambda s: _unit_after_number(s) in _AMOUNT_UNITS, True)
    return p


def _restarting_count(values: list, low: float) -> bool:
    """True for line numbers within each order, read in row order (Epic Clarity's LINE: 1, 2, 3,
    1, 1, 2 ...): each cell one more than the one before or back to the first number (0 or 1),
    counting up more often than not."""
    if low not in (0, 1):
        return False
    prev, up, n = None, 0, 0
    for v in values:
        if blank(v):
            continue
        x = float(v) if isinstance(v, (int, float)) else _leading_number(str(v))
        if x is None:
            return False
        if prev is not None:
            if x == prev + 1:
                up += 1
            elif x != low:
                return False
        prev, n = x, n + 1
    return up * 2 >= n


def _unit_after_number(text: str) -> str:
    m = re.match(rf"\s*[-+]?(?:{AMOUNT})\s*([^\d\s].*?)\s*$", text)
    return normalise_unit(m.group(1)).lower() if m else ""


def data_rows(rows: list[list], header_index: int, limit: int | None = None) -> list[list]:
    """Rows below the header that hold data: repeated page headers and one-cell title or footer
    lines are left out."""
    header = rows[header_index]
    header_texts = [text_of(v).lower() for v in header]
    out = []
    for row in rows[header_index + 1:]:
        if len(row) - row.count("") - row.count(None) <= 1:
            continue
        if row[:1] == header[:1] and [text_of(v).lower() for v in row[:len(header)]] == header_texts[:len(row)]:
            continue
        out.append(row)
        if limit is not None and len(out) >= limit:
            break
    return out
