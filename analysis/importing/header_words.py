"""Words in column headings that name a role: collection time, test, result, unit, status ...

Role words are matched on the folded heading (lower case, accents removed, punctuation as
spaces) in English, German, French, Spanish, Italian, Dutch, Portuguese and the Nordic
languages. They are evidence for a layout, weighed against what the cells below hold
(:mod:`analysis.importing.layout`); a heading no pattern knows can be named by the user.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.importing.limits import MAX_HEADING_CHARACTERS, short_text_cache

# Roles, in the order they are tried: specific names first ("Result Status" is a status, not a
# result; "Order Name" is not the test name; "Result Date/Time" is not the collection time).
# Patterns run on the folded header: lower case, accents removed, punctuation as spaces.
DATE_WORD = r"(?:date|dates|datum|fecha|dt|day|jour|tag|dia|datetime|zeitpunkt|data|dato|giorno)"
TIME_WORD = r"(?:time|zeit|uhrzeit|heure|hora|tm|ora|orario|tijd|tijdstip|uur|tid|klokkeslett)"
_ROLE_RULES: list[tuple[str, re.Pattern]] = [
    ("location", re.compile(r"\bnurs\w* unit\b|\blocation\b|\bward\b|\bstation\b|\bdepartment\b|\bstandort\b")),
    ("status", re.compile(r"\bstatus\b|\bstatut\b|\bestado\b|\bbefundstatus\b|\bresult stat\b")),
    ("unit", re.compile(
        r"\b(?:units?|uom|einheit|einheiten|einh|unite|unites|unidad|unidades|unita|dimension|unidade|unidades"
        r"|eenheid|eenheden|enhet|enhed|misura|u m)\b")),  # "U.M.": unità di misura
    ("refrange", re.compile(
        r"\bref\b|reference|referenz|normal (?:range|values?|interval)|\bnorm\b|normbereich|normwert"
        r"|intervalle|\brango\b|valeurs? usuelles?|valores? de referencia|\brange\b|\binterval\b"
        r"|riferimento|referentie\w*|referencia|referanse\w*|referens\w*|normaal\w*")),
    ("flag", re.compile(
        r"\bflags?\b|abnormal|\babn\b|\bh l\b|interpretation|kennzeichen|\bmarkierung\b|indicateur"
        r"|\bindicador\b|\bmarca\b|\bnormalcy\b|\bpathologisch\b|\bpath\b")),
    ("patient", re.compile(
        r"\bmrn\b|\bmrn\w*|\bpatient ?(?:id|no|nr|number|nummer|identifier)\b|patienten ?(?:id|nr|nummer)"
        r"|\bpat ?(?:id|nr)\b|\bpid\b|medical record|record (?:no|number)|\bipp\b|\bnip\b|\bnhc\b"
        r"|historia clinica|identifiant|\bid patient\b|\bnumero (?:de )?patient\b|\bn patient\b"
        r"|\bumrn\b|\bempi\b|\bhealth ?card\b|\bnhs (?:no|number)\b|\bprontuario\b|\bcodice paziente\b"
        r"|\b(?:record|subject|participant|study|case) ?(?:id|no|nr|number)\b|\bid paziente\b"
        r"|\bpaziente (?:id|cod\w*|n)\b|\bpatientnummer\b|\bpatient ?nr\b|\bregistro\b"
        r"|\bfodselsnummer\b|\bpersonnummer\b|\bcpr\b|\bhetu\b")),
    ("patient_name", re.compile(
        r"\bpatient\b|\bpatienten ?name\b|\bnom\b|\bnombre\b|\bpatientenname\b|\bperson\b|\bpt name\b"
        r"|\bfull name\b|\blast name\b|\bfirst name\b|\bsurname\b|\bvorname\b|\bnachname\b|\bprenom\b"
        r"|\bapellidos?\b|\bpaziente\b|\bnome\b|\bcognome\b|\bnaam\b")),
    ("order", re.compile(
        r"\border\b|\borders\b|\baccession\b|\bacc\b|auftrag|\bspecimen (?:id|no|number)\b|\bsample (?:id|no)\b"
        r"|\bbarcode\b|\blab ?(?:no|nr|number)\b|\brequisition\b|\bpanel\b|\bbattery\b|\bdemande\b"
        r"|\bpeticion\b|\bsolicitud\b|\bencounter\b|\bfin\b|\bvisit\b")),
    ("comment", re.compile(r"\bcomments?\b|\bnotes?\b|kommentar|bemerkung|remarque|commentaire|comentario")),
    ("other_time", re.compile(
        r"\b(?:result|resulted|verified|verify|verification|report|reported|received|receipt|ordered|"
        r"printed|entered|release|released|befund|validat\w*|freigabe|eingang|resultat|reception|"
        r"informe|validacion|performed|authoris\w*|authoriz\w*|signed|edit\w*|update\w*|referto|"
        r"refertazione|accettazione|validazione|uitslag|rapport|laudo|liberacao|emissao)\b.*\b"
        + f"(?:{DATE_WORD}|{TIME_WORD})\\b"
        + r"|befunddatum|eingangsdatum|freigabedatum|validierungsdatum|druckdatum|auftragsdatum"
        r"|\bdob\b|birth|geburt|naissance|nacimiento")),
    ("time", re.compile(
        r"collect\w*|\bcoll\b|\bdrawn\b|\bdraw\b|\btaken\b|\bspecimn\b|entnahme\w*|abnahme\w*|probenahme|prelev\w*|preliev\w*|\bcoleta\b"
        r"|colheita|afname\w*|provetaking\w*|provtagning\w*|provetagning\w*|\bspecimen\b.*\b"
        + f"(?:{DATE_WORD}|{TIME_WORD})\\b"
        + r"|\bsample\b.*\b(?:date|time)\b|obtained|event end|\bevent (?:date|time)\b|extraccion|\btoma\b"
        r"|\bobservation (?:date|time)\b|\bobs (?:date|time)\b|\beffective\b|\bclinically significant\b")),
    ("date", re.compile(f"\\b{DATE_WORD}\\b|\\w+datum\\b")),
    # "Result Name" (Allscripts, athena) names the test, not the result
    ("test", re.compile(r"\bresults?\b.*\b(?:name|description|desc|test|item)\b")),
    ("clock", re.compile(f"^(?:{TIME_WORD})$|\\b{TIME_WORD}\\b")),
    ("result", re.compile(
        r"\bresults?\b|\bvalues?\b|ergebnis\w*|\bwert\b|\bmesswert\b|\bresultat\w*|\bresultados?\b"
        r"|\bvaleurs?\b|\bvalor(?:es)?\b|\bbefund\b|\bvalue numeric\b|\bnum(?:eric)? value\b|\bverdi\b|\bvarde\b"
        r"|\brisultat[oi]\b|\besito\b|\buitslag\w*\b|\bwaarde\b|\bresultaat\b|\bsvar\b|\bresultat\b")),
    ("test", re.compile(
        r"\bcomponents?\b|\btests?\b|\banalytes?\b|\banalyt\b|\banalit[oi]\b|\bparam\w*|\bexamens?\b|\bpruebas?\b|\bevent\b"
        r"|\banalys[ie]s\b|\buntersuchung\b|determinacion|\bobservation\b|\bdescription\b"
        r"|\bitem\b|\blab\b|\bprocedure\b|\bassay\b|\bbezeichnung\b|\blibelle\b|\bname\b|\banalito\b"
        r"|\bkomponente\b|\bcomposant\b|\bconstituant\b|\bloinc\b|\banalyse\b|\bleistung\b"
        r"|\besam[ei]\b|\bexames?\b|\banalisi\b|\bbepaling\w*\b|\bparametro\b|\bprova\b|\bunderso\w*")),
]
# A time role found in a header, by how surely it is the collection time.
TIME_PRIORITY = {"time": 3, "date": 2, "other_time": 1}


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Letters NFKD does not split into a base letter and an accent ("Prøvetaking", "Łódź").
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th"})


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as single spaces: what role patterns match."""
    # "specimenCollectedDateTime", "testName": database extracts write headings in camelCase
    text = _CAMEL.sub(" ", text[:MAX_HEADING_CHARACTERS])  # a longer cell is folded by its start
    t = text.casefold().replace("ß", "ss")
    if not t.isascii():
        t = unicodedata.normalize("NFKD", t.translate(_UNDECOMPOSED))
        t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9%#]+", " ", t).split())


@short_text_cache(4096)
def classify_header(text: str) -> str | None:
    """The role a column heading names ("Collection Date/Time" -> "time"), or None."""
    folded = fold(text)
    if not folded or len(folded) > 80:
        return None
    for role, pattern in _ROLE_RULES:
        if pattern.search(folded):
            if role == "clock" and re.search(f"\\b{DATE_WORD}\\b", folded):
                return "date"
            return role
    return None



# Labels of rows (in cumulative reports) or columns that hold times other than the draw's.
LATER_TIMES = re.compile(
    r"\b(?:receiv\w*|recv\w*|rec d|reported|report (?:date|time)|resulted|result (?:date|time)|verified"
    r"|verification|released|release (?:date|time)|printed|authori[sz]ed|authorised|signed|ordered"
    r"|order (?:date|time)|requested|eingang\w*|befundet|befund(?:datum|zeit)|validated|validiert|validation"
    r"|freigabe\w*|druck\w*|auftrags?(?:datum|zeit)|recu|recue|reception|recepcion|recibid\w*|edited|updated"
    r"|due|expected)\b"
)


# Dutch and German write "sample date" and "sample time" as one word ("Afnamedatum" and
# "Afnametijd", "Entnahmedatum" and "Entnahmezeit"): the word's end says which it is.
_COMPOUND_ENDS = {DATE_WORD: re.compile(r"\w(?:datum)\b"), TIME_WORD: re.compile(r"\w(?:zeit|tijd)\b")}


def has_word(text: str, word_pattern: str) -> bool:
    """True when the folded ``text`` holds a word of ``word_pattern`` (DATE_WORD, TIME_WORD),
    alone or as the end of a compound."""
    folded = fold(text)
    compound = _COMPOUND_ENDS.get(word_pattern)
    return bool(re.search(f"\\b{word_pattern}\\b", folded) or (compound and compound.search(folded)))
