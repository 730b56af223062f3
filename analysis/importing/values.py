"""Lab results as exported, turned into numbers (or into a reason why there is no number).

A result cell holds what the lab system printed: "1.2", "<0.1", "0.3 L", "0,45" from a German
lab, "1 200" with a space for thousands, "CANCELLED", "See comment". Each becomes a
:class:`Result`: the number, the "<"/">" of a result beyond a detection limit, the lab's flag,
and — when there is no number — the reason in words, so the importer can list the row as
skipped instead of dropping it silently.

The importer calls this on every result cell of an export (100k+ cells), so a plain number
string takes a ``float()`` fast path and string results are cached: EHR columns repeat the same
strings constantly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from numbers import Real

from analysis.importing.limits import short_text_cache
from analysis.importing.units import parse_unit


@dataclass(frozen=True, slots=True)
class Result:
    """One parsed result.

    ``value`` is None when there is no number; ``reason`` then says why in plain words.
    For censored results ("<0.1") ``value`` is the limit. ``unit_text`` is a unit that was glued
    to the number ("1.2 K/uL"), for the importer to use when the export has no unit column.
    """

    value: float | None
    censored: str | None = None  # "<" or ">"
    flag: str | None = None  # "L", "H", "LL", "HH", "C", "A", ...
    text: str = ""
    reason: str | None = None
    unit_text: str | None = None


EMPTY = "empty result"
CANCELLED = "cancelled by the lab"
COMMENT = "result given as a comment, not a number"
PENDING = "result pending"

# --- words that explain a missing number (accent-free, lower case) ------------------------------

_CANCELLED_WORDS = (
    "cancel", "test not performed", "not performed", "tnp", "annule", "storniert", "storno",
    "anulado", "anulada", "cancelado", "cancelada", "not done", "nicht durchgefuhrt",
    "nicht durchgefuehrt", "nicht erfolgt", "no realizado", "non effectue", "non realise",
    "deleted", "credited", "discontinued", "entfallt", "entfaellt", "abgesagt",
)
_COMMENT_WORDS = (
    "see comment", "see note", "see below", "see report", "see text", "see result",
    "see footnote", "see interpretation", "comment", "siehe", "kommentar", "bemerkung",
    "voir", "commentaire", "ver comentario", "ver nota", "comentario", "see attached",
)
_PENDING_WORDS = (
    "pending", "in progress", "to follow", "in process", "processing", "ausstehend", "folgt",
    "in bearbeitung", "en cours", "a suivre", "pendiente", "en proceso", "in arbeit",
)
_SPECIMEN_WORDS = (
    "hemoly", "haemoly", "hemolys", "haemolys", "hamoly", "hamolys", "haemol", "hemol",
    "clot", "geronnen", "coagul", "gerinnsel", "qns", "quantity not sufficient",
    "insufficient", "insuffisant", "insuficiente", "nicht ausreichend", "zu wenig",
    "lipemic", "lipaemic", "lipamisch", "icteric", "ikterisch", "unsuitable", "not received",
    "nicht erhalten", "wrong tube", "mislabel", "unlabel", "leaked", "specimen",
    "sample", "probe", "echantillon", "muestra", "aggregat", "platelet clumps",
)
_EMPTY_MARKS = {"-", "--", "---", "----", ".", "..", "...", "n/a", "na", "n.a.", "nd", "/", "x",
                "null", "none", "nan", "?", "<na>", "nat"}

# --- flags -----------------------------------------------------------------------------------

_FLAG_CANON = {
    "L": "L", "H": "H", "LL": "LL", "HH": "HH", "C": "C", "A": "A", "AA": "AA", "N": "N",
    "LOW": "L", "HIGH": "H", "HI": "H", "LO": "L", "CRIT": "C", "CRITICAL": "C", "PANIC": "C",
    "ABN": "A", "ABNORMAL": "A", "CL": "LL", "CH": "HH", "LC": "LL", "HC": "HH",
    "L!": "LL", "H!": "HH", "!": "A", "!!": "C", "*": "*", "**": "*",
    "+": "H", "++": "HH", "-": "L", "--": "LL",
    "↑": "H", "↑↑": "HH", "↓": "L", "↓↓": "LL",
    "NIEDRIG": "L", "ERNIEDRIGT": "L", "HOCH": "H", "ERHOHT": "H", "ERHOEHT": "H",
    "BAS": "L", "BAJO": "L", "ALTO": "H", "ELEVE": "H", "ELEVADO": "H",
    "<": "L", ">": "H",
}

# A number as labs write it; which separator is the decimal one is decided afterwards.
_NUM = (
    r"[+-]?(?:\d{1,3}(?:[ \u00a0\u202f'’][0-9]{3})+(?:[.,]\d+)?"  # 1 200 / 1'200,5
    r"|\d{1,3}(?:[.,]\d{3}){2,}(?:[.,]\d+)?"  # 1.234.567(,8)
    r"|\d{1,3}(?:[.,]\d{3})(?:[.,]\d+)"  # 1.200,5 / 1,200.5
    r"|\d+(?:[.,]\d*)?"  # 1 / 1.2 / 1,2 / 1.
    r"|[.,]\d+)"  # .5
    r"(?:[eE][+-]?\d{1,3})?"
)
_COMPARATOR = r"<=|>=|=<|=>|<|>|≤|≥|⩽|⩾|less\s+than|greater\s+than|below|above|under|over|kleiner\s+als|grosser\s+als|unter|uber|inf(?:erieur)?\s+a|sup(?:erieur)?\s+a|menor\s+(?:de|que)|mayor\s+(?:de|que)"

_RESULT_RE = re.compile(
    r"^(?P<lead>[(\[]?(?:LL|HH|L|H|A|C|CRIT|LOW|HIGH)[)\]]?\s+|[(\[]?[*!][)\]]?\s*)?"
    rf"(?P<cmp>{_COMPARATOR})?\s*"
    rf"(?P<num>{_NUM})"
    rf"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_WS = re.compile(r"\s+")
_LESS = {"<", "<=", "=<", "≤", "⩽"}
_LESS_WORDS = ("less", "below", "under", "kleiner", "unter", "inf", "menor")
_STRIP_DECOR = str.maketrans("", "", "()[]{}*")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    t = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _canonical_flag(token: str) -> str | None:
    t = token.strip()
    if not t:
        return None
    if t in ("*", "**"):
        return "*"
    core = _fold(t.translate(_STRIP_DECOR)).upper()
    if not core:
        return None
    return _FLAG_CANON.get(core)


def _number(s: str, decimal: str | None) -> float | None:
    """The float a number token stands for, deciding which separator is the decimal one."""
    s = re.sub(r"[ \u00a0\u202f'’]", "", s)
    mant, e, exp = s.partition("e") if "e" in s else s.partition("E")
    sign = ""
    if mant[:1] in "+-":
        sign, mant = mant[0], mant[1:]
    n_comma, n_dot = mant.count(","), mant.count(".")
    if n_comma and n_dot:
        # "1.200,5" / "1,200.5": the last separator is the decimal one.
        dec = "," if mant.rfind(",") > mant.rfind(".") else "."
        thou = "." if dec == "," else ","
        if mant.count(dec) > 1:
            return None
        mant = mant.replace(thou, "").replace(dec, ".")
    elif n_comma + n_dot > 1:
        sep = "," if n_comma else "."
        head, *groups = mant.split(sep)
        if not all(len(g) == 3 for g in groups):
            return None
        mant = mant.replace(sep, "")
    elif n_comma + n_dot == 1:
        sep = "," if n_comma else "."
        head, tail = mant.split(sep)
        grouping = len(tail) == 3 and head not in ("", "0") and not head.startswith("0")
        if decimal is None:
            # Without column evidence "1,200" is read as twelve hundred (a comma followed by
            # exactly three digits is a thousands separator far more often than not), and
            # "1.200" as 1.2.
            thousands = sep == "," and grouping
        else:
            thousands = sep != decimal and grouping
        mant = head + tail if thousands else f"{head or '0'}.{tail or '0'}"
    try:
        v = float(sign + mant + (("e" + exp) if e else ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _reason(text: str) -> str:
    folded = _WS.sub(" ", _fold(text)).strip()
    if folded in _EMPTY_MARKS:
        return EMPTY
    if any(w in folded for w in _PENDING_WORDS):
        return PENDING
    if any(w in folded for w in _CANCELLED_WORDS):
        return CANCELLED
    for w in _SPECIMEN_WORDS:
        if w in folded:
            short = text.strip()
            if len(short) > 60:
                short = short[:57] + "..."
            return f"specimen not usable ({short})"
    if any(w in folded for w in _COMMENT_WORDS):
        return COMMENT
    return f"not a number: {text!r}"


_NOTES = re.compile(
    r"[(\[]?\b(?:corrected|corr?|verified|repeated|repeat|rpt|confirmed|manual|auto|delta|checked|"
    r"kontrolliert|best[aä]tigt|wiederholt|contr[oô]l[eé]|v[eé]rifi[eé]|controlado|verificado|repetido)"
    r"(?!\w)\.?[)\]]?",
    re.IGNORECASE,
)


def _parse_rest(rest: str) -> tuple[bool, str | None, str | None]:
    """(ok, flag, unit_text) for what follows the number: flags and/or a unit, or nothing."""
    rest = rest.strip()
    if not rest:
        return True, None, None
    flag = _canonical_flag(rest)
    if flag is not None:
        return True, flag, None
    if parse_unit(rest) is not None:
        return True, None, rest
    parts = rest.split()
    # "K/uL H", "H K/uL", "* L"
    if len(parts) >= 2:
        for i in range(1, len(parts)):
            left, right = " ".join(parts[:i]), " ".join(parts[i:])
            fl, fr = _canonical_flag(left), _canonical_flag(right)
            if fl is not None and fr is not None:
                return True, fr if fl == "*" else fl, None
            if fr is not None and parse_unit(left) is not None:
                return True, fr, left
            if fl is not None and parse_unit(right) is not None:
                return True, fl, right
    # "0.42 (Corrected)", "0.42 rpt": notes about how the value was obtained; the value stands
    bare = _WS.sub(" ", _NOTES.sub(" ", rest)).strip(" ,;")
    if bare != rest.strip(" ,;"):
        return _parse_rest(bare)
    return False, None, None


@short_text_cache(65536)
def _parse_text(text: str, decimal: str | None) -> Result:
    stripped = text.strip()
    if not stripped:
        return Result(None, text=text, reason=EMPTY)
    s = stripped.replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if "." not in s or decimal != ",":
        try:
            v = float(s)
        except ValueError:
            pass
        else:
            if math.isfinite(v) and "_" not in s and not s.isalpha():
                return Result(v, text=text)
            if not s.isalpha():
                return Result(None, text=text, reason=f"not a number: {text!r}")
    m = _RESULT_RE.match(s)
    if m is None:
        return Result(None, text=text, reason=_reason(stripped))
    lead_flag = None
    if m.group("lead"):
        lead_flag = _canonical_flag(m.group("lead"))
        if lead_flag is None:
            return Result(None, text=text, reason=_reason(stripped))
    value = _number(m.group("num"), decimal)
    if value is None:
        return Result(None, text=text, reason=_reason(stripped))
    ok, flag, unit_text = _parse_rest(m.group("rest"))
    if not ok:
        return Result(None, text=text, reason=_reason(stripped))
    cmp = m.group("cmp")
    censored = None
    if cmp:
        c = _fold(cmp)
        censored = "<" if c in _LESS or c.startswith(_LESS_WORDS) else ">"
    return Result(value, censored=censored, flag=flag or lead_flag, text=text,
                  unit_text=unit_text)


def _format_number(x: float) -> str:
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)



def parse_result(raw, decimal: str | None = None) -> Result:
    """Parse one result cell as a spreadsheet reader gives it (number, text, date or empty).

    ``decimal`` is "," or "." when the column's convention is known (see
    :func:`infer_decimal`); with None each value decides for itself, and "1,200" is read as
    1200 (a comma followed by exactly three digits) while "1,2" is 1.2.
    Never raises: anything that is not a number comes back with ``value`` None and a reason.
    """
    if raw is None:
        return Result(None, text="", reason=EMPTY)
    kind = type(raw)
    if kind is float or kind is int:
        x = float(raw)
        if x - x == 0:  # finite
            return Result(x, text=_format_number(x))
    if kind is str:
        return _parse_text(raw, decimal if decimal in (",", ".") else None)
    if isinstance(raw, bool):
        return Result(None, text=str(raw), reason=f"not a number: {str(raw)!r}")
    if isinstance(raw, Real):
        x = float(raw)
        if math.isnan(x):
            return Result(None, text="", reason=EMPTY)
        if not math.isfinite(x):
            return Result(None, text=str(x), reason=f"not a number: {str(x)!r}")
        return Result(x, text=_format_number(x))
    if isinstance(raw, (datetime, date, time)):
        text = raw.isoformat()
        return Result(None, text=text, reason=f"a date or time, not a number: {text!r}")
    try:
        x = float(raw)  # numpy scalars that are not registered as Real, Decimal
    except (TypeError, ValueError):
        text = str(raw)
        return _parse_text(text, decimal if decimal in (",", ".") else None)
    if not math.isfinite(x):
        return Result(None, text="", reason=EMPTY) if math.isnan(x) else Result(
            None, text=str(x), reason=f"not a number: {str(x)!r}")
    return Result(x, text=_format_number(x))


def parse_results(raws: Sequence, decimal: str | None = None) -> list[Result]:
    """parse_result over a column (string results are cached, so repeats cost nothing)."""
    return [parse_result(r, decimal) for r in raws]


# "0,45", "3,9 - 10,2", "1.200,5": a comma with one, two or four+ digits after it (or after a
# leading zero) can only be a decimal comma; likewise for dots.
_COMMA_DEC = re.compile(r"(?<![\d.,])(?:0|[1-9]\d{0,2}(?:\.\d{3})*),(?:\d{1,2}|\d{4,})(?![\d,])|(?<![\d.,])0,\d+(?![\d,.])")
_DOT_DEC = re.compile(r"(?<![\d.,])(?:0|[1-9]\d{0,2}(?:,\d{3})*)\.(?:\d{1,2}|\d{4,})(?![\d.])|(?<![\d.,])0\.\d+(?![\d.,])")


def infer_decimal(texts: Iterable) -> str | None:
    """"," or "." as the decimal separator of a column of result texts, None without evidence.

    Only unambiguous writings count as evidence ("0,45", "12,5", "1.200,5"); "1,200" could be
    either and is ignored. Non-text cells (numbers the spreadsheet already parsed) say nothing.
    """
    comma = dot = 0
    seen: set[str] = set()
    for t in texts:
        if not isinstance(t, str) or t in seen:
            continue
        seen.add(t)
        if "," in t and _COMMA_DEC.search(t):
            comma += 1
        if "." in t and _DOT_DEC.search(t):
            dot += 1
        if len(seen) > 20000 and (comma or dot):
            break
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return None
