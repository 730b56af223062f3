"""What an administration record's action or status cell means, in six languages.

A medication-administration record writes one row per event of a dose: its start (given, new
bag), parts of the same dose (rate change, site change, restarted, infusing, completed), a dose
that was due and not given (held, postponed, refused), or workflow that is no dose at all (due,
verified, canceled entry). Nadir counts only starts, reports doses not given as skipped rows with
their reason, and shows every word it does not know instead of counting it.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.importing.limits import MAX_PHRASE_CHARACTERS, short_text_cache

START = "start"  # a dose begins: one administration
PART = "part"  # an event within a dose already counted
NOT_GIVEN = "not given"  # the dose was due and not given
NO_DOSE = "no dose"  # workflow: nothing was given and nothing was missed
# A dispensing cabinet's or pharmacy's return: what was removed for the patient went back, so the
# latest removal of the same drug before it was not given (record_returns).
RETURN = "return"
UNKNOWN = "unknown"
BLANK = "blank"

# Phrases, compared after folding case and accents. Checked in the order NOT_GIVEN, RETURN,
# NO_DOSE, PART, START, so that "not given" is never read as "given", "restarted" never as
# "started", and "cancel remove" never as a removal.
_PHRASES: dict[str, tuple[str, ...]] = {
    NOT_GIVEN: (
        # English (Epic, Cerner, VistA BCMA, Meditech, Sunrise)
        "not given", "not administered", "not done", "held", "hold", "on hold", "refused",
        "patient refused", "missed", "missing dose", "omitted", "postponed", "deferred",
        "suspended", "withheld", "dose not given", "chart not done", "declined", "not taken",
        # German
        "nicht verabreicht", "nicht gegeben", "nicht erfolgt", "abgelehnt", "verweigert",
        "verschoben", "ausgesetzt", "entfallen", "entfallt", "nicht durchgefuhrt", "zuruckgestellt",
        # French
        "non administre", "non administree", "non donne", "refuse", "refusee", "reporte", "reportee",
        "suspendu", "suspendue", "differe", "non fait",
        # Spanish
        "no administrado", "no administrada", "rechazado", "rechazada", "aplazado", "aplazada",
        "pospuesto", "pospuesta", "suspendido", "suspendida", "omitido", "no dado",
        # Italian
        "non somministrato", "non somministrata", "rifiutato", "rifiutata", "rinviato", "rinviata",
        "sospeso", "sospesa", "omesso", "posticipato",
        # Dutch
        "niet toegediend", "niet gegeven", "geweigerd", "uitgesteld", "opgeschort", "overgeslagen",
        # Swedish, Norwegian, Danish
        "ej given", "inte given", "ej administrerad", "ej administrerat", "uppskjuten", "ikke gitt",
        "ikke givet", "ikke administrert", "ikke administreret", "utsatt", "udsat",
        # Portuguese (Tasy, MV Soul, SClínico), Polish (AMMS, CliniNET, Eskulap)
        "nao administrado", "nao administrada", "recusado", "recusada", "adiado", "adiada", "suspenso",
        "suspensa", "omitido", "nao realizado", "nie podano", "niepodany", "wstrzymano", "wstrzymany",
        "odmowa", "odmowil", "odmowila", "pominieto", "przelozono", "odroczono",
    ),
    NO_DOSE: (
        "due", "pending", "canceled entry", "cancelled entry", "canceled", "cancelled", "see alternative",
        "mar hold", "mar unhold", "automatically held", "prepared", "scheduled", "ordered", "verified",
        "unverified", "discontinued", "in error", "charted in error", "documented in error", "active",
        # dispensing cabinets (BD Pyxis, Omnicell) and compounding logs: what was thrown away (no
        # dose itself: it lowers or cancels the removal before it, record_returns), stocked or
        # counted, and a removal cancelled before it happened
        "waste", "wasted", "discarded", "verworfen", "desechado", "scartato", "vernietigd",
        "jete", "jetee", "entsorgt", "descartado", "desechada", "scartata", "verspild", "weggegooid",
        "restock", "restocked", "refill", "refilled", "load", "unload", "inventory", "discrepancy",
        "cancel", "cancel remove", "cancel issue", "expired", "outdate", "outdated",
        "geplant", "vorbereitet", "storniert", "angeordnet", "annule", "annulee", "prevu", "prevue",
        "prepare", "anulado", "anulada", "programado", "pendiente", "annullato", "annullata",
        "programmato", "geannuleerd", "gepland", "klaargezet",
    ),
    RETURN: (
        "return", "returned", "returns", "return to stock", "returned to stock", "return to cabinet",
        "returned to cabinet", "return bin", "retour", "retourne", "retournee", "ruckgabe",
        "zuruckgegeben", "ruckgabe an apotheke", "devolucion", "devuelto", "devuelta", "reso",
        "restituito", "restituita", "teruggave", "geretourneerd", "teruggebracht",
    ),
    PART: (
        "rate change", "rate changed", "rate verify", "rate verified", "site change", "site changed",
        "restarted", "restart", "resumed", "infusing", "continued", "continuing", "completed",
        "complete", "infusion completed", "stopped", "stop", "paused", "pause", "bag removed",
        "patch removed", "removed from patient", "volume verify", "dose change", "changedose/rate", "rewritten",
        "flushed",
        "finished", "finishedrunning", "new rate", "titrated", "bag complete", "in progress",
        "rate increased", "rate decreased", "rate increase", "rate decrease", "rate adjusted", "rate titrated",
        "interrupted", "onderbroken", "interrompu", "interrompue", "interrumpido", "interrumpida",
        "ratenanderung", "rate geandert", "laufrate geandert", "fortgesetzt", "wieder aufgenommen",
        "lauft", "beendet", "gestoppt", "pausiert", "unterbrochen", "abgeschlossen", "abgehangt",
        "changement de debit", "debit modifie", "repris", "reprise", "en cours", "termine", "terminee",
        "arrete", "arretee", "pause", "cambio de velocidad", "cambio de ritmo", "reanudado", "reanudada",
        "en curso", "finalizado", "finalizada", "completado", "completada", "detenido", "detenida",
        "cambio velocita", "ripreso", "ripresa", "in corso", "terminato", "terminata", "completato",
        "completata", "interrotto", "interrotta", "snelheid gewijzigd", "hervat", "loopt", "beeindigd",
        "gestopt", "gepauzeerd", "voltooid",
        "em andamento", "concluido", "concluida", "interrompido", "interrompida", "zakonczono", "przerwano",
        "w trakcie", "zmiana predkosci",
    ),
    START: (
        "given", "administered", "new bag", "new syringe", "started", "start", "bolus", "bolus from bag",
        "push", "self administered", "infusion started", "taken", "done",
        "dispensed", "dispense", "applied",
        # dispensing cabinets: a removal or issue for the patient (BD Pyxis "Remove", Omnicell "Issue";
        # reports and diversion reconciliations write "Removed"), a dose unless returned or charted
        # as given (record_returns)
        "remove", "removed", "override remove", "issue", "issued", "entnahme", "entnommen", "retrait", "retire",
        "retiree", "retirada", "retirado", "prelievo", "prelevato", "uitgifte", "uitgegeven", "hung", "documented",
        "verabreicht", "gegeben", "appliziert", "begonnen", "gestartet", "angehangt", "neuer beutel",
        "eingenommen", "erfolgt", "durchgefuhrt", "infusionsstart", "dokumentiert", "documente", "documentee",
        "documentado", "documentada", "documentato", "documentata", "gedocumenteerd",
        "donne", "donnee", "administre", "administree", "debute", "debutee", "pose", "posee", "fait",
        "administrado", "administrada", "iniciado", "iniciada", "aplicado", "aplicada", "dado", "dada",
        "somministrato", "somministrata", "iniziato", "iniziata", "avviato", "avviata",
        "toegediend", "gegeven", "gestart", "ingenomen",
        "administrerad", "administrerat", "gitt", "givet", "administrert", "administreret",
        "administrado", "aplicado", "realizado", "checado", "podano", "podany", "podana", "wykonano",
    ),
}

# VistA BCMA writes the action status as a code (file 53.79, field .09). Read only when a whole
# column is made of these codes (see :func:`column_of_codes`), never a single letter in prose.
BCMA_CODES = {"G": START, "H": NOT_GIVEN, "R": NOT_GIVEN, "N": NOT_GIVEN, "M": NOT_GIVEN,
              "RM": PART, "I": PART, "S": PART, "C": PART}
# A column that answers "given?" or "taken?" (a patient's diary, a checklist) with yes or no, in
# the six languages; read as actions only when a whole column is made of these answers.
YES_NO = {"Y": START, "YES": START, "JA": START, "J": START, "OUI": START, "SI": START, "SÍ": START,
          "N": NOT_GIVEN, "NO": NOT_GIVEN, "NEIN": NOT_GIVEN, "NON": NOT_GIVEN, "NEE": NOT_GIVEN}
# HL7 v2 table 0322, the completion status of a treatment administration (RXA-20), as an
# administration message flattened to a table writes it: complete, partially administered,
# refused, not administered.
HL7_COMPLETION = {"CP": START, "PA": START, "RE": NOT_GIVEN, "NA": NOT_GIVEN}
CODES = {**BCMA_CODES, **HL7_COMPLETION, **{k: v for k, v in YES_NO.items() if k not in BCMA_CODES}}

_MEANING_OF_CODE_WORD = {"G": "given", "H": "held", "R": "refused", "N": "not given", "M": "missing dose",
                         "RM": "removed", "I": "infusing", "S": "stopped", "C": "completed", "Y": "given",
                         "J": "given", "CP": "complete", "PA": "partially administered",
                         "RE": "refused", "NA": "not administered"}


def fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", str(text)[:MAX_PHRASE_CHARACTERS].casefold().replace("ß", "ss"))
    t = "".join(c for c in t if not unicodedata.combining(c))
    # FHIR and database codes join words with hyphens or underscores ("not-done", "entered-in-error").
    return " ".join(t.replace("_", " ").replace("-", " ").split())


def _whole_words(words) -> list[re.Pattern]:
    """One pattern per phrase, matching it as whole words of a folded text."""
    return [re.compile(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])") for w in words]


_COMPILED = {verdict: _whole_words(words) for verdict, words in _PHRASES.items()}
# A start negated, in any of the languages ("Não administrado", "Nie podano", "not been given"):
# a negation, at most one auxiliary, then a word that alone is a start.
_NEGATIONS = frozenset(("not", "no", "non", "nicht", "niet", "nie", "nao", "ej", "inte", "ikke", "ne", "pas",
                        "nem", "nessuna", "keine", "kein", "never", "nunca", "nooit", "jamais"))
_AUXILIARIES = frozenset(("been", "was", "be", "being", "ete", "wurde", "worden", "is", "foi", "fue", "stato",
                          "stata", "zostal", "zostala", "zostalo", "blev", "ble", "wordt", "werd", "a"))
_EXACT = {}
for _verdict in (START, PART, NO_DOSE, RETURN, NOT_GIVEN):  # later (stronger) verdicts win on a tie
    _EXACT.update(dict.fromkeys(_PHRASES[_verdict], _verdict))


@short_text_cache(4096)
def meaning(action: str, codes: bool = False) -> str:
    """START, PART, NOT_GIVEN, NO_DOSE, RETURN, UNKNOWN, or BLANK for an empty cell."""
    raw = str(action or "").strip()[:MAX_PHRASE_CHARACTERS]  # see limits: a longer cell by its start
    if not raw:
        return BLANK
    if codes and raw.upper() in CODES:
        return CODES[raw.upper()]
    a = fold(raw)
    if a in _EXACT:
        return _EXACT[a]
    if _negated_start(a):
        return NOT_GIVEN
    # Longer phrasings ("Given - see comment", "Not Given: patient asleep"): negations first.
    for verdict in (NOT_GIVEN, RETURN, NO_DOSE, PART, START):
        if any(rx.search(a) for rx in _COMPILED[verdict]):
            return verdict
    return UNKNOWN


def _negated_start(folded: str) -> bool:
    words = re.findall(r"[a-z]+", folded)
    for i, w in enumerate(words):
        if w in _NEGATIONS:
            nxt = words[i + 1:i + 3]
            if nxt and nxt[0] in _AUXILIARIES:
                nxt = nxt[1:]
            if nxt and _EXACT.get(nxt[0]) == START:
                return True
    return False


# Parts of a dose that say the infusion stopped rather than ran (the rest, "completed", "infusing",
# "rate change", say it ran). Only these, charted with no dose and no start before them in a record
# that states doses, are read as a dose not given (record_rows._verdict): "pausiert - Infekt" alone
# is a dose that did not happen, "Completed" alone is one whose start was charted elsewhere.
_INTERRUPTIONS = _whole_words((
    "stopped", "stop", "paused", "pause", "interrupted", "onderbroken", "gestopt", "gepauzeerd",
    "interrompu", "interrompue", "arrete", "arretee", "interrumpido", "interrumpida", "detenido",
    "detenida", "gestoppt", "pausiert", "unterbrochen", "interrotto", "interrotta", "sospeso", "sospesa"))
_INTERRUPTION_CODES = {"S"}  # VistA BCMA "stopped"


def interrupts(action: str, codes: bool = False) -> bool:
    """True for a part of a dose that says the infusion was stopped or paused."""
    raw = str(action or "").strip()[:MAX_PHRASE_CHARACTERS]
    if codes and raw.upper() in CODES:
        return raw.upper() in _INTERRUPTION_CODES
    a = fold(raw)
    return any(rx.search(a) for rx in _INTERRUPTIONS)


# A start of a dose that takes the drug out of a cabinet or the pharmacy rather than giving it: only
# these are cancelled by a return (record_returns). A "Given" on a MAR followed by "Returned" (the
# rest of a vial sent back) stays a dose.
_REMOVALS = _whole_words((
    "remove", "removed", "override remove", "issue", "issued", "dispensed", "dispense", "entnahme", "entnommen",
    "retrait", "retire", "retiree", "retirada", "retirado", "prelievo", "prelevato", "uitgifte", "uitgegeven"))


@short_text_cache(4096)
def is_removal(action: str) -> bool:
    """True for a built-in word of a removal from a cabinet or a dispense ("Removed", "Issue").
    Cached: record_returns asks it of every dose of a record (a first 5,000-row read took 26 ms
    more without)."""
    a = fold(str(action or "")[:MAX_PHRASE_CHARACTERS])
    return meaning(action) == START and any(rx.search(a) for rx in _REMOVALS)


# Workflow words (NO_DOSE) that throw away drug a cabinet gave out: a waste lowers or cancels the
# removal before it (record_returns) rather than being dropped.
_WASTES = _whole_words(("waste", "wasted", "discarded", "verworfen", "desechado", "desechada", "scartato",
                        "scartata", "vernietigd", "jete", "jetee", "entsorgt", "descartado", "verspild",
                        "weggegooid"))


@short_text_cache(4096)
def is_waste(action: str) -> bool:
    """True for a built-in word of drug thrown away ("Wasted", "Verworfen", "Jeté", "Desechado")."""
    a = fold(str(action or "")[:MAX_PHRASE_CHARACTERS])
    return meaning(action) == NO_DOSE and any(rx.search(a) for rx in _WASTES)


def removes(action: str) -> bool:
    """True for a start of a dose that is a removal from a cabinet or a dispense, or a word that is
    no built-in start (a code or word whose meaning the user gave)."""
    a = fold(str(action or "")[:MAX_PHRASE_CHARACTERS])
    return any(rx.search(a) for rx in _REMOVALS) or meaning(action) != START


def column_of_codes(values) -> bool:
    """True when every non-blank cell is a BCMA action-status code ("G", "H", "RM", ...), every
    one a yes or a no ("Y", "N", "Ja", "Nee"), or every one an HL7 completion status ("CP", "NA")
    with at least one dose given among them (a column of "NA" alone says "not applicable")."""
    seen = [str(v).strip().upper() for v in values if str(v or "").strip()]
    return bool(seen) and (all(v in BCMA_CODES for v in seen) or all(v in YES_NO for v in seen)
                           or (all(v in HL7_COMPLETION for v in seen) and any(v in ("CP", "PA") for v in seen)))


def describe(action: str, codes: bool = False) -> str:
    """The action as a user reads it: "H" in a BCMA column is "held"."""
    raw = str(action or "").strip()
    if codes and raw.upper() in _MEANING_OF_CODE_WORD:
        return _MEANING_OF_CODE_WORD[raw.upper()]
    return raw


# A charting entry that was struck (Oracle Health's result status "In Error", Epic's "Canceled
# Entry", a German "Fehleintrag"): whatever its row says, it is no dose. Read from a column of
# entry states beside the action (:func:`analysis.treatment.columns` role "entry").
_STRUCK = _whole_words((
    "in error", "entered in error", "charted in error", "documented in error", "canceled entry",
    "cancelled entry", "struck", "deleted", "voided", "void", "storniert", "fehleintrag", "geloscht",
    "annule", "annulee", "erreur", "supprime", "anulado", "anulada", "eliminado", "errore", "annullato",
    "annullata", "vervallen", "foutief", "verwijderd", "makulerad", "slettet"))


@short_text_cache(4096)
def is_struck(value) -> bool:
    """True for an entry state that says the charting was struck ("In Error", "Storniert")."""
    a = fold(str(value or "")[:MAX_PHRASE_CHARACTERS])
    return bool(a) and any(rx.search(a) for rx in _STRUCK)


def is_administration_word(value) -> bool:
    """A cell that reads as an administration action (used to find the action column by content)."""
    return meaning(str(value)) in (START, PART, NOT_GIVEN, RETURN)
