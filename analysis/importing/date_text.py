"""Text dates and times of day as exports write them, read one text at a time.

ISO ("2023-03-01 08:00"), compact ("20230301"), numeric with "/", "-" or "." ("03/01/2023 08:00
AM", "01.03.23"), and month names in English, German, French, Spanish, Italian and Dutch
("01-Mar-2023", "Mar 1, 2023", "1. März 2023", "20 febbraio 2024", "15-mei-2024"), Japanese
dates (2022年10月6日, era years: 令和4年10月6日, R4.10.6), with an optional leading weekday and
trailing time zone. A numeric date's
day/month order is not decided here: one text cannot tell it, the column can.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from analysis.importing.limits import short_text_cache

_WS = re.compile(r"\s+")

_MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
    # German
    "januar": 1, "jaen": 1, "jaenner": 1, "janner": 1, "februar": 2,
    "mrz": 3, "marz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7, "okt": 10, "oktober": 10,
    "dez": 12, "dezember": 12,
    # French
    "janv": 1, "janvier": 1, "fevr": 2, "fev": 2, "fevrier": 2, "mars": 3, "avr": 4, "avril": 4,
    "juin": 6, "juil": 7, "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12,
    # Spanish
    "ene": 1, "enero": 1, "febrero": 2, "marzo": 3, "abr": 4, "abril": 4, "mayo": 5,
    "junio": 6, "julio": 7, "ago": 8, "agosto": 8, "set": 9, "septiembre": 9, "setiembre": 9,
    "octubre": 10, "noviembre": 11, "dic": 12, "diciembre": 12,
    # Italian
    "gen": 1, "gennaio": 1, "febbraio": 2, "aprile": 4, "mag": 5, "maggio": 5, "giu": 6, "giugno": 6,
    "lug": 7, "luglio": 7, "settembre": 9, "ott": 10, "ottobre": 10, "dicembre": 12,
    # Dutch
    "januari": 1, "februari": 2, "mrt": 3, "maart": 3, "mei": 5, "augustus": 8,
}
_WEEKDAYS = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
    "mo", "di", "mi", "do", "fr", "sa", "so", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag", "lun", "mer", "jeu", "ven", "sam", "dim", "lundi",
    "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes",
    "miercoles", "jueves", "viernes", "sabado", "domingo",
}

_TIME = (
    r"(?P<H>\d{1,2})(?:[:h](?P<M>\d{2})|\.(?P<M2>\d{2})(?=\s*(?:uhr|h)?$))"
    r"(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*(?:uhr|h)?"
    r"|(?P<H12>\d{1,2})\s*(?P<ampm12>[ap]\.?\s?m\.?)"
)
_TIME_RE = re.compile(rf"^(?:{_TIME})$", re.IGNORECASE)
# A zone after the time ("Z", "-05:00", "EST", "MEZ") is dropped: the wall-clock time printed
# is the one the ward saw, and one export is in one zone.
_ZONE = r"z|utc|gmt|[+-]\d{2}:?\d{2}|(?:utc|gmt)\s?[+-]\d{1,2}(?::?\d{2})?|[ecmpa][sd]t|bst|ist|[cew]es?t|mes?z|hne|hae"
# ":" as in SAS "01MAR2023:08:00:00"; "@" as VistA writes its external dates ("SEP 06, 2022@09:30", "10/06/22@0930")
_TAIL = rf"(?:(?:[T\s,]+|\s?@\s?|:(?=\d{{1,2}}:\d{{2}}))(?P<time>.+?))?\s*(?:{_ZONE})?$"
_ISO_RE = re.compile(rf"^(?P<y>\d{{4}})(?P<sep>[-/.])(?P<a>\d{{1,2}})(?P=sep)(?P<b>\d{{1,2}}){_TAIL}", re.IGNORECASE)
_COMPACT_RE = re.compile(
    r"^(?P<y>(?:19|20)\d{2})(?P<a>\d{2})(?P<b>\d{2})(?:[T\s]?(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$"
)
_NUMERIC_RE = re.compile(
    rf"^(?P<a>\d{{1,2}})(?P<sep>[-/.])\s?(?P<b>\d{{1,2}})(?P=sep)\s?(?P<y>\d{{4}}|\d{{2}})(?!\d){_TAIL}",
    re.IGNORECASE,
)
_WORD_DMY_RE = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\.?[\s\-/.]*(?P<mon>[a-z]{{3,10}}\.?)[\s\-/.,]*(?P<y>\d{{4}}|\d{{2}})(?!\d){_TAIL}",
    re.IGNORECASE,
)
_WORD_MDY_RE = re.compile(
    rf"^(?P<mon>[a-z]{{3,10}}\.?)[\s\-/.]*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s,\-/.]+(?P<y>\d{{4}}|\d{{2}})(?!\d){_TAIL}",
    re.IGNORECASE,
)
_WORD_YMD_RE = re.compile(
    rf"^(?P<y>\d{{4}})[\s\-/.]+(?P<mon>[a-z]{{3,10}}\.?)[\s\-/.]+(?P<d>\d{{1,2}}){_TAIL}",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    t = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _year(y: str) -> int:
    """Four-digit year; two digits as strptime's %y does: 00-68 -> 20xx, 69-99 -> 19xx."""
    n = int(y)
    if len(y) <= 2:
        return 2000 + n if n <= 68 else 1900 + n
    return n


@short_text_cache(8192)
def parse_time_text(text: str) -> time | None:
    """A time of day from "08:15", "8:15 AM", "08:15:30", "8h15", "0815", "8.15 Uhr", else None."""
    t = _fold(text).strip()
    t = re.sub(r"^(?:(?:um|at|a|@|kl\.?|klo\.?)\s+|kl\.)", "", t)  # "um 8:15", "kl. 08.15" (Nordic)
    if not t:
        return None
    if re.fullmatch(r"\d{3,4}", t):
        # "0815", "815": military time as some exports write it
        h, mi = divmod(int(t), 100)
        return time(h, mi) if h < 24 and mi < 60 else None
    m = _TIME_RE.match(t)
    if not m:
        return None
    if m.group("H12") is not None:
        hour, minute, second, ampm = int(m.group("H12")), 0, 0, m.group("ampm12")
    else:
        hour = int(m.group("H"))
        minute = int(m.group("M") or m.group("M2"))
        second = int(m.group("S") or 0)
        frac = m.group("F")
        if frac and int(frac[0]) >= 5:
            second += 1  # round to the second
        ampm = m.group("ampm")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm[0].lower() == "p"
        hour = (hour % 12) + (12 if pm else 0)
    if hour == 24 and minute == 0 and second == 0:
        return None  # "24:00" belongs to the next day; too rare to guess about
    if not (hour < 24 and minute < 60 and second <= 60):
        return None
    if second == 60:
        return None
    return time(hour, minute, second)


# Japanese systems write 2022年10月6日 and the era years of the imperial calendar: 令和4年10月6日
# (令和元年 is its first year) or R4.10.6 / H30/01/05; the time as 9:30 or 9時30分.
_ERA_START = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019, "h": 1989, "r": 2019}
_ERA_YEARS = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31, "h": 31, "令和": 99, "r": 99}  # the last of each
_JA_TIME = r"\s*(?:(?P<H>\d{1,2})(?::(?P<M>\d{2})(?::(?P<S>\d{2}))?|時(?:(?P<M2>\d{1,2})分)?))?\s*$"
_JA_RE = re.compile(
    r"^(?:(?P<era>明治|大正|昭和|平成|令和)\s?(?P<n>\d{1,2}|元)|(?P<y>\d{4}))\s?年\s?(?P<mo>\d{1,2})\s?月"
    r"\s?(?P<d>\d{1,2})\s?日(?:\s?[(（][^)）]{1,3}[)）])?" + _JA_TIME)
# Only the two recent eras by letter: an "S1.2.3" or "M12.1.4" is more often a sample number.
_ERA_LETTER_RE = re.compile(r"^(?P<era>[hr])(?P<n>\d{1,2})(?P<sep>[./-])(?P<mo>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
                            + _JA_TIME)


def _japanese(folded: str):
    m = _JA_RE.match(folded) or _ERA_LETTER_RE.match(folded)
    if not m:
        return None
    if m.group("era"):
        n = 1 if m.group("n") == "元" else int(m.group("n"))
        if not 1 <= n <= _ERA_YEARS[m.group("era")]:
            return None
        year = _ERA_START[m.group("era")] + n - 1
    else:
        year = int(m.group("y"))
    clock = None
    if m.group("H"):
        clock = f"{m.group('H')}:{m.group('M') or m.group('M2') or '00'}" + (f":{m.group('S')}" if m.group("S") else "")
    return _fixed(year, int(m.group("mo")), int(m.group("d")), clock)


def parse_date_text(text: str):
    """The date a text stands for, as far as it can be told from the text alone.

    ("fixed", datetime, has_time) for ISO, compact and month-name dates; ("numeric", a, b, year,
    sep, time or None) for "03/04/2023", whose day/month order the whole column decides
    (:mod:`analysis.importing.date_order`); None for text that is no date.
    """
    s = _WS.sub(" ", text.strip())
    if not s:
        return None
    folded = _fold(s)
    # Leading weekday: "Wed 01 Mar 2023", "Mon, Mar 1, 2023"
    first, _, rest = folded.partition(" ")
    if first.rstrip(",.") in _WEEKDAYS and rest:
        folded = rest.lstrip(", ")
    m = _ISO_RE.match(folded)
    if m:
        return _fixed(int(m.group("y")), int(m.group("a")), int(m.group("b")), m.group("time"))
    m = _COMPACT_RE.match(folded)
    if m:
        tm = None
        if m.group("H"):
            tm = f"{m.group('H')}:{m.group('M')}" + (f":{m.group('S')}" if m.group("S") else "")
        return _fixed(int(m.group("y")), int(m.group("a")), int(m.group("b")), tm)
    m = _NUMERIC_RE.match(folded)
    if m:
        tm_text = m.group("time")
        clock = None
        if tm_text:
            clock = parse_time_text(tm_text)
            if clock is None:
                return None
        return ("numeric", int(m.group("a")), int(m.group("b")), _year(m.group("y")),
                m.group("sep"), clock)
    if not folded.isascii() or folded[:1] in "hr":
        found = _japanese(folded)
        if found is not None:
            return found
    for rx in (_WORD_DMY_RE, _WORD_MDY_RE, _WORD_YMD_RE):
        m = rx.match(folded)
        if m:
            month = _MONTHS.get(m.group("mon").rstrip("."))
            if month is None:
                continue
            return _fixed(_year(m.group("y")), month, int(m.group("d")), m.group("time"))
    return None



@short_text_cache(8192)
def looks_like_date_text(text: str) -> bool:
    """True for text this module reads as a date ("3/1/23 0800", "01.03.2023\n08:00", "1-Mar-2023").

    Layout detection asks this of header cells, so that every date the parser reads is also
    recognised as a date where the layout is decided.
    """
    if not text or len(text) > 40 or not any(c.isdigit() for c in text):
        return False
    parsed = parse_date_text(text)
    if parsed is None:
        return False
    if parsed[0] == "numeric":
        _, a, b, year, _, _ = parsed
        return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12) and 1900 <= year <= 2100
    return parsed[1] is not None


def _fixed(y: int, mo: int, d: int, time_text: str | None):
    tm = None
    if time_text:
        tm = parse_time_text(time_text)
        if tm is None:
            return None
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    if tm is None:
        return ("fixed", datetime(day.year, day.month, day.day), False)
    return ("fixed", datetime.combine(day, tm), True)
