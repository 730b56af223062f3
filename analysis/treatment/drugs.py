"""Drugs: the vocabulary, normalised names, the dose a record's text states, and how a dose is written.

Every medication in a record is offered under its own normalised name; the vocabulary
(:data:`MEDICATIONS`) only adds brands, synonyms in the languages of the records Nadir reads, and
the premedication and fluid list. A drug mixed in a carrier fluid ("CYCLOPHOSPHAMIDE 1,200 MG IN
SODIUM CHLORIDE 0.9 % 250 ML IVPB") is named by the drug, never by the fluid.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from analysis.importing.limits import MAX_PHRASE_CHARACTERS, short_text_cache
from analysis.numbers import format_number

# Carrier fluids. A text that names a drug and one of these is that drug in the fluid.
_FLUID_PATTERNS = (
    r"sodium\s*chloride", r"\bnacl\b", r"\bsaline\b", r"kochsalz", r"\bns\b", r"lactated\s*ringer",
    r"\bringer", r"\bd5w\b", r"dextrose\s*5", r"glucose\s*5", r"\bg5\b", r"glukose", r"suero\s*fisiol",
    r"cloruro\s*(?:de\s*)?sodi", r"chlorure\s*de\s*sodium", r"s[eé]rum\s*physiolog", r"fysiologisch",
    r"natriumchlorid", r"sterile\s*water", r"water\s*for\s*injection", r"aqua\s*ad",
)
# "<drug> in <fluid>" in the languages Nadir reads ("in", "en", "dans", "mit", "con", "op", "ad").
_CARRIER = re.compile(r"\s(?:in|en|dans|mit|con|op|ad|su|qs|/|\+)\s+(?=[^,;]*(?:" + "|".join(_FLUID_PATTERNS) + r"))",
                      re.IGNORECASE)

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
    # Dosed by body weight by convention (immune globulin: "1 g/kg"), so its courses are labelled
    # in g/kg whenever a weight is known; every other drug keeps the unit its record uses.
    per_kg: bool = False
    # Brands sold in one concentration only (g per mL), for a record that gives the volume and names
    # the brand without its strength ("Kiovig", 800 mL: 80 g). Brands sold in several (Octagam 5 %
    # and 10 %, Flebogamma, Intratect, Gammaplex) are not here: their volume stays a volume.
    brand_strength: tuple[tuple[str, float], ...] = ()


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
        # Brands of national markets: France (LFB), the Netherlands (Sanquin), Italy (Kedrion),
        # the UK and Germany.
        ("Clairyg", r"clairyg"), ("Tegeline", r"t[eé]g[eé]line"), ("Iqymune", r"iqymune"),
        ("Nanogam", r"nanogam"), ("Ig Vena", r"\big\s*vena\b"), ("Kedrigamma", r"kedrigamma"),
        ("Sandoglobulin", r"sandoglobulin"), ("Vigam", r"\bvigam\b"), ("Endobulin", r"endobulin"),
        ("Polyglobin", r"polyglobin"), ("Gamimune", r"gamimune"), ("Evogam", r"evogam"),
    ),
    # Hyperimmune globulins are different drugs given for other reasons.
    exclude=(
        r"rho\s*\(?\s*d\s*\)?", r"anti[\s-]*d\b", r"hepatitis", r"\bhep\s*b\b", r"\bhbig\b", r"tetanus",
        r"rabies", r"cytomegalovirus", r"\bcmv\b", r"varicella", r"zoster", r"botulism", r"vaccinia",
        r"anthrax", r"winrho", r"rhogam", r"rhophylac", r"hyperrab", r"hyperhep", r"hypertet",
        r"cytogam", r"nabi", r"hepagam", r"varizig", r"kedrab", r"imogam", r"thymocyte",
        r"lymphocyte", r"atgam", r"thymoglobulin",
    ),
    brand_strength=(
        ("Privigen", 0.1), ("Kiovig", 0.1), ("Gamunex-C", 0.1), ("Gamunex", 0.1), ("Gammagard Liquid", 0.1),
        ("Gammaked", 0.1), ("Panzyga", 0.1), ("Bivigam", 0.1), ("Asceniv", 0.1), ("Iqymune", 0.1),
        ("Yimmugo", 0.1), ("Alyglo", 0.1), ("Kedrigamma", 0.1), ("HyQvia", 0.1), ("Hizentra", 0.2),
        ("Cuvitru", 0.2), ("Xembify", 0.2), ("Cutaquig", 0.165), ("Gammanorm", 0.165), ("Clairyg", 0.05),
        ("Tegeline", 0.05),
    ),
    subcutaneous_label="SCIG",
    subcutaneous_brands=frozenset({"Hizentra", "Cutaquig", "Cuvitru", "Xembify", "HyQvia",
                                   "Gammanorm", "Octanorm", "Subcuvia"}),
    per_kg=True,
)

MEDICATIONS: tuple[Medication, ...] = (
    IMMUNE_GLOBULIN,
    Medication("GCSF", "G-CSF", (r"filgrastim", r"lenograstim", r"neupogen", r"neulasta", r"zarxio",
                                  r"nivestym", r"granix", r"\bg[\s-]?csf\b")),
    Medication("RITUXIMAB", "Rituximab", (r"rituximab", r"rituxan", r"mabthera", r"truxima", r"ruxience")),
    Medication("EFGARTIGIMOD", "Efgartigimod", (r"efgartigimod", r"vyvgart")),
    Medication("CYCLOPHOSPHAMIDE", "Cyclophosphamide", (r"c[yi]clophosphamid", r"ciclofosfamid",
                                                         r"cyclofosfamide", r"endoxan", r"cytoxan")),
    Medication("DOXORUBICIN", "Doxorubicin", (r"doxorubicin", r"doxorrubicina", r"adriamycin")),
    Medication("VINCRISTINE", "Vincristine", (r"vincristin", r"oncovin")),
    Medication("PREDNISONE", "Prednisone", (r"predniso(?:ne?)?\b", r"prednisona")),
    Medication("BENDAMUSTINE", "Bendamustine", (r"bendamustin", r"levact", r"treanda")),
    Medication("METHOTREXATE", "Methotrexate", (r"methotrexat", r"metotrexato")),
    Medication("MYCOPHENOLATE", "Mycophenolate", (r"m[yi]cophenol", r"micofenolato", r"cellcept")),
    Medication("AZATHIOPRINE", "Azathioprine", (r"azathioprin", r"azatioprina", r"imurek", r"imuran")),
    Medication("OCRELIZUMAB", "Ocrelizumab", (r"ocrelizumab", r"ocrevus")),
    Medication("ECULIZUMAB", "Eculizumab", (r"eculizumab", r"soliris")),
    Medication("RAVULIZUMAB", "Ravulizumab", (r"ravulizumab", r"ultomiris")),
    Medication("NATALIZUMAB", "Natalizumab", (r"natalizumab", r"tysabri", r"tyruko")),
    Medication("DARATUMUMAB", "Daratumumab", (r"daratumumab", r"darzalex")),
    Medication("BORTEZOMIB", "Bortezomib", (r"bortezomib", r"velcade")),
    Medication("OBINUTUZUMAB", "Obinutuzumab", (r"obinutuzumab", r"gazyva", r"gazyvaro")),
    # Cytotoxic drugs often given in courses, with their French, Spanish, Italian, German and
    # Dutch names, so that "carboplatine", "CARBOPLATINO" and "Paraplatin" are one drug.
    Medication("CARBOPLATIN", "Carboplatin", (r"carboplatin", r"paraplatin")),
    Medication("CISPLATIN", "Cisplatin", (r"\bcisplatin", r"platinol")),
    Medication("OXALIPLATIN", "Oxaliplatin", (r"oxaliplatin", r"eloxatin")),
    Medication("PACLITAXEL", "Paclitaxel", (r"(?<!nab-)(?<!nab )paclitax", r"taxol\b")),
    Medication("DOCETAXEL", "Docetaxel", (r"docetax", r"taxotere")),
    Medication("ETOPOSIDE", "Etoposide", (r"etopos", r"vepesid")),
    Medication("GEMCITABINE", "Gemcitabine", (r"gemcitabin", r"gemzar")),
    Medication("FLUDARABINE", "Fludarabine", (r"fludarabin",)),
    Medication("CYTARABINE", "Cytarabine", (r"cytarabin", r"citarabina", r"\bara-?c\b")),
    # Premedication and infusion fluids: listed so that they can be recognised and left out.
    Medication("ACETAMINOPHEN", "Acetaminophen", (r"acetaminophen", r"paracetamol", r"tylenol"),
               premedication=True),
    Medication("DIPHENHYDRAMINE", "Diphenhydramine", (r"diphenhydramine", r"benadryl"), premedication=True),
    Medication("CHLORPHENAMINE", "Chlorphenamine", (r"chlorphenamin", r"chlorpheniramin", r"piriton",
                                                     r"polaramine", r"dexchlorph[eé]niramin"), premedication=True),
    Medication("PROMETHAZINE", "Promethazine", (r"prom[eé]thazin", r"phenergan"), premedication=True),
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
    Medication("SALINE", "Saline", (*_FLUID_PATTERNS, r"\bflush\b"), premedication=True),
    Medication("HEPARIN_FLUSH", "Heparin flush", (r"heparin.*(flush|lock)",), premedication=True),
)


def _search(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def _compiled(med: Medication) -> tuple[re.Pattern, re.Pattern | None]:
    names = "|".join(f"(?:{p})" for p in med.patterns + tuple(p for _b, p in med.brands))
    veto = "|".join(f"(?:{x})" for x in med.exclude)
    return re.compile(names, re.IGNORECASE), (re.compile(veto, re.IGNORECASE) if veto else None)


# One pattern per drug, compiled once: every medication text of a record is checked against all.
_COMPILED: dict[str, tuple[re.Pattern, re.Pattern | None]] = {med.key: _compiled(med) for med in MEDICATIONS}


def _named(med: Medication, text: str) -> bool:
    names, veto = _COMPILED[med.key]
    return names.search(text) is not None and (veto is None or veto.search(text) is None)


@short_text_cache(8192)
def drug_part(text: str) -> str:
    """The part of a medication text that names the drug: "RITUXIMAB 700 MG in NaCl 0.9% 500 mL"
    -> "RITUXIMAB 700 MG". A text that is only a fluid is returned whole."""
    t = " ".join(str(text or "")[:MAX_PHRASE_CHARACTERS].split())
    m = _CARRIER.search(t)
    if m and m.start() > 0:
        return t[:m.start()].strip()
    return t


@short_text_cache(8192)
def find_medication(text: str) -> Medication | None:
    """The :data:`MEDICATIONS` entry a medication text names, or None. The drug wins over its
    carrier fluid; a text naming only a fluid or premedication gives that entry."""
    full = str(text or "")[:MAX_PHRASE_CHARACTERS]  # see limits: a longer cell by its start
    part = drug_part(full)
    for candidate in ((part, full) if part != full else (full,)):
        for med in MEDICATIONS:
            if med.key == "SALINE" and candidate is full and part != full:
                continue  # the fluid a named drug is mixed in
            if _named(med, candidate):
                return med
        if candidate is part and part != full:
            return None  # a drug Nadir does not know, in a fluid
    return None


_FORM_WORDS = re.compile(
    r"\b(?:inj(?:ection)?|injektion\w*|infusion\w*|infusi[oó]n|perfusion|ivpb|iv|ivp|soln|solution|"
    r"l[oö]sung|tab(?:let)?s?|tablette\w*|caps(?:ule)?s?|kapsel\w*|conc(?:entrate)?|konzentrat|"
    r"piggyback|premix|bag|vial|oral|po|sc|sq|subq|im|pfs|syringe|liquid|susp(?:ension)?|powder|"
    r"pulver|lyophil\w*|einzeldosis|comprim[eé]s?|comprimido|compresse|dosis)\b\.?",
    re.IGNORECASE)


# Makers of generic drugs, named after the drug in a product name ("PACLITAXEL ACCORD 6 mg/ml",
# "Carboplatine Teva"): not part of the drug's name.
_MAKER_WORDS = re.compile(
    r"\s+(?:accord|teva|hospira|sandoz|mylan|viatris|fresenius(?:\s+kabi)?|kabi|hikma|medac|ebewe|zentiva|"
    r"biogaran|arrow|actavis|aurobindo|sun|sagent|pfizer|baxter|accord healthcare|ratiopharm|hexal|stada|"
    r"aliud|winthrop|cipla|intas|qilu|seacross|normon|kern|cinfa|combino|mayne|eg)\b.*$", re.IGNORECASE)


def product_name(text: str, route: str = "") -> str:
    """The normalised product name of a medication text: "IVIG (Privigen)", "SCIG (Hizentra)"...

    Unknown drugs keep their own name (the drug part before the strength, without dosage-form
    words, in title case), so that a drug Nadir has never heard of can still be chosen.
    """
    med = find_medication(text)
    if med is None:
        part = drug_part(text)
        head = re.split(r"\s\d|\d|\(|,", part.strip(), maxsplit=1)[0].strip()
        head = " ".join(_FORM_WORDS.sub(" ", head).split()).strip(" -/")
        head = _MAKER_WORDS.sub("", head) if " " in head else head
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


@short_text_cache(8192)
def is_premedication(product_or_text: str) -> bool:
    med = find_medication(product_or_text)
    return med is not None and med.premedication


# --- doses -------------------------------------------------------------------------------------

# "1,200" is a thousands separator in an English drug text; "1,5" is a decimal comma.
# An amount as records write it: "1,200" and "1,200.00" (thousands with commas), "1.200,00"
# (Spanish, German, Italian: thousands with points, a decimal comma), "8,5", "700".
AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d{1,3}(?:\.\d{3})+,\d+(?![\d.,])|\d+(?:[.,]\d+)?"
_AMOUNT = f"({AMOUNT})"
_MASS = re.compile(_AMOUNT + r"\s*(mg/m2|mg/m²|mg/kg|g/kg|mcg|µg|ug|mg|g|gm|gram[ms]?|iu|ie|ui|units?)(?![a-z/])",
                   re.IGNORECASE)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_PER_VOLUME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mg|gm|g)\s*/\s*(\d*)\s*(ml|l)\b", re.IGNORECASE)


def amount(text: str) -> float:
    """The number an AMOUNT text gives."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        return float(t.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", t):
        return float(t.replace(".", "").replace(",", "."))
    return float(t.replace(",", "."))


@short_text_cache(8192)
def normalise_unit(unit: str) -> str:
    u = " ".join(str(unit or "").split()).lower().replace("µ", "u").replace("μ", "u")
    u = re.sub(r"\bgrams?\b|\bgm\b|\bgramm\b", "g", u)
    u = re.sub(r"\bmilligrams?\b", "mg", u)
    u = u.replace(" ", "").replace("²", "2")
    if u in ("ml", "l"):
        return u.replace("l", "L")
    if u in ("mg/m2", "mg/qm"):
        return "mg/m²"
    if u in ("ug", "mcg"):
        return "mcg"
    return u


@short_text_cache(8192)
def stated_dose(text: str) -> tuple[float | None, str]:
    """The dose a medication text states for the drug ("RITUXIMAB 700 MG in ..." -> (700, "mg")),
    not a concentration ("100 mg/ml") and not the carrier fluid's volume."""
    for m in _MASS.finditer(drug_part(text)):
        tail = text[m.end():m.end() + 4]
        if re.match(r"\s*/\s*\d*\s*m?l\b", tail, re.IGNORECASE):
            continue  # a concentration
        return amount(m.group(1)), normalise_unit(m.group(2))
    return None, ""


_PACK = re.compile(r"\b(?:vials?|fl|flacons?|flaschen?|durchstechflaschen?|amp|ampoules?|ampullen?|fiala|fiale|"
                   r"frasco|fr-amp|bottles?|syringes?|prefilled|pens?|bags?|btl|vl)\b", re.IGNORECASE)


_COUNT_UNITS = frozenset(("stk", "stk.", "stuck", "st", "st.", "pcs", "pc", "piece", "pieces", "ea", "each", "vial",
                          "vials", "fl", "fl.", "flacon", "flacons", "flasche", "flaschen", "amp", "amp.", "ampoule",
                          "ampoules", "ampulle", "ampullen", "bottle", "bottles", "pz", "pezzi", "stuks", "stuk",
                          "frasco", "frascos", "vial(s)"))


def count_unit(unit: str) -> bool:
    """True for a unit that counts packs ("Stk", "EA", "vials", "Flacon"), not an amount."""
    return fold_unit(unit) in _COUNT_UNITS


def fold_unit(unit: str) -> str:
    t = unicodedata.normalize("NFKD", str(unit or "").strip().casefold())
    return "".join(c for c in t if not unicodedata.combining(c))


_PACK_VOLUME = re.compile(r"(?<![\d/.,])(\d+(?:[.,]\d+)?)\s*(ml|l)\b", re.IGNORECASE)


def pack_amount(text: str) -> tuple[float | None, str]:
    """The amount of drug in one pack a medication text names ("rituximab 500 mg vial" -> 500 mg,
    "IMMUNE GLOB 10 GM/100 ML VIAL" -> 10 g), for a record that counts packs; else (None, "")."""
    stated = stated_dose(text)
    if stated[0] is not None:
        return stated
    part = drug_part(text)
    m = _PER_VOLUME.search(part)
    if not m or not _PACK.search(part):
        return None, ""
    mass, per = amount(m.group(1)), float(m.group(3) or 1) * (1000.0 if m.group(4).lower() == "l" else 1.0)
    if per > 1:  # "10 GM/100 ML VIAL": the amount in the vial's volume
        return mass, normalise_unit(m.group(2))
    # A concentration and the pack's volume apart ("100 mg/ml 200 ml Durchstechflasche",
    # "50MG/ML FLACON 200ML"): the concentration times that volume.
    volume = _PACK_VOLUME.search(part[:m.start()] + " " + part[m.end():])
    if volume is None:
        return None, ""
    ml = amount(volume.group(1)) * (1000.0 if volume.group(2).lower() == "l" else 1.0)
    grams = mass / (1000.0 if m.group(2).lower() == "mg" else 1.0) / per * ml
    return round(grams, 6), "g"


@short_text_cache(8192)
def grams_per_ml(text: str) -> float | None:
    """The concentration a medication text states for the drug (10% -> 0.1 g/mL), or None."""
    part = drug_part(text)
    m = _PER_VOLUME.search(part)
    if m:
        mass = amount(m.group(1)) / (1000.0 if m.group(2).lower() == "mg" else 1.0)
        volume = float(m.group(3) or 1) * (1000.0 if m.group(4).lower() == "l" else 1.0)
        return mass / volume
    m = _PERCENT.search(part)
    if m:
        return amount(m.group(1)) / 100.0
    med = find_medication(text)
    if med is not None and med.brand_strength:
        brand = next((name for name, pat in med.brands if _search(pat, text)), None)
        return dict(med.brand_strength).get(brand)
    return None


def dose_in_record_unit(dose: float | None, unit: str, text: str) -> tuple[float | None, str]:
    """A dose as the record states it, with a volume of a stated concentration turned into grams
    (800 mL of a 10% solution -> 80 g) and a volume of a bag whose drug amount is stated turned
    into that amount ("RITUXIMAB 700 MG IN NACL 500 ML", 500 mL -> 700 mg)."""
    if dose is None:
        return stated_dose(text)
    unit = normalise_unit(unit)
    if unit == "mL":
        conc = grams_per_ml(text)
        if conc is not None and not is_premedication(text):
            return round(dose * conc, 6), "g"
        stated = stated_dose(text)
        if stated[0] is not None:
            return stated
    return dose, unit


def format_dose(dose: float | None, unit: str = "", *, missing: str = "") -> str:
    """A dose as Nadir writes it everywhere (course labels, the infusion and regimen dialogs,
    messages): "700 mg", "2 g/kg", "0.4 g/kg", "1.25 g"; ``missing`` for no dose.

    Two decimals at most, trailing zeros dropped; below 1, three significant digits (0.333 g/kg,
    0.0125 mg), so that a small dose never reads as 0. Never an exponent.
    """
    if dose is None:
        return missing
    size = abs(float(dose))
    digits = 2 if size >= 1 or size == 0 else 2 - math.floor(math.log10(size))
    return f"{format_number(dose, digits=digits)} {unit}".strip()
