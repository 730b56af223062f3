"""Write treatment records and events tables in the layouts of other systems into tests/data/.

    uv run python tests/data/make_treatment_layouts.py

The infusion reader was written against the seed MAR (tests/data/ivig-mmn/infusions.xlsx). These
files are what a new user brings from another hospital, modelled on what each system documents
about its export (column names, action words, date notation):

- Epic MAR (EHI table ORDER_MAR / EXT_ORDER_MAR_INFO: MAR action "Given", "New Bag", "Rate Change",
  "Held", "Due", "Canceled Entry"; scheduled and taken times), an Epic Beacon oncology plan, an
  Epic nursing infusion flowsheet (the drug only in the row heading, one row per rate check);
- Oracle Health/Cerner PowerChart MAR (order description with the carrier fluid, performed vs
  charted time, an order status column about verification, "Not Done" results);
- VistA BCMA medication log (file 53.79: action date/time, administration medication, action
  status as a code G/H/R/N/RM/I/S/C/M, scheduled administration time);
- Meditech eMAR, Allscripts Sunrise (paged report with repeated headers), athenahealth and
  eClinicalWorks clinic infusion logs, NextGen (tab-delimited), ARIA and MOSAIQ medical oncology
  (regimen, agent, prescribed vs administered dose, YYYYMMDD dates and HHMM times as HL7-derived
  exports write them), an infusion-centre dispensing log, a hospital pharmacy .ods;
- German (semicolon, cp1252, decimal comma, compound headings), French, Spanish, Italian and
  Dutch hospital records; a research extract in MIMIC's lower-case layout; hand-made sheets.

Drugs: IVIG by brand, in g and in mL of a stated concentration, over 1 or 5 days; rituximab
700 mg; cyclophosphamide 1,200 mg in saline; R-CHOP and bendamustine-rituximab regimens; a daily
oral drug; subcutaneous immune globulin weekly. ``treatment/expected.json`` gives, per file, the
administrations as they were written here (not as the reader reads them), the drug label and the
number of rows that must be reported as skipped; ``events/expected.json`` gives each events
table's events. tests/analysis/test_treatment_layouts.py compares.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_layouts  # noqa: E402  (the same deterministic xlsx/ods writers as the lab layouts)

TREAT = HERE / "treatment"
EVENTS = HERE / "events"
EXPECTED: dict[str, dict] = {}
EXPECTED_EVENTS: dict[str, dict] = {}


# --- writers ---------------------------------------------------------------------------------------


def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    wb.properties.created = wb.properties.modified = make_layouts.FIXED
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(make_layouts.repack(buf.getvalue()))


def xlsx(path: Path, sheets: list[tuple[str, list[list]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(list(r))
    save_xlsx(wb, path)


def write_csv(path: Path, rows: list[list], *, delimiter=",", encoding="utf-8", bom=False) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def ods(path: Path, sheets) -> None:
    make_layouts.OUT, saved = path.parent, make_layouts.OUT
    try:
        make_layouts.write_ods(path.name, sheets)
    finally:
        make_layouts.OUT = saved


def expect(name: str, product: str, doses: list[tuple], *, skipped: int = 0, options=None, labels=None) -> None:
    """doses: (time, product, dose, unit) as the reader must give them."""
    EXPECTED[name] = {
        "product": product,
        "administrations": [[t.isoformat(timespec="minutes"), p, d, u] for t, p, d, u in doses],
        "skipped": skipped,
        **({"options": options} if options else {}),
        **({"labels": labels} if labels else {}),
    }


def expect_events(name: str, events: list[tuple], options=None) -> None:
    EXPECTED_EVENTS[name] = {
        "events": [[k, s.isoformat(timespec="minutes"), e.isoformat(timespec="minutes") if e else None]
                   for k, s, e in events],
        **({"options": options} if options else {}),
    }


def us(t: datetime) -> str:
    return f"{t:%m/%d/%Y %I:%M %p}"


def de(t: datetime) -> str:
    return f"{t:%d.%m.%Y %H:%M}"


def eu(t: datetime) -> str:
    return f"{t:%d/%m/%Y %H:%M}"


# --- what was given --------------------------------------------------------------------------------

WEIGHT = 80.0
IVIG_DAYS = [datetime(2022, 9, 6, 9, 30) + timedelta(days=21 * k) for k in range(6)]  # 1 g/kg q3w
RTX_DAYS = [datetime(2023, 1, 10, 10, 0) + timedelta(days=7 * k) for k in range(4)]  # 375 mg/m² weekly
CYC_DAYS = [datetime(2023, 2, 14, 11, 0) + timedelta(days=21 * k) for k in range(4)]  # 1,200 mg q3w
CHOP_DAYS = [datetime(2023, 3, 1, 9, 0) + timedelta(days=21 * k) for k in range(3)]  # R-CHOP-21
BR_DAYS = [datetime(2023, 5, 2, 9, 0) + timedelta(days=28 * k) for k in range(3)]  # BR q28d
CYC_TEXT = "CYCLOPHOSPHAMIDE 1,200 MG IN SODIUM CHLORIDE 0.9 % 250 ML IVPB"
RTX_TEXT = "RITUXIMAB 700 MG IN SODIUM CHLORIDE 0.9% 500 ML IVPB"


def ivig(product="IVIG (Privigen)", days=IVIG_DAYS, dose=80.0, unit="g"):
    return [(t, product, dose, unit) for t in days]


# --- treatment layouts ------------------------------------------------------------------------------


def epic_mar() -> None:
    """Epic MAR report: title block, scheduled and taken times, MAR actions incl. a held dose."""
    rows = [["Medication Administration Report"], ["Printed 01/05/2023 by user"], [],
            ["MRN", "Medication", "Scheduled Time", "Taken Time", "MAR Action", "Dose", "Unit", "Route",
             "Admin Weight (kg)"]]
    for k, t in enumerate(IVIG_DAYS):
        sched = t - timedelta(minutes=30)
        med = "IMMUNE GLOBULIN (HUMAN) 10 % (PRIVIGEN) IV SOLN"
        rows.append(["000482913", "ACETAMINOPHEN 500 MG TABLET", us(sched), us(t - timedelta(minutes=20)), "Given",
                     1000, "mg", "Oral", WEIGHT])
        if k == 2:  # postponed one day: held on the day due, given the next day
            rows.append(["000482913", med, us(sched - timedelta(days=1)), "", "Held", 80, "g", "Intravenous", WEIGHT])
        rows += [["000482913", med, us(sched), us(t), "New Bag", 80, "g", "Intravenous", WEIGHT],
                 ["000482913", med, "", us(t + timedelta(minutes=30)), "Rate Change", 80, "g", "Intravenous", WEIGHT],
                 ["000482913", med, "", us(t + timedelta(hours=4)), "Stopped", "", "", "Intravenous", WEIGHT]]
    rows.append(["000482913", "IMMUNE GLOBULIN (HUMAN) 10 % (PRIVIGEN) IV SOLN", us(IVIG_DAYS[-1] + timedelta(days=21)),
                 "", "Due", 80, "g", "Intravenous", WEIGHT])
    xlsx(TREAT / "epic_mar.xlsx", [("MAR", rows)])
    expect("epic_mar.xlsx", "IVIG", ivig(), skipped=1, labels=["IVIG 1 g/kg"] * 6)


def cerner_mar() -> None:
    """Cerner PowerChart MAR: the drug in saline, order status (verification) next to the result."""
    rows = [["FIN", "Order Description", "Order Status", "Performed Date/Time", "Charted Date/Time", "Result",
             "Dose", "Dose Unit", "Route", "Weight"]]
    for k, t in enumerate(CYC_DAYS):
        rows.append(["7711", "ONDANSETRON 8 MG IVPB", "Verified", us(t - timedelta(minutes=30)),
                     us(t + timedelta(hours=1)), "Administered", 8, "mg", "IVPB", "80 kg"])
        if k == 1:
            rows.append(["7711", CYC_TEXT, "Verified", us(t - timedelta(days=1)), us(t - timedelta(days=1)),
                         "Not Done: Held", "1,200", "mg", "IVPB", "80 kg"])
        rows.append(["7711", CYC_TEXT, "Verified" if k else "Pending Verification", us(t),
                     us(t + timedelta(hours=2)), "Administered", "1,200", "mg", "IVPB", "80 kg"])
    write_csv(TREAT / "cerner_mar.csv", rows)
    doses = [(t, "Cyclophosphamide", 1200.0, "mg") for t in CYC_DAYS]
    expect("cerner_mar.csv", "Cyclophosphamide", doses, skipped=1, labels=["Cyclophosphamide 1200 mg"] * 4)


def vista_bcma() -> None:
    """VistA BCMA medication log: action status codes, scheduled administration time."""
    rows = [["MEDICATION LOG", "", "", "", "", "", ""],
            ["ACTION DATE/TIME", "ADMINISTRATION MEDICATION", "ACTION STATUS", "DOSE GIVEN", "UNITS", "ROUTE",
             "SCHEDULED ADMINISTRATION TIME"]]
    for t in RTX_DAYS:
        rows.append([f"{t:%b %d, %Y %H:%M}".upper(), RTX_TEXT, "G", 700, "MG", "IV", f"{t:%b %d, %Y %H:%M}".upper()])
        rows.append([f"{t + timedelta(hours=1):%b %d, %Y %H:%M}".upper(), RTX_TEXT, "I", "", "", "IV", ""])
        rows.append([f"{t + timedelta(hours=5):%b %d, %Y %H:%M}".upper(), RTX_TEXT, "C", "", "", "IV", ""])
    rows.append([f"{RTX_DAYS[-1] + timedelta(days=7):%b %d, %Y %H:%M}".upper(), RTX_TEXT, "R", 700, "MG", "IV", ""])
    write_csv(TREAT / "vista_bcma.csv", rows)
    expect("vista_bcma.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS], skipped=1,
           labels=["Rituximab 700 mg"] * 4)


def meditech_emar() -> None:
    """Meditech eMAR: separate date and time, the dose in mL of a 10% solution."""
    rows = [["Admin Date", "Admin Time", "Medication", "Dose", "Status", "Reason", "Route"]]
    for t in IVIG_DAYS:
        rows.append([f"{t:%m/%d/%y}", f"{t:%H%M}", "GAMUNEX-C 10% INJ", "800 mL", "Given", "", "IV"])
        rows.append([f"{t:%m/%d/%y}", f"{t + timedelta(hours=1):%H%M}", "GAMUNEX-C 10% INJ", "", "Rate Changed",
                     "tolerating", "IV"])
    rows.append([f"{IVIG_DAYS[-1] + timedelta(days=21):%m/%d/%y}", "0930", "GAMUNEX-C 10% INJ", "", "Not Given",
                 "pt admitted with pneumonia", "IV"])
    write_csv(TREAT / "meditech_emar.csv", rows)
    expect("meditech_emar.csv", "IVIG", ivig("IVIG (Gamunex-C)"), skipped=1)


def sunrise_paged() -> None:
    """Allscripts Sunrise: a paged report, the header repeated on every page, page footers."""
    header = ["Order Name", "Admin Date/Time", "Status", "Dose Given", "Unit", "Route"]
    rows = [["Sunrise Clinical Manager - Medication Administration History"], [], header]
    for k, t in enumerate(IVIG_DAYS):
        if k == 3:
            rows += [["Page 1 of 2"], [], header]
        rows.append(["Octagam 10% Solution", f"{t:%d-%b-%Y %H:%M}", "Given", 80, "g", "IV"])
        rows.append(["Octagam 10% Solution", f"{t + timedelta(hours=3):%d-%b-%Y %H:%M}", "Completed", "", "", "IV"])
    rows.append(["Page 2 of 2"])
    xlsx(TREAT / "sunrise_paged.xlsx", [("Report", rows)])
    expect("sunrise_paged.xlsx", "IVIG", ivig("IVIG (Octagam)"))


def athena_clinic() -> None:
    """athenahealth clinic infusion log: no action column, start and stop time."""
    rows = [["Date of Service", "Drug Name", "NDC", "Units Administered", "Unit of Measure", "Start Time", "Stop Time"]]
    for t in RTX_DAYS:
        rows.append([f"{t:%m/%d/%Y}", "riTUXimab (Rituxan) 10 mg/mL", "50242-051-21", 700, "mg", f"{t:%H:%M}",
                     f"{t + timedelta(hours=4):%H:%M}"])
    write_csv(TREAT / "athena_clinic.csv", rows)
    expect("athena_clinic.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS])


def eclinicalworks() -> None:
    """eClinicalWorks injection log: one row per visit, a deferred dose."""
    rows = [["Visit Date", "Medication/Injection", "Dose", "Lot #", "Site", "Status"]]
    for k, t in enumerate(IVIG_DAYS):
        rows.append([f"{t:%m/%d/%Y %H:%M}", "Privigen 10% IV", "80 g", f"P{k}X", "L arm", "Administered"])
    rows.append([f"{IVIG_DAYS[-1] + timedelta(days=21):%m/%d/%Y %H:%M}", "Privigen 10% IV", "80 g", "", "",
                 "Deferred"])
    write_csv(TREAT / "eclinicalworks.csv", rows)
    expect("eclinicalworks.csv", "IVIG", ivig(), skipped=1)


def nextgen_tab() -> None:
    """NextGen: tab-delimited, "Completed" as the only row of each dose."""
    rows = [["Encounter Date", "Medication", "Quantity", "Units", "Administration Status"]]
    for t in IVIG_DAYS:
        rows.append([f"{t:%Y-%m-%d %H:%M}", "Gammagard Liquid 10%", 80, "gm", "Completed"])
    rows.append([f"{IVIG_DAYS[-1] + timedelta(days=21):%Y-%m-%d %H:%M}", "Gammagard Liquid 10%", 80, "gm",
                 "Not Administered"])
    write_csv(TREAT / "nextgen.tsv", rows, delimiter="\t")
    expect("nextgen.tsv", "IVIG", ivig("IVIG (Gammagard Liquid)"), skipped=1)


def epic_flowsheet() -> None:
    """Epic nursing infusion flowsheet: one row per rate check, the drug only in a heading."""
    rows = [["Flowsheet: IVIG infusion monitoring"],
            ["Date/Time", "PRIVIGEN 10% IV rate (mL/hr)", "Pulse", "BP Systolic", "Temp (C)"]]
    for t in IVIG_DAYS:
        for m, rate in ((0, 40), (30, 80), (60, 160), (90, 240)):
            rows.append([t + timedelta(minutes=m), rate, 72, 124, 36.8])
    xlsx(TREAT / "epic_flowsheet.xlsx", [("Flowsheet", rows)])
    expect("epic_flowsheet.xlsx", "IVIG", ivig(dose=None, unit=""))


def wide_rchop() -> None:
    """An oncology day-sheet, one column per drug (wide): R-CHOP-21, prednisone days 1-5."""
    rows = [["Cycle", "Day", "Date", "Rituximab (mg)", "Cyclophosphamide (mg)", "Doxorubicin (mg)",
             "Vincristine (mg)", "Prednisone (mg)"]]
    doses = []
    for c, t in enumerate(CHOP_DAYS, start=1):
        rows.append([c, 1, t, 700, 1400, 93, 2, 100])
        doses += [(t, "Rituximab", 700.0, "mg"), (t, "Cyclophosphamide", 1400.0, "mg"),
                  (t, "Doxorubicin", 93.0, "mg"), (t, "Vincristine", 2.0, "mg"), (t, "Prednisone", 100.0, "mg")]
        for d in range(2, 6):
            day = t + timedelta(days=d - 1)
            rows.append([c, d, day, "", "", "", "", 100])
            doses.append((day, "Prednisone", 100.0, "mg"))
    xlsx(TREAT / "wide_rchop.xlsx", [("Treatment", rows)])
    expect("wide_rchop.xlsx", "Rituximab + Cyclophosphamide + Doxorubicin + Vincristine + Prednisone",
           sorted(doses, key=lambda d: d[0]),
           labels=["Rituximab + Cyclophosphamide + Doxorubicin + Vincristine + Prednisone over 5 days"] * 3)


def aria_oncology() -> None:
    """ARIA medical oncology: agent, prescribed dose in mg/m², administered dose, BSA, a held dose."""
    rows = [["Patient ID", "Regimen", "Cycle", "Day", "Agent", "Prescribed Dose", "Administered Dose", "Unit",
             "BSA (m2)", "Administration Date", "Status"]]
    for k, t in enumerate(RTX_DAYS):
        rows.append(["A-88", "Rituximab weekly x4", 1, 1 + 7 * k, "Rituximab", "375 mg/m2", 700, "mg", 1.87,
                     f"{t:%Y-%m-%d %H:%M}", "Administered"])
    rows.append(["A-88", "Rituximab weekly x4", 1, 29, "Rituximab", "375 mg/m2", "", "mg", 1.87,
                 f"{RTX_DAYS[-1] + timedelta(days=7):%Y-%m-%d %H:%M}", "Held"])
    write_csv(TREAT / "aria_oncology.csv", rows)
    expect("aria_oncology.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS], skipped=1)


def mosaiq_br() -> None:
    """MOSAIQ: bendamustine-rituximab, YYYYMMDD dates and HHMM times, semicolons, "Complete"."""
    rows = [["Pat ID", "Rx Name", "Drug", "Admin Dt", "Admin Tm", "Dose Admin", "Units", "Adm Status"]]
    doses = []
    for t in BR_DAYS:
        rows.append(["M19", "BR", "RITUXIMAB", f"{t:%Y%m%d}", f"{t:%H%M}", 700, "mg", "Complete"])
        doses.append((t, "Rituximab", 700.0, "mg"))
        for d in (0, 1):
            bt = t + timedelta(days=d, hours=3 if d == 0 else 0)
            rows.append(["M19", "BR", "BENDAMUSTINE", f"{bt:%Y%m%d}", f"{bt:%H%M}", 170, "mg", "Complete"])
            doses.append((bt, "Bendamustine", 170.0, "mg"))
    rows.append(["M19", "BR", "RITUXIMAB", f"{BR_DAYS[-1] + timedelta(days=28):%Y%m%d}", "0900", "", "mg", "Held"])
    write_csv(TREAT / "mosaiq_br.csv", rows, delimiter=";")
    expect("mosaiq_br.csv", "Rituximab + Bendamustine", sorted(doses, key=lambda d: d[0]), skipped=1,
           labels=["Rituximab 700 mg + Bendamustine 340 mg over 2 days"] * 3)


def beacon_plan() -> None:
    """Epic Beacon treatment plan: planned and given date and dose; one dose deferred a day."""
    rows = [["Cycle", "Day", "Medication", "Planned Date", "Given Date", "Planned Dose", "Given Dose", "Status"]]
    given = []
    for k, t in enumerate(CYC_DAYS):
        actual = t + timedelta(days=1) if k == 2 else t
        rows.append([k + 1, 1, "cyclophosphamide (CYTOXAN) 1,200 mg in sodium chloride 0.9 % 250 mL IVPB",
                     t, actual, "750 mg/m2", 1200, "Given"])
        given.append((actual, "Cyclophosphamide", 1200.0, "mg"))
    xlsx(TREAT / "beacon_plan.xlsx", [("Plan", rows)])
    expect("beacon_plan.xlsx", "Cyclophosphamide", given)


def dispensing_log() -> None:
    """Infusion-centre / pharmacy dispensing log: what left the pharmacy for the patient."""
    rows = [["Dispense Date", "Product", "Lot", "Quantity", "UOM", "Patient"]]
    for t in IVIG_DAYS:
        rows.append([f"{t:%Y-%m-%d}", "PANZYGA 100 MG/ML", "L22A", 80, "g", "P-1"])
    write_csv(TREAT / "dispensing_log.csv", rows)
    expect("dispensing_log.csv", "IVIG",
           ivig("IVIG (Panzyga)", [t.replace(hour=0, minute=0) for t in IVIG_DAYS]))


def pharmacy_ods() -> None:
    """A hospital pharmacy's issue list saved as .ods (German headings)."""
    rows = [["Abgabedatum", "Präparat", "Menge", "Einheit", "Station"]]
    for t in IVIG_DAYS:
        rows.append([t, "Intratect 100 g/l Infusionslösung", 80, "g", "Tagesklinik"])
    ods(TREAT / "pharmacy.ods", [("Abgaben", rows)])
    expect("pharmacy.ods", "IVIG", ivig("IVIG (Intratect)"))


def kurve_de() -> None:
    """German ward record (semicolon, cp1252, day-first, compound words), cyclophosphamide in NaCl."""
    rows = [["Patientennummer", "Arzneimittelbezeichnung", "Verabreichungszeitpunkt", "Gabestatus", "Dosis",
             "Einheit", "Applikationsweg", "Bemerkung"]]
    for k, t in enumerate(CYC_DAYS):
        drug = "Cyclophosphamid 1200 mg in 500 ml NaCl 0,9 %"
        if k == 1:
            rows.append(["0815", drug, de(t - timedelta(days=2)), "verschoben", "1200", "mg", "i.v.", "Leukopenie"])
        rows += [["0815", "Ondansetron 8 mg", de(t - timedelta(minutes=30)), "verabreicht", "8", "mg", "i.v.", ""],
                 ["0815", drug, de(t), "verabreicht", "1200", "mg", "i.v.", ""],
                 ["0815", drug, de(t + timedelta(minutes=40)), "Ratenänderung", "", "", "i.v.", "Laufrate erhöht"],
                 ["0815", drug, de(t + timedelta(hours=2)), "beendet", "", "", "i.v.", ""]]
    write_csv(TREAT / "kurve_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("kurve_de.csv", "Cyclophosphamide", [(t, "Cyclophosphamide", 1200.0, "mg") for t in CYC_DAYS], skipped=1)


def infusion_tsv_de() -> None:
    """German infusion list, tab-delimited latin-1, decimal comma, weight with comma."""
    rows = [["Datum", "Uhrzeit", "Medikament", "Menge", "Einheit", "Körpergewicht", "Status"]]
    for t in IVIG_DAYS:
        rows.append([f"{t:%d.%m.%Y}", f"{t:%H:%M}", "Immunglobulin vom Menschen (Kiovig) 100 mg/ml", "800", "ml",
                     "80,0", "gegeben"])
    write_csv(TREAT / "infusionen_de.tsv", rows, delimiter="\t", encoding="latin-1")
    expect("infusionen_de.tsv", "IVIG", ivig("IVIG (Kiovig)"), labels=["IVIG 1 g/kg"] * 6)


def dossier_fr() -> None:
    """French hospital record: IPP, statut, dose in mL of a 100 mg/ml solution, UTF-8 with BOM."""
    rows = [["IPP", "Médicament", "Date d'administration", "Heure", "Statut", "Dose", "Unité", "Voie",
             "Commentaire"]]
    for k, t in enumerate(IVIG_DAYS):
        if k == 4:
            rows.append(["12345", "PRIVIGEN 100 mg/ml sol. pour perfusion", f"{t - timedelta(days=1):%d/%m/%Y}",
                         "09:30", "Reporté", "800", "ml", "IV", "fièvre"])
        rows.append(["12345", "PRIVIGEN 100 mg/ml sol. pour perfusion", f"{t:%d/%m/%Y}", f"{t:%H:%M}",
                     "Administré", "800", "ml", "IV", ""])
    write_csv(TREAT / "dossier_fr.csv", rows, delimiter=";", bom=True)
    expect("dossier_fr.csv", "IVIG", ivig(), skipped=1)


def registro_es() -> None:
    """Spanish record: NHC, fármaco, estado (administrado / no administrado / aplazado)."""
    rows = [["NHC", "Fármaco", "Fecha administración", "Estado", "Dosis", "Unidad", "Vía"]]
    for k, t in enumerate(IVIG_DAYS):
        rows.append(["99", "Flebogamma DIF 100 mg/ml", eu(t), "Administrado", "80", "g", "IV"])
        if k == 5:
            rows.append(["99", "Flebogamma DIF 100 mg/ml", eu(t + timedelta(days=21)), "Aplazado", "80", "g", "IV"])
    write_csv(TREAT / "registro_es.csv", rows)
    expect("registro_es.csv", "IVIG", ivig("IVIG (Flebogamma DIF)"), skipped=1)


def somministrazioni_it() -> None:
    """Italian record: rituximab 700 mg, data and ora separate, stato."""
    rows = [["Codice paziente", "Farmaco", "Data somministrazione", "Ora", "Stato", "Dose", "Unità", "Via"]]
    for t in RTX_DAYS:
        rows.append(["PZ1", "Rituximab 700 mg in sodio cloruro 0,9% 500 ml", t.replace(hour=0, minute=0),
                     f"{t:%H:%M}", "Somministrato", 700, "mg", "EV"])
    rows.append(["PZ1", "Rituximab 700 mg in sodio cloruro 0,9% 500 ml",
                 (RTX_DAYS[-1] + timedelta(days=7)).replace(hour=0, minute=0), "10:00", "Non somministrato", 700,
                 "mg", "EV"])
    xlsx(TREAT / "somministrazioni_it.xlsx", [("Foglio1", rows)])
    expect("somministrazioni_it.xlsx", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS], skipped=1)


def toediening_nl() -> None:
    """Dutch record (HiX style): toedientijdstip, status, snelheid gewijzigd."""
    rows = [["Patiëntnummer", "Geneesmiddel", "Toedientijdstip", "Status", "Dosis", "Eenheid", "Toedieningsweg"]]
    for t in IVIG_DAYS:
        rows.append(["NL7", "Octagam 10% infusievloeistof", de(t), "Toegediend", "80", "g", "intraveneus"])
        rows.append(["NL7", "Octagam 10% infusievloeistof", de(t + timedelta(hours=1)), "Snelheid gewijzigd", "", "",
                     "intraveneus"])
    rows.append(["NL7", "Octagam 10% infusievloeistof", de(IVIG_DAYS[-1] + timedelta(days=21)), "Uitgesteld", "80",
                 "g", "intraveneus"])
    write_csv(TREAT / "toediening_nl.csv", rows, delimiter=";")
    expect("toediening_nl.csv", "IVIG", ivig("IVIG (Octagam)"), skipped=1)


def wide_marked_cells() -> None:
    """Wide records (one column per drug) whose cell says what became of a dose instead of its
    amount: a German R-Benda sheet with the date and time apart ("nicht gegeben" in the rituximab
    column of the third course), and a French one ("retourné": the bag went back to the pharmacy)
    beside a note filled on that row only ("Observations"), which is no action for the row's other
    drugs."""
    days = [datetime(2022, 9, 6, 10, 0) + timedelta(days=28 * k) for k in range(4)]
    rows = [["Datum", "Uhrzeit", "Rituximab (mg)", "Bendamustin (mg)", "Bemerkung"]]
    for k, t in enumerate(days):
        rows.append([f"{t:%d.%m.%Y}", f"{t:%H:%M}", "nicht gegeben" if k == 2 else "700", "160", ""])
        rows.append([f"{t + timedelta(days=1):%d.%m.%Y}", f"{t:%H:%M}", "", "160", ""])
    write_csv(TREAT / "wide_marked_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("wide_marked_de.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for k, t in enumerate(days) if k != 2],
           skipped=1, options={"product": "rituximab"})
    held = IVIG_DAYS[2] - timedelta(days=14)
    rows = [["Date", "Heure", "Octagam 10% (g)", "Paracétamol (g)", "Observations"]]
    for t in sorted([*IVIG_DAYS, held]):
        rows.append([f"{t:%d/%m/%Y}", f"{t:%H:%M}", "retourné" if t == held else "80", "1",
                     "poche retournée à la pharmacie" if t == held else ""])
    write_csv(TREAT / "wide_retourne_fr.csv", rows, delimiter=";", encoding="cp1252")
    expect("wide_retourne_fr.csv", "IVIG", ivig("IVIG (Octagam)"), skipped=1)


def handmade_unknown_headings() -> None:
    """A physician's own sheet with headings no system uses."""
    rows = [["Wann", "Was", "Wieviel"]]
    for t in IVIG_DAYS:
        rows.append([t, "Privigen", "80 g"])
    xlsx(TREAT / "handmade_de.xlsx", [("Tabelle1", rows)])
    expect("handmade_de.xlsx", "IVIG", ivig())


def three_times() -> None:
    """Ordered, verified and given times in one record; an order-status column that is not the action."""
    rows = [["Medication", "Ordered", "Verified", "Given", "Order Status", "Amount"]]
    for t in RTX_DAYS:
        rows.append(["rituximab-abbs (TRUXIMA) 700 mg in NS 500 mL", t - timedelta(days=2),
                     t - timedelta(days=1), t, "Verified", "700 mg"])
    xlsx(TREAT / "three_times.xlsx", [("Sheet1", rows)])
    expect("three_times.xlsx", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS])


def note_not_given() -> None:
    """No action column: a row with an empty dose and a note is a dose not given."""
    rows = [["Date", "Drug", "Dose (g)", "Comment"]]
    for k, t in enumerate(IVIG_DAYS):
        if k == 3:
            rows.append([f"{t - timedelta(days=2):%Y-%m-%d}", "IVIG Privigen", "", "postponed - URTI"])
        rows.append([f"{t:%Y-%m-%d %H:%M}", "IVIG Privigen", 80, ""])
    write_csv(TREAT / "note_not_given.csv", rows)
    expect("note_not_given.csv", "IVIG", ivig(), skipped=1)


def paused_blank_dose_de() -> None:
    """German MAR with a dose column: a dose paused for an infection ("pausiert - Infekt", dose
    blank, no start before it) is a dose not given, not a dose; the rate changes and ends with a
    blank dose after each start are parts of that dose."""
    rows = [["MRN", "Order verified", "Administered at", "Medication", "Dose given", "Unit", "Nurse status"]]
    drug = "RITUXIMAB 700 MG IN NATRIUMCHLORID 0,9 % 500 ML"
    for k, t in enumerate(RTX_DAYS):
        if k == 2:  # due two days earlier, paused for an infection, given when it had cleared
            rows.append(["4711", de(t - timedelta(days=4)), de(t - timedelta(days=2)), drug, "", "",
                         "pausiert - Infekt"])
        rows += [["4711", de(t - timedelta(days=2)), de(t), drug, "700", "mg", "verabreicht"],
                 ["4711", de(t - timedelta(days=2)), de(t + timedelta(minutes=30)), drug, "", "",
                  "Laufrate geändert"],
                 ["4711", de(t - timedelta(days=2)), de(t + timedelta(hours=4)), drug, "", "", "beendet"]]
    write_csv(TREAT / "pausiert_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("pausiert_de.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS], skipped=1,
           labels=["Rituximab 700 mg"] * 4)


def daily_oral() -> None:
    """A daily oral drug in two treatment periods (28 days each, two weeks apart)."""
    rows = [["Date", "Medication", "Dose", "Unit", "Route", "Action"]]
    doses = []
    start = datetime(2023, 1, 2, 8, 0)
    for period in range(2):
        for d in range(28):
            t = start + timedelta(days=42 * period + d)
            rows.append([f"{t:%Y-%m-%d %H:%M}", "AZATHIOPRINE 50 MG TABLET", 100, "mg", "PO", "Given"])
            doses.append((t, "Azathioprine", 100.0, "mg"))
    write_csv(TREAT / "daily_oral.csv", rows)
    expect("daily_oral.csv", "Azathioprine", doses, labels=["Azathioprine 2800 mg over 28 days"] * 2)


def ivig_five_days() -> None:
    """IVIG 2 g/kg over 5 days every 4 weeks (0.4 g/kg a day)."""
    rows = [["MRN", "Medication", "Administration Date/Time", "Action", "Dose", "Dose Unit", "Weight (kg)"]]
    doses = []
    for c in range(3):
        for d in range(5):
            t = datetime(2023, 6, 5, 9, 0) + timedelta(days=28 * c + d)
            rows.append(["5", "Privigen 10%", t, "Given", 32, "g", WEIGHT])
            doses.append((t, "IVIG (Privigen)", 32.0, "g"))
    xlsx(TREAT / "ivig_five_days.xlsx", [("MAR", rows)])
    expect("ivig_five_days.xlsx", "IVIG", doses, labels=["IVIG 2 g/kg over 5 days"] * 3)


def mimic_extract() -> None:
    """A research extract in MIMIC's lower-case layout (inputevents with the item label joined)."""
    rows = [["subject_id", "starttime", "endtime", "itemid", "label", "amount", "amountuom", "rate", "rateuom",
             "statusdescription", "patientweight"]]
    for t in IVIG_DAYS:
        rows.append([10001, f"{t:%Y-%m-%d %H:%M:%S}", f"{t + timedelta(hours=4):%Y-%m-%d %H:%M:%S}", 225800,
                     "Immune Globulin", 80, "grams", 20, "grams/hour", "FinishedRunning", WEIGHT])
    write_csv(TREAT / "mimic_inputevents.csv", rows)
    expect("mimic_inputevents.csv", "IVIG", ivig("IVIG"), labels=["IVIG 1 g/kg"] * 6)


def scig_weekly() -> None:
    """Subcutaneous immune globulin weekly, self-administered at home."""
    rows = [["Date", "Product", "Dose (g)", "Route", "Status"]]
    days = [datetime(2023, 9, 4, 19, 0) + timedelta(days=7 * k) for k in range(8)]
    for t in days:
        rows.append([f"{t:%Y-%m-%d %H:%M}", "Hizentra 20%", 16, "subcutaneous", "self-administered"])
    write_csv(TREAT / "scig_weekly.csv", rows)
    expect("scig_weekly.csv", "SCIG", [(t, "SCIG (Hizentra)", 16.0, "g") for t in days])


def override_needed() -> None:
    """Two text columns that could each be the drug: the user names it (--infusion-column)."""
    rows = [["When", "Ward", "Item", "Qty"]]
    for t in IVIG_DAYS:
        rows.append([f"{t:%Y-%m-%d %H:%M}", "Day unit", "Fooglobin 10%", 80])
    write_csv(TREAT / "override_needed.csv", rows)
    expect("override_needed.csv", "Fooglobin", [(t, "Fooglobin", 80.0, "") for t in IVIG_DAYS],
           options={"columns": {"drug": "Item"}})


def two_text_columns() -> None:
    """A dispensing sheet kept by hand: headings that say nothing, and the drug, an in-house name
    with no strength, next to another text column. Nothing in the cells tells which of the two is
    the drug, so the automatic read refuses it; the user names the column (the assistant's Drug
    choice, or --infusion-column drug=Preparation)."""
    rows = [["Stamp", "Ward", "Preparation", "Qty"]]
    for t in IVIG_DAYS:
        rows.append([f"{t:%Y-%m-%d %H:%M}", "Day unit", "Fooglobin", 80])
    write_csv(TREAT / "two_text_columns.csv", rows)
    expect("two_text_columns.csv", "Fooglobin", [(t, "Fooglobin", 80.0, "") for t in IVIG_DAYS],
           options={"columns": {"drug": "Preparation"}})


def clarity_mar_admin() -> None:
    """Epic Clarity ORDER_MED joined to MAR_ADMIN_INFO: a LINE counter (numbers, no dose), the dose
    in SIG on the Given row only, an infusion rate beside it; taken, scheduled and saved times;
    Paused, Restarted and Rate Verify within a dose, a Missed dose."""
    rows = [["ORDER_MED_ID", "LINE", "DESCRIPTION", "SCHEDULED_TIME", "TAKEN_TIME", "SAVED_TIME", "MAR_ACTION_C_NAME",
             "SIG", "DOSE_UNIT_C_NAME", "INFUSION_RATE"]]
    med, line = "IMMUNE GLOBULIN (HUMAN) 10 % IV SOLN (GAMUNEX-C)", 0
    for k, t in enumerate(IVIG_DAYS):
        events = [(0, "Given", 80), (30, "Rate Verify", ""), (90, "Paused", ""), (110, "Restarted", ""),
                  (240, "Stopped", "")]
        if k == 2:
            events.insert(0, (-24 * 60, "Missed", ""))
        for minutes, action, sig in events:
            line += 1
            at = t + timedelta(minutes=minutes)
            rows.append([7100 + k, line, med, f"{t - timedelta(minutes=15):%Y-%m-%d %H:%M:%S}" if sig else "",
                         f"{at:%Y-%m-%d %H:%M:%S}", f"{at + timedelta(minutes=7):%Y-%m-%d %H:%M:%S}", action, sig,
                         "g" if sig else "", 100 if action in ("Rate Verify", "Restarted") else ""])
    write_csv(TREAT / "clarity_mar_admin.csv", rows)
    expect("clarity_mar_admin.csv", "IVIG", ivig("IVIG (Gamunex-C)"), skipped=1, labels=["IVIG 80 g"] * 6)


def fhir_medication_administration() -> None:
    """FHIR R4 MedicationAdministration resources flattened to CSV: status codes joined by hyphens
    ("completed", "not-done", "entered-in-error"), ISO instants with an offset."""
    rows = [["id", "status", "statusReason.text", "medicationCodeableConcept.text", "effectiveDateTime",
             "dosage.dose.value", "dosage.dose.unit", "dosage.route.text"]]
    med = "rituximab 10 MG/ML Injectable Solution"
    for k, t in enumerate(RTX_DAYS):
        rows.append([f"ma-{k}", "completed", "", med, f"{t:%Y-%m-%dT%H:%M:%S}+01:00", 700, "mg", "intravenous"])
        if k == 1:
            rows.append([f"ma-e{k}", "entered-in-error", "", med, f"{t + timedelta(hours=1):%Y-%m-%dT%H:%M:%S}+01:00",
                         700, "mg", "intravenous"])
    late = RTX_DAYS[-1] + timedelta(days=7)
    rows.append(["ma-9", "not-done", "Patient condition", med, f"{late:%Y-%m-%dT%H:%M:%S}+01:00", 700, "mg",
                 "intravenous"])
    write_csv(TREAT / "fhir_medication_administration.csv", rows)
    expect("fhir_medication_administration.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS],
           skipped=1, labels=["Rituximab 700 mg"] * 4)


def cabinet_dispense() -> None:
    """An automated dispensing cabinet's patient dispense profile (Omnicell, Pyxis): the order dose
    with its unit beside a count of vials, dispense and return transactions, a title block."""
    rows = [["Patient Dispense Profile"], ["Facility: General Hospital", "", "Unit: ONC DAY"], [],
            ["Station", "Patient ID", "Medication", "Transaction", "Event Date/Time", "Order Dose", "Qty"]]
    for k, t in enumerate(CYC_DAYS):
        rows.append(["ONC1", "123456", "ondansetron 8 mg tab", "Dispense", us(t - timedelta(minutes=40)), "8 mg", 1])
        rows.append(["ONC1", "123456", "cyclophosphamide 1 g vial", "Dispense", us(t), "1,200 mg", 2])
        if k == 1:
            rows.append(["ONC1", "123456", "cyclophosphamide 1 g vial", "Return", us(t + timedelta(hours=3)),
                         "1,200 mg", 1])
    write_csv(TREAT / "cabinet_dispense.csv", rows)
    expect("cabinet_dispense.csv", "Cyclophosphamide", [(t, "Cyclophosphamide", 1200.0, "mg") for t in CYC_DAYS],
           labels=["Cyclophosphamide 1200 mg"] * 4)


def administraciones_es() -> None:
    """A Spanish record (Selene style): ';', cp1252, doses written "1.200,00" (points for thousands,
    a decimal comma), a dose suspended."""
    rows = [["NHC", "Principio activo", "Presentación", "Fecha/Hora administración", "Dosis administrada", "Unidad",
             "Vía", "Estado"]]
    for k, t in enumerate(CYC_DAYS):
        if k == 2:
            rows.append(["556677", "CICLOFOSFAMIDA", "CICLOFOSFAMIDA 1 G VIAL", eu(t - timedelta(days=2)), "1.200,00",
                         "mg", "IV", "Suspendida"])
        rows.append(["556677", "ONDANSETRON", "ONDANSETRON 8 MG AMP", eu(t - timedelta(minutes=30)), "8,00", "mg",
                     "IV", "Administrada"])
        rows.append(["556677", "CICLOFOSFAMIDA", "CICLOFOSFAMIDA 1 G VIAL", eu(t), "1.200,00", "mg", "IV",
                     "Administrada"])
    write_csv(TREAT / "administraciones_es.csv", rows, delimiter=";", encoding="cp1252")
    expect("administraciones_es.csv", "Cyclophosphamide", [(t, "Cyclophosphamide", 1200.0, "mg") for t in CYC_DAYS],
           skipped=1, labels=["Cyclophosphamide 1200 mg"] * 4)


def toedienregistratie_nl() -> None:
    """A Dutch record (HiX style) in xlsx below a title block: an infusion interrupted
    ("Onderbroken") and resumed ("Hervat") within a dose, a dose not given."""
    med = "Rituximab infuus 700 mg in 500 ml NaCl 0,9%"
    rows = [["Toedienregistratie"], ["Patiënt: 1234567", None, "Afdeling: Dagbehandeling"], [],
            ["Toedientijd", "Medicatie", "Toegediende dosis", "Eenheid", "Registratie", "Opmerking"]]
    for t in RTX_DAYS:
        rows += [[t, med, 700, "mg", "Toegediend", None],
                 [t + timedelta(minutes=45), med, None, None, "Onderbroken", "koude rillingen"],
                 [t + timedelta(minutes=75), med, None, None, "Hervat", None]]
    rows.append([RTX_DAYS[-1] + timedelta(days=7), med, None, "mg", "Niet toegediend", "niet verschenen"])
    xlsx(TREAT / "toedienregistratie_nl.xlsx", [("Rapport", rows)])
    expect("toedienregistratie_nl.xlsx", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS], skipped=1)


def diary_yes_no() -> None:
    """A patient's diary of a daily oral drug (days 1-21 of 28) answering "Taken?" with Y or N."""
    rows = [["Date", "Medicine", "Strength", "Taken?"]]
    doses = []
    for c in range(2):
        for d in range(21):
            t = datetime(2023, 6, 5) + timedelta(days=28 * c + d)
            taken = "N" if (c, d) == (1, 10) else "Y"
            rows.append([f"{t:%d/%m/%Y}", "Lenalidomide (Revlimid) 25mg capsule", "25 mg", taken])
            if taken == "Y":
                doses.append((t, "Lenalidomide", 25.0, "mg"))
    write_csv(TREAT / "diary_yes_no.csv", rows)
    expect("diary_yes_no.csv", "Lenalidomide", doses, skipped=1,
           labels=["Lenalidomide 525 mg over 21 days", "Lenalidomide 500 mg over 21 days"])


def administrations_fr_utf16() -> None:
    """A French hospital record (DPI style) saved as Unicode text (UTF-16, tabs): carboplatin and
    paclitaxel as generics named with their makers ("PACLITAXEL ACCORD", "CARBOPLATINE TEVA"), the
    international name (DCI) beside them, a course deferred."""
    rows = [["Date d'administration", "Spécialité", "DCI", "Posologie", "Unité", "Voie", "État", "Motif"]]
    doses = []
    days = [datetime(2023, 3, 7, 9, 30) + timedelta(days=21 * k) for k in range(4)]
    for k, t in enumerate(days):
        if k == 2:
            rows.append([f"{t - timedelta(days=7):%d/%m/%Y %H:%M}", "PACLITAXEL ACCORD 6 mg/ml", "paclitaxel", "315",
                         "mg", "IV", "Différé", "neutropénie"])
        rows.append([f"{t:%d/%m/%Y %H:%M}", "PACLITAXEL ACCORD 6 mg/ml", "paclitaxel", "315", "mg", "IV",
                     "Administré", ""])
        rows.append([f"{t + timedelta(hours=3):%d/%m/%Y %H:%M}", "CARBOPLATINE TEVA 10 mg/ml", "carboplatine", "450,5",
                     "mg", "IV", "Administré", ""])
        doses += [(t, "Paclitaxel", 315.0, "mg"), (t + timedelta(hours=3), "Carboplatin", 450.5, "mg")]
    write_csv(TREAT / "administrations_fr.txt", rows, delimiter="\t", encoding="utf-16")
    expect("administrations_fr.txt", "Paclitaxel + Carboplatin", doses, skipped=1,
           labels=["Paclitaxel 315 mg + Carboplatin 450.5 mg"] * 4)


def meditech_admin_history() -> None:
    """Meditech Expanse administration history: two-digit years with an HHMM time in one cell
    ("01/09/24 0915"), the dose as "80 GM", rate increases within a dose."""
    rows = [["MEDITECH Expanse - Administration History"], [], ["Medication", "Admin Date/Time", "Dose", "Action"]]
    for t in IVIG_DAYS:
        rows += [["Privigen 10% IV Soln", f"{t:%m/%d/%y %H%M}", "80 GM", "Given"],
                 ["Privigen 10% IV Soln", f"{t + timedelta(hours=1):%m/%d/%y %H%M}", "", "Rate Increased"],
                 ["Privigen 10% IV Soln", f"{t + timedelta(hours=2):%m/%d/%y %H%M}", "", "Rate Decreased"]]
    write_csv(TREAT / "meditech_admin_history.csv", rows)
    expect("meditech_admin_history.csv", "IVIG", ivig())


def reason_in_dose_cell() -> None:
    """A hand-kept German list without an action column: a dose not given is written as words in
    the dose's own cell ("abgesetzt wegen Fieber")."""
    rows = [["Datum", "Medikament", "Dosis"]]
    for k, t in enumerate(IVIG_DAYS):
        rows.append([f"{t:%d.%m.%Y}", "Privigen", "80 g"])
        if k == 2:
            rows.append([f"{t + timedelta(days=1):%d.%m.%Y}", "Privigen", "abgesetzt wegen Fieber"])
    write_csv(TREAT / "dosis_text_de.csv", rows, delimiter=";")
    expect("dosis_text_de.csv", "IVIG", ivig(days=[t.replace(hour=0, minute=0) for t in IVIG_DAYS]), skipped=1,
           labels=["IVIG 80 g"] * 6)


def mar_grid_times_across() -> None:
    """A MAR grid as Oracle Health PowerChart's MAR view shows it, saved as a workbook: the drugs
    down, the administration times across (Excel date-times), each cell what was done ("80 g
    Given", "Held"); a premedication row."""
    held = IVIG_DAYS[2] - timedelta(days=1)
    times = sorted([*IVIG_DAYS, held])
    rows = [["MAR Summary"], [], ["Order", "Route", *times]]
    rows.append(["immune globulin intravenous (Privigen) 10 % IV soln", "IV",
                 *("Held - febrile" if t == held else "80 g Given" for t in times)])
    rows.append(["acetaminophen 650 mg tab", "PO", *("" if t == held else "650 mg Given" for t in times)])
    xlsx(TREAT / "mar_grid_times_across.xlsx", [("MAR", rows)])
    expect("mar_grid_times_across.xlsx", "IVIG", ivig(), skipped=1, labels=["IVIG 80 g"] * 6)


def mar_grid_hand_made() -> None:
    """Hand-made MAR grids (an infusion centre's and a German ward's), drugs down, the visit dates
    across, a merged title over the table and a row that adds it up ("Total doses given",
    "Summe"): each cell the clock time the dose was given ("09:30") or the nurse's initials ("MK"),
    the dose in its own column ("80 g"); "held" and "pausiert (Infekt)" are doses not given."""
    held = IVIG_DAYS[2] - timedelta(days=14)
    times = sorted([*IVIG_DAYS, held])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "MAR"
    ws["A1"] = "MEDICATION ADMINISTRATION RECORD - Infusion Centre"
    ws.merge_cells("A1:J1")
    ws["A2"] = "Patient: DOE, Jane   DOB 01/02/1966"
    ws.merge_cells("A2:J2")
    ws.append(["Medication", "Dose", "Route", *(f"{t:%d/%m/%Y}" for t in times)])
    ws.append(["Privigen 10% IV", "80 g", "IV", *("held" if t == held else f"{t:%H:%M}" for t in times)])
    ws.append(["Paracetamol", "1 g", "PO", *("09:00" for _t in times)])
    ws.append(["Total doses given", "", "", *(1 if t == held else 2 for t in times)])
    save_xlsx(wb, TREAT / "mar_grid_hand_made.xlsx")
    expect("mar_grid_hand_made.xlsx", "IVIG", ivig(), skipped=1, labels=["IVIG 80 g"] * 6)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kurve"
    ws["A1"] = "Infusionsplan Immunglobuline 2022"
    ws.merge_cells("A1:I1")
    ws.append(["Präparat", "Dosis", *(f"{t:%d.%m.%Y %H:%M}" for t in times)])
    ws.append(["Privigen 100 mg/ml", "80 g", *("pausiert (Infekt)" if t == held else "MK" for t in times)])
    ws.append(["Summe", "", *(0 if t == held else 1 for t in times)])
    save_xlsx(wb, TREAT / "mar_grid_initials_de.xlsx")
    expect("mar_grid_initials_de.xlsx", "IVIG", ivig(), skipped=1, labels=["IVIG 80 g"] * 6)
    wb = openpyxl.Workbook()  # Italian: Excel date-times across, "sospeso", a TOTALE row and column
    ws = wb.active
    ws["A1"] = "Scheda di somministrazione"
    ws.merge_cells("A1:D1")
    ws.append(["Farmaco", "Via", *times, "Totale"])
    ws.append(["Kiovig 100 mg/ml", "EV", *("sospeso" if t == held else "80 g somministrato" for t in times), 480])
    ws.append(["TOTALE", "", *(0 if t == held else 80 for t in times), 480])
    save_xlsx(wb, TREAT / "mar_grid_totale_it.xlsx")
    expect("mar_grid_totale_it.xlsx", "IVIG", ivig("IVIG (Kiovig)"), skipped=1, labels=["IVIG 80 g"] * 6)


def millennium_uk() -> None:
    """Oracle Health Millennium at an NHS trust: day-first times, "riTUXimab" in tall-man letters,
    chlorphenamine (the UK name of chlorpheniramine) as premedication before every dose, and a
    brand-named natalizumab (Tysabri) the trust also gives: the premedication never joins the
    regimen, the brand is shown under its drug's name."""
    rows = [["NHS Number", "Medication", "Scheduled Date/Time", "Admin Date/Time", "Admin Status", "Dose",
             "Dose Unit", "Route"]]
    for k, t in enumerate(RTX_DAYS):
        rows.append(["485 777 3456", "Chlorphenamine 10 mg injection", eu(t - timedelta(minutes=30)),
                     eu(t - timedelta(minutes=25)), "Administered", 10, "mg", "IV"])
        if k == 2:
            rows.append(["485 777 3456", "riTUXimab 700 mg in Sodium chloride 0.9% 500 mL infusion",
                         eu(t - timedelta(days=1)), "", "Not Given - Patient Unwell", 700, "mg", "IV"])
        rows.append(["485 777 3456", "riTUXimab 700 mg in Sodium chloride 0.9% 500 mL infusion",
                     eu(t - timedelta(hours=1)), eu(t), "Administered", 700, "mg", "IV"])
    write_csv(TREAT / "millennium_uk.csv", rows)
    expect("millennium_uk.csv", "Rituximab", [(t, "Rituximab", 700.0, "mg") for t in RTX_DAYS], skipped=1,
           labels=["Rituximab 700 mg"] * 4)
    rows = [["NHS Number", "Medication", "Admin Date/Time", "Admin Status", "Dose", "Dose Unit"]]
    for t in CYC_DAYS:
        rows.append(["485 777 3456", "Tysabri 300 mg/15 mL intravenous solution", eu(t), "Administered", 300, "mg"])
    write_csv(TREAT / "millennium_uk_brand.csv", rows)
    expect("millennium_uk_brand.csv", "Natalizumab", [(t, "Natalizumab", 300.0, "mg") for t in CYC_DAYS])


def national_ivig_brands() -> None:
    """Immune globulin under the brands of national markets, a weight known: Nanogam (Sanquin) in
    mL of 100 mg/ml in a Dutch record, Clairyg (LFB) in g in a French one: both are IVIG, in g/kg."""
    rows = [["Patientnummer", "Geneesmiddel", "Dosering", "Eenheid", "Gewicht (kg)", "Toegediend tijdstip",
             "Status"]]
    for t in IVIG_DAYS:
        rows.append(["1234567", "Nanogam 100 mg/ml infusievloeistof", 800, "ml", "80", de(t), "Toegediend"])
    write_csv(TREAT / "nanogam_nl.csv", rows, delimiter=";")
    expect("nanogam_nl.csv", "IVIG", ivig("IVIG (Nanogam)"), labels=["IVIG 1 g/kg"] * 6)
    rows = [["IPP", "Médicament", "Posologie", "Unité", "Poids", "Date administration", "Statut"]]
    for t in IVIG_DAYS:
        rows.append(["80012345", "CLAIRYG 50 mg/ml sol p perf", 80, "g", 80, eu(t), "Administré"])
    write_csv(TREAT / "clairyg_fr.csv", rows, delimiter=";", bom=True)
    expect("clairyg_fr.csv", "IVIG", ivig("IVIG (Clairyg)"), labels=["IVIG 1 g/kg"] * 6)


def hl7_rxa() -> None:
    """HL7 v2 pharmacy administration messages (RAS^O17) flattened to a table, one row per RXA
    segment: RXA-3 start as YYYYMMDDHHMM, RXA-5 the code and text, RXA-6 the amount, RXA-20 the
    completion status of table 0322 (CP complete, NA not administered, RE refused). The same
    without its completion status column writes the dose not given as an amount of 0."""
    rows = [["PID-3", "RXA-3", "RXA-5.1", "RXA-5.2", "RXA-6", "RXA-7", "RXA-20", "RXA-21"]]
    for k, t in enumerate(IVIG_DAYS):
        if k == 3:
            rows.append(["MRN55^^^HOSP", f"{t - timedelta(days=2):%Y%m%d%H%M}", "J1569", "GAMMAGARD LIQUID 10% IV",
                         0, "g", "RE", "A"])
        rows.append(["MRN55^^^HOSP", f"{t:%Y%m%d%H%M}", "J1569", "GAMMAGARD LIQUID 10% IV", 80, "g", "CP", "A"])
    rows.append(["MRN55^^^HOSP", f"{IVIG_DAYS[-1] + timedelta(days=21):%Y%m%d%H%M}", "J1569",
                 "GAMMAGARD LIQUID 10% IV", 0, "g", "NA", "A"])
    write_csv(TREAT / "hl7_rxa.csv", rows)
    expect("hl7_rxa.csv", "IVIG", ivig("IVIG (Gammagard Liquid)"), skipped=2)
    write_csv(TREAT / "hl7_rxa_no_status.csv", [r[:6] for r in rows])
    expect("hl7_rxa_no_status.csv", "IVIG", ivig("IVIG (Gammagard Liquid)"), skipped=2)


def clarity_numeric_action() -> None:
    """Epic Clarity MAR_ADMIN_INFO without the ZC_MAR_RSLT join: the MAR action as its number
    (MAR_ACTION_C), whose meaning each organisation configures. Nadir must not take the codes as
    the dose (SIG is) nor count them; it lists them, and the user says what each means."""
    rows = [["ORDER_MED_ID", "LINE", "MEDICATION_NAME", "TAKEN_TIME", "MAR_ACTION_C", "SIG", "DOSE_UNIT_C_NAME"]]
    for k, t in enumerate(IVIG_DAYS):
        if k == 2:
            rows.append([9001, len(rows), "PRIVIGEN 10 % IV SOLN", f"{t - timedelta(days=1):%Y-%m-%d %H:%M:%S}", 5, 80,
                         "g"])
        for minutes, code, sig in ((0, 6, 80), (30, 9, 80), (240, 8, "")):
            rows.append([9001, len(rows), "PRIVIGEN 10 % IV SOLN",
                         f"{t + timedelta(minutes=minutes):%Y-%m-%d %H:%M:%S}", code, sig, "g"])
    write_csv(TREAT / "clarity_numeric_action.csv", rows)
    expect("clarity_numeric_action.csv", "IVIG", ivig(), skipped=1,
           options={"actions": {"6": "start", "9": "part", "8": "part", "5": "not given"}})


def sdtm_ex() -> None:
    """A clinical trial's CDISC SDTM EX domain (as OpenClinica or a sponsor's EDC exports it):
    upper-case variable names no vocabulary knows (EXTRT, EXDOSE, EXSTDTC), ISO 8601 times with a
    "T", and a drug Nadir has no name for (isatuximab): read by its INN stem."""
    rows = [["STUDYID", "DOMAIN", "USUBJID", "EXSEQ", "EXTRT", "EXDOSE", "EXDOSU", "EXDOSFRM", "EXROUTE", "EXSTDTC",
             "EXENDTC"]]
    for k, t in enumerate(RTX_DAYS):
        rows.append(["NAD-01", "EX", "NAD-01-001", k + 1, "ISATUXIMAB", 700, "mg", "INJECTION", "INTRAVENOUS",
                     t.isoformat(timespec="minutes"), (t + timedelta(hours=3)).isoformat(timespec="minutes")])
    write_csv(TREAT / "sdtm_ex.csv", rows)
    expect("sdtm_ex.csv", "Isatuximab", [(t, "Isatuximab", 700.0, "mg") for t in RTX_DAYS],
           labels=["Isatuximab 700 mg"] * 4)


def cabinet_qty_and_dose() -> None:
    """A dispensing cabinet's transaction history (BD Pyxis style): the quantity of vials beside
    the dose; the dose column is the dose."""
    rows = [["Transaction Date/Time", "Med Description", "Qty", "Dose", "Dose Unit", "MRN", "Station"]]
    for t in CYC_DAYS:
        rows.append([us(t), "carboplatin 450 mg/45 mL vial", 1, 450, "mg", "77001", "ONC-INF-1"])
    write_csv(TREAT / "cabinet_qty_dose.csv", rows)
    expect("cabinet_qty_dose.csv", "Carboplatin", [(t, "Carboplatin", 450.0, "mg") for t in CYC_DAYS])


def pyxis_remove_return() -> None:
    """A BD Pyxis MedStation transaction history: Remove, then a vial returned two hours after a
    second removal the next day (that removal was not given: a skipped row), a waste of 90 mg of the
    450 mg removed (360 mg given: the amount removed less the amount wasted), a restock of the pocket
    (no dose)."""
    med = "carboplatin 450 mg/45 mL vial"
    rows = [["Transaction Date/Time", "Transaction Type", "Med Description", "Qty", "Dose", "Dose Unit",
             "Patient Name", "MRN", "Station"]]
    for k, t in enumerate(CYC_DAYS):
        rows.append([us(t), "Remove", med, 1, 450, "mg", "DOE, J", "77001", "ONC-INF-1"])
        if k == 1:
            rows.append([us(t + timedelta(days=1)), "Remove", med, 1, 450, "mg", "DOE, J", "77001", "ONC-INF-1"])
            rows.append([us(t + timedelta(days=1, hours=2)), "Return", med, 1, 450, "mg", "DOE, J", "77001",
                         "ONC-INF-1"])
        if k == 2:
            rows.append([us(t + timedelta(minutes=20)), "Waste", med, 0.2, 90, "mg", "DOE, J", "77001", "ONC-INF-1"])
            rows.append([us(t + timedelta(hours=5)), "Restock", med, 10, 450, "mg", "DOE, J", "77001", "ONC-INF-1"])
    write_csv(TREAT / "pyxis_remove_return.csv", rows)
    expect("pyxis_remove_return.csv", "Carboplatin",
           [(t, "Carboplatin", 360.0 if k == 2 else 450.0, "mg") for k, t in enumerate(CYC_DAYS)],
           skipped=1, labels=["Carboplatin 450 mg"] * 2 + ["Carboplatin 360 mg", "Carboplatin 450 mg"])


def omnicell_issue_return() -> None:
    """An Omnicell transaction report: "Issue" and "Return" with a count of vials and the amount;
    a partial return (one vial of two) keeps the dose with the amount that remained, a whole
    return cancels its issue, a cancelled issue is no dose."""
    med = "cyclophosphamide 500 mg vial"
    rows = [["Omnicell Transaction Report"], ["Area: ONC DAY"], [],
            ["Date", "Time", "Patient ID", "Item Name", "Txn Type", "Qty", "Amount"]]
    doses = []
    for k, t in enumerate(CYC_DAYS):
        rows.append([f"{t:%Y-%m-%d}", f"{t:%H:%M}", "123456", med, "Issue", 2, "1000 mg"])
        if k == 1:
            rows.append([f"{t:%Y-%m-%d}", f"{t + timedelta(hours=1):%H:%M}", "123456", med, "Return", 1, "500 mg"])
        if k == 2:
            later = t + timedelta(hours=3)
            rows.append([f"{later:%Y-%m-%d}", f"{later:%H:%M}", "123456", med, "Issue", 2, "1000 mg"])
            rows.append([f"{later:%Y-%m-%d}", f"{later + timedelta(hours=1):%H:%M}", "123456", med, "Return", 2,
                         "1000 mg"])
            rows.append([f"{later:%Y-%m-%d}", f"{later + timedelta(hours=2):%H:%M}", "123456", med, "Cancel Issue",
                         2, "1000 mg"])
        doses.append((t, "Cyclophosphamide", 500.0 if k == 1 else 1000.0, "mg"))
    write_csv(TREAT / "omnicell_issue_return.csv", rows)
    expect("omnicell_issue_return.csv", "Cyclophosphamide", doses, skipped=1)


# Bortezomib 1.3 mg/m² (2.6 mg) SC on days 1, 4, 8 and 11 of 21-day cycles, four cycles inside the
# ivig-mmn case's lab window: days 4 -> 8 are 96 h apart, so the default 72-h course rule makes two
# courses per cycle (8 in all); a course gap of 5 days makes one per cycle (4). tests/test_cli.py.
BTZ_DAYS = [datetime(2022, 9, 6, 10, 0) + timedelta(days=21 * c + d) for c in range(4) for d in (0, 3, 7, 10)]
BTZ_COURSES = {"72 h": 8, "5 days": 4}


def bortezomib_d1_4_8_11() -> None:
    """A myeloma day-unit record: bortezomib D1/4/8/11 q21d, one row a dose."""
    rows = [["Administered", "Medication", "Dose", "Unit", "Route", "Action"]]
    for t in BTZ_DAYS:
        rows.append([f"{t:%Y-%m-%d %H:%M}", "bortezomib 3.5 mg powder for injection", 2.6, "mg", "SC", "Given"])
    write_csv(TREAT / "bortezomib_d1_4_8_11.csv", rows)
    expect("bortezomib_d1_4_8_11.csv", "Bortezomib", [(t, "Bortezomib", 2.6, "mg") for t in BTZ_DAYS])


def beacon_per_m2() -> None:
    """An oncology plan export that gives only the dose per body surface ("375 mg/m2", ASCII 2),
    beside a constant "Day" of the cycle and the BSA: the dose is the mg/m², never the day."""
    rows = [["Treatment Plan", "Cycle", "Day", "Date", "Medication", "Dose", "BSA (m2)", "Status"]]
    days = [datetime(2023, 1, 10, 10, 0) + timedelta(days=21 * k) for k in range(4)]
    for k, t in enumerate(days):
        rows.append(["LYMPHOMA R-MAINT", k + 1, 1, us(t), "riTUXimab (RITUXAN) IVPB", "375 mg/m2", 1.87, "Given"])
    rows.append(["LYMPHOMA R-MAINT", 5, 1, us(days[-1] + timedelta(days=21)), "riTUXimab (RITUXAN) IVPB", "375 mg/m2",
                 1.87, "Deferred"])
    write_csv(TREAT / "beacon_per_m2.csv", rows)
    expect("beacon_per_m2.csv", "Rituximab", [(t, "Rituximab", 375.0, "mg/m²") for t in days], skipped=1,
           labels=["Rituximab 375 mg/m²"] * 4)


TREATMENT = [epic_mar, cerner_mar, vista_bcma, meditech_emar, sunrise_paged, athena_clinic, eclinicalworks,
             nextgen_tab, epic_flowsheet, wide_rchop, aria_oncology, mosaiq_br, beacon_plan, dispensing_log,
             pharmacy_ods, kurve_de, infusion_tsv_de, dossier_fr, registro_es, somministrazioni_it, toediening_nl,
             handmade_unknown_headings, three_times, note_not_given, paused_blank_dose_de, daily_oral, ivig_five_days,
             mimic_extract, scig_weekly, override_needed, two_text_columns, clarity_mar_admin,
             fhir_medication_administration, cabinet_dispense, administraciones_es, toedienregistratie_nl,
             diary_yes_no, administrations_fr_utf16, meditech_admin_history, reason_in_dose_cell,
             mar_grid_times_across, mar_grid_hand_made, wide_marked_cells, millennium_uk, national_ivig_brands,
             hl7_rxa, clarity_numeric_action, sdtm_ex, cabinet_qty_and_dose, bortezomib_d1_4_8_11,
             pyxis_remove_return, omnicell_issue_return, beacon_per_m2]


# --- events layouts ---------------------------------------------------------------------------------

D = datetime


def ev_simple() -> None:
    write_csv(EVENTS / "simple.csv", [["Date", "Event", "Type"], ["2022-10-18", "COVID-19", "infection"],
                                      ["2022-11-02", "Filgrastim 300 mcg", "G-CSF"]])
    expect_events("simple.csv", [("infection", D(2022, 10, 18), None), ("gcsf", D(2022, 11, 2), None)])


def ev_title_xlsx() -> None:
    rows = [["Clinical events"], [], ["Start", "End", "Description", "Category"],
            [D(2022, 10, 18), D(2022, 10, 25), "COVID-19 pneumonia", "Infection"],
            [D(2022, 11, 20), D(2022, 11, 23), "Admitted for observation", "Hospitalization"],
            [D(2022, 12, 1), None, "Temperature 38.6", "Fever"]]
    xlsx(EVENTS / "title_block.xlsx", [("Events", rows)])
    expect_events("title_block.xlsx", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                       ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                       ("fever", D(2022, 12, 1), None)])


def ev_de_category() -> None:
    rows = [["Beginn", "Ende", "Ereignis", "Kategorie"],
            ["18.10.2022", "25.10.2022", "Lungenentzündung", "Infektion"],
            ["20.11.2022", "23.11.2022", "Stationäre Aufnahme", "Krankenhausaufenthalt"],
            ["01.12.2022", "", "Fieberschub", "Fieber"]]
    write_csv(EVENTS / "ereignisse_de.csv", rows, delimiter=";", encoding="cp1252")
    expect_events("ereignisse_de.csv", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                        ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                        ("fever", D(2022, 12, 1), None)])


def ev_de_compounds() -> None:
    """German descriptions only: compound words, and a vaccination that is not an infection."""
    rows = [["Datum", "Beschreibung"],
            ["03.10.2022", "Harnwegsinfekt, Antibiose"],
            ["14.10.2022", "Grippeimpfung (Influenza)"],
            ["02.11.2022", "Fieberschub 39,1 °C"],
            ["21.11.2022", "Atemwegsinfektion"],
            ["05.12.2022", "Kontrolltermin Ambulanz"]]
    write_csv(EVENTS / "beschreibung_de.csv", rows, delimiter=";")
    expect_events("beschreibung_de.csv", [("infection", D(2022, 10, 3), None), ("medication", D(2022, 10, 14), None),
                                          ("fever", D(2022, 11, 2), None), ("infection", D(2022, 11, 21), None),
                                          ("other", D(2022, 12, 5), None)])


def ev_fr() -> None:
    rows = [["Date de début", "Date de fin", "Événement", "Catégorie"],
            ["18/10/2022", "25/10/2022", "COVID-19", "Infection"],
            ["01/12/2022", "", "Poussée fébrile", "Fièvre"],
            ["20/11/2022", "23/11/2022", "Séjour en médecine", "Hospitalisation"]]
    write_csv(EVENTS / "evenements_fr.csv", rows, delimiter=";", bom=True)
    expect_events("evenements_fr.csv", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                        ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                        ("fever", D(2022, 12, 1), None)])


def ev_es() -> None:
    rows = [["Fecha inicio", "Fecha fin", "Evento", "Categoría"],
            ["18/10/2022", "25/10/2022", "Neumonía", "Infección"],
            ["01/12/2022", "", "Fiebre 38,5", "Fiebre"],
            ["20/11/2022", "23/11/2022", "Ingreso", "Hospitalización"]]
    write_csv(EVENTS / "eventos_es.csv", rows)
    expect_events("eventos_es.csv", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                     ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                     ("fever", D(2022, 12, 1), None)])


def ev_it() -> None:
    rows = [["Data inizio", "Data fine", "Evento", "Categoria"],
            [D(2022, 10, 18), D(2022, 10, 25), "Polmonite", "Infezione"],
            [D(2022, 12, 1), None, "Febbre", "Febbre"],
            [D(2022, 11, 20), D(2022, 11, 23), "Ricovero in reparto", "Ricovero"]]
    xlsx(EVENTS / "eventi_it.xlsx", [("Eventi", rows)])
    expect_events("eventi_it.xlsx", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                     ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                     ("fever", D(2022, 12, 1), None)])


def ev_nl() -> None:
    rows = [["Begindatum", "Einddatum", "Gebeurtenis", "Categorie"],
            ["18-10-2022", "25-10-2022", "Longontsteking", "Infectie"],
            ["01-12-2022", "", "Koorts", "Koorts"],
            ["20-11-2022", "23-11-2022", "Ziekenhuisopname", "Opname"]]
    write_csv(EVENTS / "gebeurtenissen_nl.csv", rows, delimiter=";")
    expect_events("gebeurtenissen_nl.csv", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                            ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                            ("fever", D(2022, 12, 1), None)])


def ev_incidental_words() -> None:
    """Descriptions whose words would mislead a word-by-word match."""
    rows = [["Date", "Note"],
            ["2022-10-05", "Vaccine against influenza given"],
            ["2022-10-18", "COVID-19, positive PCR"],
            ["2022-11-08", "Seen in clinic, no infection"],
            ["2022-11-15", "Neupogen 300 mcg started"],
            ["2022-12-01", "Routine review"]]
    write_csv(EVENTS / "incidental_words.csv", rows)
    expect_events("incidental_words.csv", [("medication", D(2022, 10, 5), None), ("infection", D(2022, 10, 18), None),
                                           ("other", D(2022, 11, 8), None), ("gcsf", D(2022, 11, 15), None),
                                           ("other", D(2022, 12, 1), None)])


def ev_problem_list() -> None:
    """An Epic problem list: noted and resolved dates, a status column that is no category."""
    rows = [["Problem", "Noted Date", "Resolved Date", "Status"],
            ["Febrile neutropenia", "11/02/2022", "11/05/2022", "Resolved"],
            ["Pneumonia, unspecified organism", "10/18/2022", "10/30/2022", "Resolved"],
            ["Multifocal motor neuropathy", "03/14/2012", "", "Active"]]
    write_csv(EVENTS / "problem_list.csv", rows)
    expect_events("problem_list.csv", [("other", D(2012, 3, 14), None),
                                       ("infection", D(2022, 10, 18), D(2022, 10, 30)),
                                       ("fever", D(2022, 11, 2), D(2022, 11, 5))])


def ev_range_in_cell() -> None:
    rows = [["When", "What"], ["2022-10-18 to 2022-10-25", "Influenza A"], ["2022-11-20", "ED visit"]]
    write_csv(EVENTS / "range_in_cell.csv", rows)
    expect_events("range_in_cell.csv", [("infection", D(2022, 10, 18), D(2022, 10, 25)),
                                        ("other", D(2022, 11, 20), None)])


def ev_unknown_headings() -> None:
    """Headings no vocabulary knows: the date and the description are found by content."""
    rows = [["Tag", "Geschehen", "Art"],
            [D(2022, 10, 18), "Bronchitis", "Infekt"],
            [D(2022, 12, 1), "Temperatur 38,4", "Fieber"]]
    xlsx(EVENTS / "unknown_headings.xlsx", [("Tabelle1", rows)])
    expect_events("unknown_headings.xlsx", [("infection", D(2022, 10, 18), None), ("fever", D(2022, 12, 1), None)])


def ev_long_preamble() -> None:
    """A ward's event log printed with its letterhead and a legend of 32 lines above the table:
    the headings are below the rows Nadir searches, so the user says the header row (33)."""
    rows = [["St. Elsewhere Hospital, Neurology day unit"], ["Event log, printed 2023-01-09"]]
    rows += [[f"Legend {k}: see the ward handbook, section {k}"] for k in range(1, 31)]
    rows += [["Date", "Event", "Type"], ["2022-10-18", "Pneumonia", "Infection"],
             ["2022-12-01", "Temperature 38.6", "Fever"]]
    write_csv(EVENTS / "long_preamble.csv", rows)
    expect_events("long_preamble.csv", [("infection", D(2022, 10, 18), None), ("fever", D(2022, 12, 1), None)],
                  options={"header_row": 33})


def ev_fhir_condition() -> None:
    """FHIR Condition resources flattened to CSV: onset and abatement instants, a category that
    names no event type, a neutropenia whose cause (chemotherapy) is no medication given."""
    rows = [["id", "clinicalStatus.coding.code", "category.coding.code", "code.coding.code", "code.text",
             "onsetDateTime", "abatementDateTime"],
            ["c1", "active", "problem-list-item", "C83.30", "Diffuse large B-cell lymphoma",
             "2022-06-02T00:00:00+02:00", ""],
            ["c2", "resolved", "encounter-diagnosis", "J18.9", "Pneumonia, unspecified organism",
             "2022-10-18T00:00:00+02:00", "2022-10-28T00:00:00+02:00"],
            ["c3", "resolved", "encounter-diagnosis", "D70.1", "Agranulocytosis secondary to cancer chemotherapy",
             "2022-11-08T00:00:00+01:00", "2022-11-12T00:00:00+01:00"]]
    write_csv(EVENTS / "fhir_condition.csv", rows)
    expect_events("fhir_condition.csv", [("other", D(2022, 6, 2), None),
                                         ("infection", D(2022, 10, 18), D(2022, 10, 28)),
                                         ("other", D(2022, 11, 8), D(2022, 11, 12))])


def ev_encounters() -> None:
    """An encounter list: admission and discharge dates, the encounter type as the category."""
    rows = [["Contact Date", "Encounter Type", "Primary Diagnosis", "Discharge Date"],
            ["10/18/2022", "Hospital Encounter", "Community acquired pneumonia", "10/24/2022"],
            ["12/01/2022", "Office Visit", "Fever", ""]]
    write_csv(EVENTS / "encounters.csv", rows)
    expect_events("encounters.csv", [("hospitalisation", D(2022, 10, 18), D(2022, 10, 24)),
                                     ("fever", D(2022, 12, 1), None)])


def ev_diagnosen_de() -> None:
    """A German diagnoses list below a title block: shingles, a neutropenia after chemotherapy,
    a G-CSF dose under the category of treatments."""
    rows = [["Diagnosen und Ereignisse"], [], ["Datum von", "Datum bis", "Diagnosetext", "Art"],
            [D(2022, 10, 3), D(2022, 10, 17), "Gürtelrose thorakal", ""],
            [D(2022, 11, 8), None, "Neutropenie nach Chemotherapie", ""],
            [D(2022, 11, 9), None, "Filgrastim 30 Mio. E s.c.", "Therapie"]]
    xlsx(EVENTS / "diagnosen_de.xlsx", [("Diagnosen", rows)])
    expect_events("diagnosen_de.xlsx", [("infection", D(2022, 10, 3), D(2022, 10, 17)),
                                        ("other", D(2022, 11, 8), None), ("gcsf", D(2022, 11, 9), None)])


def ev_episodes_nl() -> None:
    """Dutch episodes (HiX style): shingles as "Gordelroos", a G-CSF start."""
    rows = [["Startdatum", "Einddatum", "Omschrijving"], ["03-10-2022", "", "Gordelroos"],
            ["21-11-2022", "", "Start filgrastim (Zarzio)"]]
    write_csv(EVENTS / "episodes_nl.csv", rows, delimiter=";")
    expect_events("episodes_nl.csv", [("infection", D(2022, 10, 3), None), ("gcsf", D(2022, 11, 21), None)])


def ev_month_names() -> None:
    """Italian and Dutch dates with month names ("20 ottobre 2022", "15-mei-2023")."""
    write_csv(EVENTS / "mesi_it.csv", [["Data", "Evento"], ["18 ottobre 2022", "Polmonite"],
                                       ["1 dicembre 2022", "Febbre 38,5"]], delimiter=";")
    expect_events("mesi_it.csv", [("infection", D(2022, 10, 18), None), ("fever", D(2022, 12, 1), None)])
    write_csv(EVENTS / "maanden_nl.csv", [["Datum", "Omschrijving"], ["18-okt-2022", "Longontsteking"],
                                          ["15-mei-2023", "Koorts"], ["3-mrt-2023", "Opname hematologie"]],
              delimiter=";")
    expect_events("maanden_nl.csv", [("infection", D(2022, 10, 18), None),
                                     ("hospitalisation", D(2023, 3, 3), None), ("fever", D(2023, 5, 15), None)])


def ev_ed_visits() -> None:
    """Emergency-department visits: the chief complaint is the event, the disposition is not."""
    rows = [["Arrival Date/Time", "Chief Complaint", "Disposition"],
            ["10/18/2022 18:42", "Fever, cough", "Admitted"], ["12/01/2022 22:05", "Fever", "Discharged"]]
    write_csv(EVENTS / "ed_visits.csv", rows)
    expect_events("ed_visits.csv", [("fever", D(2022, 10, 18, 18, 42), None), ("fever", D(2022, 12, 1, 22, 5), None)])


def ev_temperatures() -> None:
    """Clinic notes that give a fever as a temperature reading, not as a word."""
    rows = [["Date", "Note"], ["2022-10-18", "T 38.9, blood cultures taken"], ["2022-11-02", "Temp. 39,1 °C abends"],
            ["2022-11-20", "T 37.2, well"]]
    write_csv(EVENTS / "temperatures.csv", rows)
    expect_events("temperatures.csv", [("fever", D(2022, 10, 18), None), ("fever", D(2022, 11, 2), None),
                                       ("other", D(2022, 11, 20), None)])


def ev_du_au_fr() -> None:
    """A French ward's events sheet: the range as "Du" and "Au" (from, to), cp1252, semicolons."""
    rows = [["Du", "Au", "Événement", "Catégorie"],
            ["18/10/2022", "24/10/2022", "Pneumopathie communautaire", "Infection"],
            ["03/11/2022", "", "Vaccin antigrippal (Vaxigrip)", "Vaccination"],
            ["20/11/2022", "23/11/2022", "Hospitalisation pour bilan", "Hospitalisation"]]
    write_csv(EVENTS / "du_au_fr.csv", rows, delimiter=";", encoding="cp1252")
    expect_events("du_au_fr.csv", [("infection", D(2022, 10, 18), D(2022, 10, 24)),
                                   ("medication", D(2022, 11, 3), None),
                                   ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23))])


def ev_zeitraum_de() -> None:
    """A German letter's list of events: a "Zeitraum" (period) column holding single dates and
    ranges with an en dash ("12.10.2022–18.10.2022"), no type column."""
    rows = [["Zeitraum", "Ereignis"],
            ["12.10.2022–18.10.2022", "Harnwegsinfektion (E. coli)"],
            ["02.11.2022", "Grippeschutzimpfung"],
            ["20.11.2022 – 23.11.2022", "stationärer Aufenthalt"],
            ["06.12.2022", "Fieber 38,9 °C"]]
    xlsx(EVENTS / "zeitraum_de.xlsx", [("Verlauf", rows)])
    expect_events("zeitraum_de.xlsx", [("infection", D(2022, 10, 12), D(2022, 10, 18)),
                                       ("medication", D(2022, 11, 2), None),
                                       ("hospitalisation", D(2022, 11, 20), D(2022, 11, 23)),
                                       ("fever", D(2022, 12, 6), None)])


def ev_start_duration() -> None:
    """Events with only a start and a duration, in words ("3 days", "2 d", "1 week") in English and
    German ("3 Tage", "1 Woche"), or a number under "Durée (jours)": "3 days" from a date are that day
    and the two after it; one day is that day alone."""
    rows = [["Start", "Duration", "Event", "Type"],
            ["2022-09-20", "3 days", "Upper respiratory infection", "Infection"],
            ["2022-10-03", "2 d", "Fever", "Fever"], ["2022-11-14", "1 week", "Filgrastim", "G-CSF"]]
    write_csv(EVENTS / "start_duration.csv", rows)
    expect_events("start_duration.csv", [("infection", D(2022, 9, 20), D(2022, 9, 22)),
                                         ("fever", D(2022, 10, 3), D(2022, 10, 4)),
                                         ("gcsf", D(2022, 11, 14), D(2022, 11, 20))])
    rows = [["Beginn", "Dauer", "Ereignis"], ["20.09.2022", "3 Tage", "Harnwegsinfekt"],
            ["14.11.2022", "1 Woche", "stationäre Aufnahme"]]
    write_csv(EVENTS / "dauer_de.csv", rows, delimiter=";", encoding="cp1252")
    expect_events("dauer_de.csv", [("infection", D(2022, 9, 20), D(2022, 9, 22)),
                                   ("hospitalisation", D(2022, 11, 14), D(2022, 11, 20))])
    rows = [["Date de début", "Durée (jours)", "Événement"], ["20/09/2022", "3", "Pneumopathie"],
            ["03/10/2022", "1", "Fièvre"]]
    write_csv(EVENTS / "duree_fr.csv", rows, delimiter=";")
    expect_events("duree_fr.csv", [("infection", D(2022, 9, 20), D(2022, 9, 22)), ("fever", D(2022, 10, 3), None)])


def ev_duration_abbreviated() -> None:
    """A French list with the duration abbreviated ("3 j", "2 sem"), and a Spanish one with a start,
    a "Duración" in days and the CIE-10 code (the Spanish ICD-10) beside the description."""
    rows = [["Date", "Durée", "Motif"], ["20/09/2022", "3 j", "Bronchite"], ["14/11/2022", "2 sem", "Hospitalisation"]]
    write_csv(EVENTS / "duree_abregee_fr.csv", rows, delimiter=";")
    expect_events("duree_abregee_fr.csv", [("infection", D(2022, 9, 20), D(2022, 9, 22)),
                                           ("hospitalisation", D(2022, 11, 14), D(2022, 11, 27))])
    rows = [["Fecha inicio", "Duración", "Descripción", "CIE-10"],
            ["20/09/2022", "5 días", "Infección respiratoria", "J06.9"], ["14/10/2022", "1 día", "Fiebre", "R50.9"]]
    write_csv(EVENTS / "cie10_duracion_es.csv", rows, delimiter=";")
    expect_events("cie10_duracion_es.csv", [("infection", D(2022, 9, 20), D(2022, 9, 24)),
                                            ("fever", D(2022, 10, 14), None)])


def ev_icd_codes() -> None:
    """Events whose category is an ICD-10 code: a clinic's list with codes under "ICD-10" and notes
    that name no type (J06.9 and U07.1 infections, Z23 a vaccination, R50.9 a fever), and a German
    hospital's stays (ICD-10-GM "Hauptdiagnose" beside its "Diagnosetext", "Entlassdatum")."""
    rows = [["Date", "ICD-10", "Note"], ["2022-09-20", "J06.9", "seen in clinic"],
            ["2022-10-03", "U07.1", "positive PCR"],
            ["2022-11-01", "Z23", "flu shot"], ["2022-11-20", "R50.9", "temp 39.1"]]
    write_csv(EVENTS / "icd10_codes.csv", rows)
    expect_events("icd10_codes.csv", [("infection", D(2022, 9, 20), None), ("infection", D(2022, 10, 3), None),
                                      ("medication", D(2022, 11, 1), None), ("fever", D(2022, 11, 20), None)])
    rows = [["Aufnahmedatum", "Entlassdatum", "Hauptdiagnose", "Diagnosetext"],
            ["20.09.2022", "24.09.2022", "J18.9", "Pneumonie, nicht näher bezeichnet"],
            ["15.11.2022", "16.11.2022", "D70.1", "Arzneimittelinduzierte Agranulozytose"]]
    write_csv(EVENTS / "icd10gm_stays_de.csv", rows, delimiter=";", encoding="cp1252")
    expect_events("icd10gm_stays_de.csv", [("infection", D(2022, 9, 20), D(2022, 9, 24)),
                                           ("other", D(2022, 11, 15), D(2022, 11, 16))])


def ev_abbreviations() -> None:
    """A clinic's own list of events in the abbreviations clinicians write: URTI, C. diff, a flu
    shot (a vaccine, no infection), a biosimilar G-CSF by brand (Zarzio)."""
    rows = [["Date", "Event"], ["2022-10-18", "URTI"], ["2022-11-03", "Flu shot"], ["2022-11-10", "Zarzio 30 MU sc"],
            ["2022-11-20", "C. diff colitis"]]
    write_csv(EVENTS / "abbreviations.csv", rows)
    expect_events("abbreviations.csv", [("infection", D(2022, 10, 18), None), ("medication", D(2022, 11, 3), None),
                                        ("gcsf", D(2022, 11, 10), None), ("infection", D(2022, 11, 20), None)])


EVENT_LAYOUTS = [ev_simple, ev_title_xlsx, ev_de_category, ev_de_compounds, ev_fr, ev_es, ev_it, ev_nl,
                 ev_incidental_words, ev_problem_list, ev_range_in_cell, ev_unknown_headings, ev_long_preamble,
                 ev_fhir_condition, ev_encounters, ev_diagnosen_de, ev_episodes_nl, ev_month_names, ev_ed_visits,
                 ev_temperatures, ev_du_au_fr, ev_zeitraum_de, ev_abbreviations, ev_start_duration, ev_icd_codes,
                 ev_duration_abbreviated]


def main() -> None:
    for folder in (TREAT, EVENTS):
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    for make in TREATMENT:
        make()
    for make in EVENT_LAYOUTS:
        make()
    (TREAT / "expected.json").write_text(json.dumps(EXPECTED, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (EVENTS / "expected.json").write_text(json.dumps(EXPECTED_EVENTS, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    print(f"{len(EXPECTED)} treatment records in {TREAT}, {len(EXPECTED_EVENTS)} events tables in {EVENTS}")


if __name__ == "__main__":
    main()
