"""An event's type from its category or its description, in six languages.

The type comes from the category when the table has one; else from the description by word
stems, compounds included ("Harnwegsinfekt", "Ziekenhuisopname"), never from an incidental
word: a vaccine against influenza is a medication, "no infection" is no infection. A description
that names no type is "other".
"""

from __future__ import annotations

import re

from analysis.importing.limits import short_text_cache
from analysis.model import EVENT_KINDS
from analysis.treatment.actions import fold

# Stems, folded (lower case, no accents). A stem of five letters or more also matches inside a
# word (German and Dutch compounds); a shorter one only as a whole word or a word start.
# Checked in this order, first hit wins: the specific G-CSF words before the generic medication,
# an infection before the fever it brings ("Harnwegsinfekt, Fieber 38,6 °C" is an infection, and
# leaves its cycle out by default; "Fieber, kein Infekt" stays a fever).
KIND_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gcsf", ("g-csf", "gcsf", "g csf", "filgrastim", "pegfilgrastim", "lenograstim", "neupogen", "neulasta",
              "zarxio", "nivestym", "granix", "lipegfilgrastim", "tbo-filgrastim", "zarzio", "nivestim",
              "tevagrastim", "ratiograstim", "accofil", "grastofil", "granocyte", "lonquex", "ziextenzo",
              "fulphila", "udenyca", "pelgraz", "pelmeg", "nyvepria", "releuko")),
    ("infection", ("infect", "infekt", "infecc", "infez", "covid", "sars-cov", "influenza", "grippe", "pneumon",
                   "neumon", "polmonit", "longontsteking", "lungenentzund", "sepsis", "septic", "bacteraemi",
                   "bacteremi", "bakteriami", "cellulitis", "phlegmon", "uti", "harnweg", "urinary tract", "bronchit",
                   "sinusit", "otitis", "abscess", "abszess", "absces", "rsv", "zoster", "shingles", "gordelroos",
                   "gurtelrose", "zona", "culebrilla", "fuoco di sant", "pneumopath", "gastroenterit",
                   "viral", "bacterial", "bakteriell", "erysipel", "cystitis", "zystitis", "pharyngit", "tonsillit",
                   "pyelonephrit", "mening", "candid", "mycos", "mykos", "herpes", "cmv", "ebv", "tuberkulos",
                   "tubercul", "osteomyelit", "endokardit", "endocardit", "bronquitis", "polmonite", "cistite",
                   # the abbreviations clinicians write: upper/lower respiratory tract infection,
                   # Clostridioides difficile, MRSA
                   "urti", "lrti", "uri", "c. diff", "c diff", "cdiff", "clostridi", "mrsa")),
    ("fever", ("fever", "febril", "fieber", "fievre", "fiebre", "febbre", "koorts", "pyrexi", "temperatur",
               "hyperthermi", "febrile")),
    ("hospitalisation", ("hospitalis", "hospitaliz", "hospitalizacion", "admission", "admitted", "hospital",
                         "inpatient", "stationar", "krankenhaus", "klinikaufenthalt", "aufnahme", "ward", "icu",
                         "intensiv", "ricover", "ingreso", "ingresad", "opname", "opgenomen", "sejour",
                         "ospedal", "spital")),
    ("medication", ("medication", "medicine", "drug", "medikament", "medikation", "therapy", "therapie",
                    "treatment", "antibiotic", "antibiose", "antibiotik", "steroid", "prednison", "prednisolon",
                    "medicament", "medicamento", "farmaco", "medicatie", "geneesmiddel", "antibiotico",
                    "tratamiento", "traitement", "trattamento", "behandeling")),
    ("other", ("other", "sonstig", "misc", "autre", "otro", "altro", "overig", "andere")),
)

# A vaccination names the disease it prevents: it is a medication, not that disease.
_VACCINE = ("vaccin", "impf", "vacuna", "vakzin", "immunization", "immunisation", "inoculat", "flu shot",
            "flu jab", "booster")
# A type word after one of these is denied ("no infection", "kein Infekt", "infection ruled out").
_NEGATION = re.compile(r"\b(?:no|not|without|negative for|kein\w*|ohne|sans|pas de|aucun\w*|sin|ningun\w*|"
                       r"nessun\w*|senza|geen|zonder)\s+(?:\w+\s+){0,2}$")
# What follows one of these is the cause of the event, not the event: "Agranulocytosis secondary
# to chemotherapy" and "Neutropenie nach Chemotherapie" are no medication given. Only the
# medication type is denied so (an infection named as a cause did happen).
_CAUSE = re.compile(r"\b(?:secondary to|due to|caused by|induced by|related to|after|following|post|"
                    r"nach|infolge|bedingt durch|durch|apres|secondaire a|du a|due a|lie a|induit\w* par|"
                    r"tras|secundari\w* a|debido a|por|dopo|secondari\w* a|dovut\w* a|na|door|ten gevolge van|"
                    r"tgv)\b")
_DENIED_AFTER = re.compile(r"^\W*(?:\w+\s+){0,2}(?:ruled out|excluded|ausgeschlossen|negativ\w*|exclu\w*|"
                           r"descartad\w*|escluso|uitgesloten)\b")


def _stem_pattern(stem: str) -> re.Pattern:
    if len(stem) >= 5:
        return re.compile(re.escape(stem))
    return re.compile(r"(?<![a-z])" + re.escape(stem) + r"(?![a-z])")


_PATTERNS = tuple((kind, tuple(_stem_pattern(s) for s in stems)) for kind, stems in KIND_STEMS)


# A body temperature of 38 °C or more written as a number ("T 38.9", "Temp. 38,5", "39,1 °C") is
# a fever, in any language.
_FEVER_READING = re.compile(r"(?:\b(?:t|temp\w*)\.?\s*:?\s*(?:3[89]|4[0-2])(?:[.,]\d)?\b|"
                            r"\b(?:3[89]|4[0-2])(?:[.,]\d)?\s*(?:°|o\s*c\b|grad\b|degrees?\b))")


# An ICD-10 code (WHO, -CM, -GM), alone or before its text ("J06.9", "U07.1", "J18.9 Pneumonie", "A419"):
# a letter, two digits, then a dot and more, or up to four more characters with nothing after them.
ICD10 = re.compile(r"\s*([A-Z])(\d{2})(?:\.(\d[0-9A-Z]{0,3})[!+*†]?(?=$|[\s:,;(-])|([0-9A-Z]{1,4})?[!+*†]?\s*$)")

# Codes by chapter and block (ICD-10, 2019): (letter, first, last block number, kind). The infectious
# chapter, COVID-19 (U07.1, U07.2; U08-U10 its sequelae and inflammatory syndrome), acute respiratory
# infections and pneumonia, skin infections, infections of the urinary tract, middle ear, bone and
# heart, and complications of infusions that are infections; fever of unknown origin (R50).
_ICD_KINDS = (
    ("A", 0, 99, "infection"), ("B", 0, 99, "infection"), ("U", 7, 10, "infection"),
    ("J", 0, 22, "infection"), ("J", 85, 86, "infection"), ("L", 0, 8, "infection"),
    ("N", 10, 10, "infection"), ("N", 30, 30, "infection"), ("H", 66, 67, "infection"),
    ("M", 86, 86, "infection"), ("I", 33, 33, "infection"), ("G", 0, 7, "infection"),
    ("K", 65, 65, "infection"), ("R", 50, 50, "fever"),
)
_ICD_CODES = {("N", 39, "0"): "infection", ("T", 80, "2"): "infection", ("T", 82, "7"): "infection",
              ("D", 70, ""): "", ("Z", 23, ""): "medication", ("Z", 25, ""): "medication"}


def icd_kind(text: str | None) -> str | None:
    """The kind an ICD-10 code names ("J06.9" infection, "R50.9" fever, "Z23" a vaccination, a
    medication), "" for a code of anything else (its description decides), None for no code."""
    m = ICD10.match(str(text or ""))
    if not m:
        return None
    letter, block = m.group(1), int(m.group(2))
    sub = (m.group(3) or m.group(4) or "")[:1]
    for key in ((letter, block, sub), (letter, block, "")):
        if key in _ICD_CODES:
            return _ICD_CODES[key]
    return next((kind for lt, lo, hi, kind in _ICD_KINDS if lt == letter and lo <= block <= hi), "")


@short_text_cache(2048)
def kind_of(text: str | None) -> str:
    """The EVENT_KINDS entry a category or description names, or "" when it names none."""
    if not text:
        return ""
    coded = icd_kind(text)
    if coded is not None:
        return coded or kind_of(ICD10.sub("", text, count=1))  # a code of no kind: its text, if any
    low = fold(text)
    if low in EVENT_KINDS:
        return low
    if any(v in low for v in _VACCINE):
        return "medication"
    found = _kind_by_stem(low)
    if found in ("", "other") and _FEVER_READING.search(low):
        return "fever"
    return found


def _kind_by_stem(low: str) -> str:
    for kind, patterns in _PATTERNS:
        for rx in patterns:
            for m in rx.finditer(low):
                if _NEGATION.search(low[:m.start()]) or _DENIED_AFTER.search(low[m.end():]):
                    continue
                if kind == "medication" and _CAUSE.search(low[:m.start()]):
                    continue
                return kind
    return ""
