"""Which analyte a test name, column header or LOINC code means.

Exports name the neutrophil count in many ways ("ANC", "NEUTROPHILS ABSOLUTE", "Neut #",
"Neutrophile abs.", "Polynucléaires neutrophiles", "751-8 Neutrophils [#/volume] in Blood by
Automated count"). Listing every spelling cannot work for exports nobody has seen yet, so names
are reduced to words (accents, case and punctuation removed) and recognised by concept: *what*
is counted (neutrophils, leukocytes, ...) and *how* it is reported (absolute or per 100 cells).
Words that turn a name into another test ("antibody", "mean platelet volume", "immature",
"CD4") veto a match: a wrong series plotted as ANC is worse than a column left unmapped, which
the user can map by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from analysis.errors import InputError
from analysis.importing.limits import MAX_HEADING_CHARACTERS, short_text_cache
from analysis.importing.units import COUNT, FRACTION, PERCENT, parse_unit
from analysis.model import ANALYTES, ANC, BAND_PCT, DISPLAY_NAME, HGB, LYMPH, NEUT_PCT, PLT, WBC

# Spellings shown to users (the GUI lists them) and checked by the tests. Recognition itself is
# by concept (below), so names not listed here are found too.
ANALYTE_SYNONYMS: dict[str, list[str]] = {
    ANC: [
        "ANC", "Absolute Neutrophil Count", "Neutrophils Absolute", "Absolute Neutrophils",
        "Neut #", "NEUT#", "Neutrophils (absolute)", "Segs absolute", "Granulocytes abs",
        "AGC", "Neutrophile abs.", "Neutrophile Granulozyten absolut", "Neutrophile (abs)",
        "Polynucléaires neutrophiles", "PNN", "Neutrophiles (valeur absolue)",
        "Neutrófilos absolutos", "Recuento absoluto de neutrófilos", "Neutrófilos #",
        "LOINC 751-8", "LOINC 753-4", "LOINC 26499-4",
    ],
    WBC: [
        "WBC", "White blood cell count", "White blood cells", "Leukocytes", "Leukozyten",
        "Leukos", "Leucocytes", "Globules blancs", "Leucocitos", "Glóbulos blancos",
        "LOINC 6690-2", "LOINC 26464-8", "LOINC 804-5",
    ],
    NEUT_PCT: [
        "Neutrophils %", "Neut %", "Segmented neutrophils %", "Segs %",
        "Neutrophils/100 leukocytes", "Neutrophile %", "Neutrophile rel.",
        "Neutrophiles (%)", "Neutrófilos %", "LOINC 770-8", "LOINC 26511-6", "LOINC 769-0",
    ],
    BAND_PCT: [
        "Bands %", "Band neutrophils/100 leukocytes", "Bands", "Stabkernige",
        "Stabkernige Neutrophile %", "Bandas", "Polynucléaires non segmentés",
        "LOINC 764-1", "LOINC 26508-2",
    ],
    LYMPH: [
        "Lymphocytes absolute", "Lymph #", "Absolute lymphocyte count", "ALC",
        "Lymphozyten abs.", "Lymphocytes (valeur absolue)", "Linfocitos absolutos",
        "LOINC 731-0", "LOINC 26474-7", "LOINC 732-8",
    ],
    HGB: [
        "HGB", "Hb", "Hemoglobin", "Haemoglobin", "Hämoglobin", "Hémoglobine", "Hemoglobina",
        "LOINC 718-7", "LOINC 20509-6",
    ],
    PLT: [
        "PLT", "Platelets", "Platelet count", "Thrombozyten", "Thrombos", "Thrombocytes",
        "Plaquettes", "Plaquetas", "LOINC 777-3", "LOINC 26515-7", "LOINC 778-1",
    ],
}

# LOINC codes of the analytes Nadir keeps. Other codes fall through to the name.
LOINC: dict[str, str] = {
    "751-8": ANC, "753-4": ANC, "26499-4": ANC,
    "6690-2": WBC, "26464-8": WBC, "804-5": WBC,
    "770-8": NEUT_PCT, "26511-6": NEUT_PCT, "769-0": NEUT_PCT,
    "764-1": BAND_PCT, "26508-2": BAND_PCT,
    "731-0": LYMPH, "26474-7": LYMPH, "732-8": LYMPH,
    "718-7": HGB, "20509-6": HGB,
    "777-3": PLT, "26515-7": PLT, "778-1": PLT,
}

_LOINC_RE = re.compile(r"(?<![\d.,/-])(\d{3,5}-\d)(?![\d.,])")
_TOKEN_RE = re.compile(r"[a-z0-9]+|[%#]")

# --- vocabulary (all lower case, accents removed) ----------------------------------------------

_NEUTRO = {
    "neutrophils", "neutrophil", "neutrophile", "neutrophiles", "neutrophilen", "neut", "neuts",
    "neu", "neutro", "neutros", "neutrofilos", "neutrofilo", "neutrofili", "neutrophiler",
    "segs", "seg", "segmented", "segmentkernige", "segmentkernig", "segmentados", "segmentes",
    "polys", "poly", "pmn", "pmns", "pnn", "polynucleaires", "polinucleares",
    "granulocytes", "granulocyte", "granulozyten", "granulocitos", "gran", "grans", "gra",
    "neutrophilic", "neutrofielen", "neutrofiel", "neutrofielen", "neutrofilen", "neutrofiler",
    "neutrofila", "neutrofile", "neutrofil", "granulociti", "granulocyten", "segmentados",
    "noytrofile", "noytrofiler", "noytrofil", "granulocytter", "granulocyter",
}
_BAND = {
    "band", "bands", "stab", "stabs", "stabkernige", "stabkerniger", "stabkernig", "bandas",
    "banda", "cayados", "baciliformes", "nonsegmented", "nonseg", "unsegmented", "bastonetes",
    "bastonete", "bastoncelli", "staven", "staafkernigen", "stavkernede",
}
_NOT_SEGMENTED = {"non", "nicht", "no"}
_WBC = {
    "wbc", "wbcs", "leukocytes", "leukocyte", "leucocytes", "leucocyte", "leukozyten", "leukos",
    "leuko", "leucos", "leuco", "leucocitos", "leucocitos", "leukocyten", "leu", "leuk",
    "leukocytenzahl", "leukozytenzahl", "leucocytose", "leucociti", "leukocyter", "leucocitos",
    "leukocytter",
}
_LYMPH = {
    "lymph", "lymphs", "lymphocytes", "lymphocyte", "lymphozyten", "lymphocyten", "linfocitos",
    "linfocito", "lym", "lymphos", "lympho", "ly", "alc", "linfociti", "lymfocyten", "lymfocyter",
    "lymfocyt", "lymfociten", "linfocitos",
}
_HGB = {
    "hgb", "hb", "hemoglobin", "haemoglobin", "hamoglobin", "haemoglobine", "hemoglobine",
    "hemoglobina", "hbg", "emoglobina",
}
_PLT = {
    "plt", "plts", "platelets", "platelet", "thrombozyten", "thrombos", "thrombo",
    "thrombocytes", "thrombocyte", "thrombozyt", "plaquettes", "plaquette", "plaquetas",
    "plaqueta", "trombocitos", "trombociti", "piastrine", "plq", "thr", "thrombocyten",
    "trombocyten", "trombocyter", "trombocyt", "plaquetas", "piastrina", "trombocytter",
}

# Words that say "absolute count".
_ABS = {
    "abs", "absolute", "absolut", "absolu", "absolue", "absoluta", "absoluto", "absolutos",
    "absolutas", "absolutes", "absoluten", "absoluter", "absolues", "absolus", "absol",
    "assoluti", "assoluto", "assoluta", "assolute", "absoluut", "absolutt", "absoluta",
    "#", "anzahl", "nombre", "numero", "recuento", "conteo", "zahl", "cnt", "ct", "count",
    "counts",
}
# Of those, the ones that settle absolute-vs-percent by themselves ("count" does not: the LOINC
# name "Neutrophils/100 leukocytes in Blood by Automated count" is a percentage).
_STRONG_ABS = _ABS - {"count", "counts", "cnt", "ct"}
_PCT = {
    "%", "pct", "percent", "percentage", "prozent", "pourcent", "pourcentage", "porcentaje",
    "porcentual", "rel", "relativ", "relative", "relativo", "relativa", "relatif", "relatifs",
    "relatives", "relativos", "ratio100", "per100", "fraction",
}

# Words that make a name into a different test.
_VETO = {
    "antibody", "antibodies", "antikorper", "antikoerper", "anticorps", "anticuerpo",
    "anticuerpos", "ab", "ak", "igg", "igm",
    "cd3", "cd4", "cd8", "cd16", "cd19", "cd56", "cd64", "subset", "subsets", "subpopulation",
    "reticulocytes", "reticulocyte", "retic", "retics", "retikulozyten", "reticulocitos",
    "immature", "unreife", "immatures", "inmaduros", "ig", "ipf", "irf",
    "mpv", "pdw", "pct2", "plateletcrit", "thrombokrit", "mean", "mittleres", "mittlere",
    "moyen", "medio", "corpuscular", "korpuskularer", "corpusculaire", "distribution", "width",
    "mch", "mchc", "mcv", "rdw", "hematocrit", "hamatokrit", "hct", "hkt",
    "a1c", "hba1c", "glycated", "glycosylated", "glykiertes", "glyque", "glicada", "free",
    "freies", "libre", "plasma", "urine", "urin", "harn", "stool", "csf", "liquor", "fluid",
    "pleural", "ascites", "synovial", "bal", "sputum", "peritoneal", "dialysate",
    "function", "aggregation", "aggregometry", "clumps", "clumping", "clumped", "aggregates",
    "agregats", "large", "giant", "gross", "grosse", "morphology", "morphologie", "toxic",
    "toxische", "vacuolated", "vacuolization", "dohle", "hypersegmented", "hypersegmentation",
    "elastase", "alkaline", "phosphatase", "nap", "lap", "esterase", "oxidative", "burst",
    "dhr", "cytoplasmic", "anca", "ratio", "nlr", "variant", "atypical", "atypische",
    "atypiques", "reactive", "reaktive", "reactivos", "abnormal", "smudge", "blast", "blasts",
    "eosinophils", "eosinophil", "eosinophile", "eosinophiles", "eos", "eosinofilos",
    "basophils", "basophil", "basophile", "basophiles", "baso", "basofilos",
    "monocytes", "monocyte", "monozyten", "mono", "monos", "monocitos",
    "erythroblasts", "erythroblasten", "normoblasts", "rbc",
    "erythrocytes", "erythrozyten", "hematies", "hematies", "eritrocitos",
    "transfusion", "transfused", "apheresis", "factor", "pf4", "heparin", "hit",
    "electrophoresis", "elektrophorese", "variants", "hbf", "hba2", "hbs", "fetal", "f",
    "methemoglobin", "carboxyhemoglobin", "oxyhemoglobin", "cohb", "methb", "sulfhemoglobin",
    "saturation", "stimulated", "stimulation", "smear", "comment", "kommentar", "flag",
    "histogram", "scattergram", "ldh",
}

_COUNT_UNITS_HINT = re.compile(r"#\s*/\s*vol", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lower case without accents, ß as ss, so "Neutrófilos" and "NEUTROFILOS" compare equal."""
    if text.isascii():
        return text.lower()
    t = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss").translate(_UNDECOMPOSED))
    return "".join(c for c in t if not unicodedata.combining(c))


# Letters NFKD does not split into a base letter and an accent ("Nøytrofile").
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(_fold(text))


def split_header_unit(header: str) -> tuple[str, str | None]:
    """Split a unit glued to a column header: "WBC (x10^3/uL)" -> ("WBC", "x10^3/uL").

    Only a bracketed or trailing part that parses as a unit is split off, so "Neutrophils
    (absolute)" stays whole. "Hb g/dL" may stay whole too; identify() copes with either.
    """
    if header is None:
        return "", None
    text = str(header).strip()
    if not text or len(text) > MAX_HEADING_CHARACTERS:  # no heading: see limits
        return text, None
    # Bracketed part at the end: "ANC (x10^3/uL)", "WBC [10*3/uL]", "Hb {g/dL}".
    m = re.match(r"^(?P<name>.*?)[\s,;:]*[(\[{](?P<unit>[^()\[\]{}]+)[)\]}]\s*$", text)
    if m and m.group("name").strip():
        unit = m.group("unit").strip()
        if parse_unit(unit) is not None:
            return m.group("name").strip(), unit
    # Unit after a separator: "ANC, K/uL", "Neutrophils - 10^9/L", "Hb in g/dL".
    m = re.match(r"^(?P<name>.*?\S)\s*(?:,|;|:|\s-\s|\s+in\s+|\s+)\s*(?P<unit>\S+)$", text)
    if m:
        unit = m.group("unit").strip()
        u = parse_unit(unit)
        # A bare "%" or "#" is part of the name ("Neut %"), not a unit column.
        if u is not None and unit not in ("%", "#", "1") and not unit.isalpha():
            return m.group("name").strip(" ,;:-"), unit
    return text, None


def _unit_kind(unit: str | None) -> str | None:
    if not unit:
        return None
    u = parse_unit(unit)
    if u is None:
        return None
    if u.kind in (PERCENT, FRACTION):
        return PERCENT
    if u.kind == COUNT:
        return COUNT
    return u.kind


_PER_HUNDRED = r"/\s*100\b|\bper\s*100\b|\bpro\s*100\b|\bpour\s*100\b"
_BEFORE_HUNDRED = r"/\s*100|\bper\s*100|\bpro\s*100|\bpour\s*100"  # the name up to the "/100"


@dataclass(frozen=True)
class _Evidence:
    """What a test name (and its unit) says: its words, the concept it counts, count or percent."""

    words: frozenset[str]
    subject: frozenset[str]  # the words naming the counted thing ("neutrophils" in "/100 leukocytes")
    pct: bool
    strong_abs: bool
    weak_abs: bool
    unit_kind: str | None

    def reported_as(self, default: str | None) -> str | None:
        """COUNT or PERCENT from the words, then the unit, then the default."""
        if self.strong_abs and not (self.pct and "%" in self.words and "#" not in self.words):
            return COUNT
        if self.pct:
            return PERCENT
        if self.unit_kind in (COUNT, PERCENT):
            return self.unit_kind
        if self.weak_abs:
            return COUNT
        return default


def _evidence(name: str, unit: str | None) -> _Evidence | None:
    """The evidence of a name, or None for a name with no words or a vetoed word."""
    base, glued_unit = split_header_unit(name)
    folded = _fold(base)
    words = frozenset(_tokens(base))
    if not words or words & _VETO:
        return None
    # "/100" in a name is a percentage ("Neutrophils/100 leukocytes").
    per_hundred = bool(re.search(_PER_HUNDRED, folded))
    # "Neutrophils/100 leukocytes" mentions leukocytes but is about neutrophils: the counted
    # thing is the first concept named, and "leukocytes" after "/100" only names the base.
    subject = words
    if per_hundred:
        before = re.split(_BEFORE_HUNDRED, folded)[0]
        subject = frozenset(_TOKEN_RE.findall(before)) or words
    return _Evidence(
        words=words,
        subject=subject,
        pct=bool(words & _PCT) or per_hundred,
        strong_abs=bool(words & _STRONG_ABS) or bool(_COUNT_UNITS_HINT.search(folded)),
        weak_abs=bool(words & _ABS),
        unit_kind=_unit_kind(unit) or _unit_kind(glued_unit),
    )


# Japanese, Chinese and Korean names, as the words the rules above weigh: 好中球数 is
# "neutrophils #" (数: the count), 好中球% and 好中球比率 the percentage.
_CJK_WORDS = (
    ("中性粒细胞", "neutrophils"), ("中性粒細胞", "neutrophils"), ("好中球", "neutrophils"), ("호중구", "neutrophils"),
    ("桿状核", "band"), ("杆状核", "band"), ("分葉核", "segmented"), ("分叶核", "segmented"),
    ("白血球", "wbc"), ("白细胞", "wbc"), ("白細胞", "wbc"), ("백혈구", "wbc"),
    ("リンパ球", "lymphocytes"), ("淋巴细胞", "lymphocytes"), ("淋巴細胞", "lymphocytes"), ("림프구", "lymphocytes"),
    ("ヘモグロビン", "hemoglobin"), ("血色素", "hemoglobin"), ("血红蛋白", "hemoglobin"), ("혈색소", "hemoglobin"),
    ("血小板", "platelets"), ("혈소판", "platelets"),
    ("絶対数", "#"), ("绝对值", "#"), ("絕對值", "#"), ("절대수", "#"), ("计数", "#"), ("計数", "#"), ("数", "#"),
    ("수", "#"), ("百分比", "%"), ("百分率", "%"), ("比率", "%"), ("％", "%"),
)


def _cjk_as_words(name: str) -> str:
    if all(ord(c) < 0x2E80 for c in name):
        return name
    for word, meaning in _CJK_WORDS:
        name = name.replace(word, f" {meaning} ")
    return name


@short_text_cache(8192)
def _identify_cached(name: str, unit: str | None) -> str | None:
    name = _cjk_as_words(name)
    for code in _LOINC_RE.findall(name):
        if code in LOINC:
            return LOINC[code]
    ev = _evidence(name, unit)
    if ev is None:
        return None
    if ev.subject & (_BAND | _NEUTRO) or ev.words & {"anc", "agc"}:
        return _neutrophil_code(ev)
    return _other_code(ev)


def _neutrophil_code(ev: _Evidence) -> str | None:
    """ANC, NEUT_PCT or BAND_PCT for a name about neutrophils; None when it cannot be told."""
    words = ev.words
    if "anc" in words or "agc" in words:
        # the abbreviation already says "absolute"
        return ANC if ev.unit_kind != PERCENT else None
    segmented_negated = words & _NOT_SEGMENTED and words & {"segmented", "segmentes", "segmentados"}
    if ev.subject & _BAND or segmented_negated:
        # bands are reported as a percentage almost everywhere
        return BAND_PCT if ev.reported_as(PERCENT) == PERCENT else None
    # French reports give "polynucléaires neutrophiles" / "PNN" as the absolute count with the
    # percentage alongside; unqualified, they mean the count.
    how = ev.reported_as(COUNT if words & {"pnn", "polynucleaires", "polinucleares"} else None)
    return ANC if how == COUNT else NEUT_PCT if how == PERCENT else None


def _other_code(ev: _Evidence) -> str | None:
    """LYMPH, WBC, HGB or PLT for a name about them; None otherwise."""
    words, pct = ev.words, ev.pct
    if ev.subject & _LYMPH:
        return LYMPH if ev.reported_as(COUNT if "alc" in words else None) == COUNT else None
    if words & _WBC or ("white" in words and words & {"cell", "cells", "count", "blood"}) or (
        words & {"globules", "globulos", "globuli"} and words & {"blancs", "blancos", "bianchi", "brancos"}
    ):
        return None if pct and not ev.strong_abs else WBC
    if words & _HGB:
        return None if pct or ev.unit_kind == PERCENT else HGB
    if words & _PLT:
        return None if pct and not ev.strong_abs else PLT
    return None


def identify(name: str, unit: str | None = None) -> str | None:
    """The analyte code a test name, column header or LOINC code stands for, or None.

    ``unit`` (the result's unit, when the export has one) settles names that do not say whether
    they are a count or a percentage: "Neutrophils" with "%" is NEUT_PCT, with "K/uL" ANC.
    Without either, such a name gives None rather than a guess.
    """
    if name is None:
        return None
    text = str(name).strip()
    if not text or len(text) > 200:
        return None
    return _identify_cached(text, unit.strip() if isinstance(unit, str) and unit.strip() else None)


def count_by_values(name: str, values) -> str | None:
    """A name that says neither count nor percentage ("Neutrophils", no unit anywhere): values
    above 100 are no percentage, so it is the count (ANC, LYMPH); else None, still undecided."""
    as_count, as_pct = identify(name, "10^3/uL"), identify(name, "%")
    if identify(name) is not None or as_count is None or as_pct == as_count:
        return None
    from analysis.importing.values import parse_result

    return as_count if any((r.value or 0) > 100 for r in map(parse_result, values)) else None


_IGNORE = {"", "-", "none", "ignore", "skip", "nothing", "(ignore)", "(none)", "do not import"}


def resolve_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """A user's explicit mapping {name in file: analyte} with the analyte side as codes.

    The analyte may be written as a code ("ANC", "anc"), a display name ("Neutrophils %") or any
    name identify() knows. "ignore" (or "none", "-", "") maps to "" meaning "do not import this
    column", so a user can switch off a wrong automatic match. Raises InputError for a target
    Nadir does not know, listing what it does.
    """
    out: dict[str, str] = {}
    by_code = {a.casefold(): a for a in ANALYTES}
    by_display = {_fold(v): k for k, v in DISPLAY_NAME.items()}
    for source, target in mapping.items():
        t = "" if target is None else str(target).strip()
        folded = _fold(t)
        if folded in _IGNORE:
            out[source] = ""
            continue
        code = by_code.get(t.casefold()) or by_code.get(folded.replace(" ", "_"))
        # A bare "Neutrophils" stays unresolved (count or percent?) and is reported below.
        code = code or by_display.get(folded) or identify(t)
        if code is None:
            known = ", ".join(f"{a} ({DISPLAY_NAME[a]})" for a in ANALYTES)
            raise InputError(
                f"the mapping for {source!r} names {t!r}, which is not an analyte Nadir knows",
                hint=f"Use one of: {known}, or 'ignore' to skip the column.",
            )
        out[source] = code
    return out
