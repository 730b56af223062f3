"""Write treatment records of systems not yet in tests/data/treatment into tests/data/treatment_corpus/.

    uv run python tests/data/make_treatment_corpus.py

A new user's infusion records, tried without editing them, each modelled on what its system or
data model documents:

- MIMIC-IV ``hosp/emar`` (subject_id, emar_id, charttime, medication, event_txt "Administered",
  "Not Given", "Started", "Stopped", scheduletime, storetime) with the dose in emar_detail's
  dose_given / dose_given_unit joined on;
- the OMOP CDM DRUG_EXPOSURE table (drug_source_value, drug_exposure_start_datetime,
  quantity, dose_unit_source_value, route_source_value, verbatim_end_date);
- an Oracle Health (Cerner) Millennium MED_ADMIN_EVENT extract (EVENT_TYPE_CD_DISP
  "Administered"/"Not Given", ORDER_MNEMONIC, ADMIN_START_DT_TM, SCHEDULED_DT_TM,
  ADMIN_DOSAGE, DOSAGE_UNIT_CD_DISP, ADMIN_ROUTE_CD_DISP);
- a VistA BCMA extract with FileMan dates (ACTION DATE/TIME 3220906.093);
- a Swedish/Nordic hospital record in the same shape as the other European ones
  ("Läkemedel", "Administrerad", "Dos", "Enhet", "Status");
- a dispensing cabinet's report in the past tense (BD Pyxis transaction types as reports and
  diversion reconciliations write them: "Removed", "Returned", "Wasted"): a removal with no
  administration charted is the dose, one returned whole is not given, a waste lowers the dose
  (9 vials of 10 g removed, 1 wasted: 80 g);
- cabinet logs whose vials are wasted ("Waste" in an Omnicell report, "Verworfen" in a German one
  that counts vials only): a dose prepared and not given is its whole removal wasted (not given,
  as a return), the waste of a vial of more than the dose lowers it to what was given;
- a cabinet report that counts vials only ("Qty" 8 of "10 GM/100 ML VIAL", no dose, no unit):
  the dose is 8 x 10 g;
- a diversion reconciliation that merges the cabinet's removals with the eMAR's administrations
  ("Removed" at 08:55, "Administered" at 09:30: one dose, at 09:30);
- an Epic Clarity MAR_ADMIN_INFO extract joined to ORDER_MED (LINE numbers within each order,
  the dose in SIG on the New Bag rows only, Rate Change and Stopped rows between);
- a VistA BCMA medication log as the report prints it: external dates with the time after an
  at sign ("SEP 06, 2022@09:30"), the IV bag's statuses INFUSING and COMPLETED, HELD;
- an Oracle Health clinical-event extract whose result status strikes entries ("In Error" beside
  "Auth (Verified)" and "Modified"): a dose charted on the wrong day and struck is no dose;
- a patient's or a clinic's sheet that gives the volume of a brand sold in one strength only
  ("Kiovig", "Volume (mL)" 800: 80 g of a 10 % solution);
- dispensing cabinets' logs in German ("Entnommen", "Zurückgegeben", a "Menge" of 4 "Stk" of
  "Privigen 100 mg/ml 200 ml Durchstechflasche": 4 x 20 g) and Dutch ("Uitgifte", "Teruggave",
  an "Aantal" of 8 "NANOGAM 50MG/ML FLACON 200ML": 8 x 10 g);
- an SAP i.s.h.med-style service export (date and time in two cells, "dokumentiert" and
  "nicht gegeben");
- a Brazilian record (Tasy/MV style: "Situação" "Administrado"/"Não administrado", cp1252,
  semicolons, the vial size in the drug's name) and a Polish one ("Podano"/"Nie podano", cp1250).

IVIG 1 g/kg (80 g, weight 80 kg) every 3 weeks, six doses, as the seed case; each record also
holds a dose not given (to be listed as skipped) and premedication. ``expected.json`` gives the
administrations as written; tests/analysis/test_treatment_corpus.py compares.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "treatment_corpus"
DOSES = [datetime(2022, 9, 6, 9, 30) + timedelta(days=21 * k) for k in range(6)]
HELD = datetime(2022, 10, 4, 9, 30)  # a dose due and not given
EXPECTED: dict[str, dict] = {}


def expect(name: str, *, skipped: int = 1, product: str = "IVIG", **options) -> None:
    """``product``: each administration's drug as Nadir names it, the brand kept ("IVIG (Privigen)")."""
    EXPECTED[name] = {"product": "IVIG", "skipped": skipped, "options": options,
                      "administrations": [[t.isoformat(timespec="minutes"), product, 80.0, "g"] for t in DOSES]}


def write_csv(name: str, rows: list[list], *, delimiter=",", encoding="utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    (OUT / name).write_bytes(buf.getvalue().encode(encoding))


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def mimic_emar() -> None:
    rows = [["subject_id", "hadm_id", "emar_id", "emar_seq", "poe_id", "pharmacy_id", "charttime", "medication",
             "event_txt", "scheduletime", "storetime", "dose_given", "dose_given_unit"]]
    for seq, t in enumerate(sorted([*DOSES, HELD]), start=1):
        held = t == HELD
        rows.append([10001, 2900, f"10001-{seq}", seq, f"10001-{seq + 300}", 55000 + seq,
                     stamp(t - timedelta(minutes=25)), "Acetaminophen", "Administered",
                     stamp(t - timedelta(minutes=30)), stamp(t), 650, "mg"])
        rows.append([10001, 2900, f"10001-{seq}b", seq, f"10001-{seq + 400}", 56000 + seq,
                     stamp(t), "Immune Globulin 10%", "Not Given" if held else "Administered", stamp(t),
                     stamp(t + timedelta(minutes=5)), "" if held else 80, "" if held else "g"])
        if not held:
            rows.append([10001, 2900, f"10001-{seq}c", seq, f"10001-{seq + 400}", 56000 + seq,
                         stamp(t + timedelta(hours=4)), "Immune Globulin 10%", "Stopped", "",
                         stamp(t + timedelta(hours=4, minutes=2)), "", ""])
    write_csv("mimic_emar.csv", rows)
    expect("mimic_emar.csv")


def omop_drug_exposure() -> None:
    rows = [["drug_exposure_id", "person_id", "drug_concept_id", "drug_exposure_start_date",
             "drug_exposure_start_datetime", "drug_exposure_end_datetime", "verbatim_end_date", "quantity",
             "dose_unit_source_value", "route_source_value", "drug_source_value", "stop_reason"]]
    k = 0
    for t in sorted([*DOSES, HELD]):
        k += 1
        rows.append([9000 + k, 77, 0, f"{t:%Y-%m-%d}", stamp(t - timedelta(minutes=20)), "", "", 50,
                     "mg", "oral", "diphenhydramine 50 mg capsule", ""])
        if t == HELD:
            continue  # OMOP holds exposures, not doses not given
        rows.append([9100 + k, 77, 0, f"{t:%Y-%m-%d}", stamp(t), stamp(t + timedelta(hours=4)), f"{t:%Y-%m-%d}", 80,
                     "g", "intravenous", "immune globulin (human) 10% (Gamunex-C) 80 g", ""])
    write_csv("omop_drug_exposure.csv", rows)
    expect("omop_drug_exposure.csv", skipped=0, product="IVIG (Gamunex-C)")


def cerner_med_admin() -> None:
    rows = [["PERSON_ID", "EVENT_ID", "ORDER_MNEMONIC", "EVENT_TYPE_CD_DISP", "SCHEDULED_DT_TM", "ADMIN_START_DT_TM",
             "ADMIN_DOSAGE", "DOSAGE_UNIT_CD_DISP", "ADMIN_ROUTE_CD_DISP", "VERIFIED_DT_TM"]]
    for n, t in enumerate(sorted([*DOSES, HELD])):
        held = t == HELD
        rows.append([18832, 700 + n, "diphenhydrAMINE", "Administered", f"{t:%m/%d/%Y %H:%M}",
                     f"{t - timedelta(minutes=15):%m/%d/%Y %H:%M}", 25, "mg", "IV Push", f"{t:%m/%d/%Y %H:%M}"])
        rows.append([18832, 800 + n, "immune globulin intravenous (Privigen 10%)",
                     "Not Given" if held else "Administered",
                     f"{t - timedelta(minutes=30):%m/%d/%Y %H:%M}", "" if held else f"{t:%m/%d/%Y %H:%M}",
                     "" if held else 80, "gm", "IV", f"{t + timedelta(minutes=40):%m/%d/%Y %H:%M}"])
    write_csv("cerner_med_admin.csv", rows)
    expect("cerner_med_admin.csv", product="IVIG (Privigen)")


def vista_bcma_fileman() -> None:
    rows = [["PATIENT", "ACTION DATE/TIME", "ADMINISTRATION MEDICATION", "ACTION STATUS", "DOSE GIVEN", "UNITS",
             "ROUTE", "SCHEDULED ADMINISTRATION TIME"]]

    def fileman(t: datetime) -> str:
        return f"{t.year - 1700}{t:%m%d}.{t:%H%M}"

    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append(["NADIR,TEST", "" if held else fileman(t), "IMMUNE GLOBULIN 10% INJ", "H" if held else "G",
                     "" if held else 80, "GM", "IV", fileman(t)])
        rows.append(["NADIR,TEST", fileman(t - timedelta(minutes=30)), "ACETAMINOPHEN 325MG TAB", "G", 650, "MG",
                     "PO", fileman(t - timedelta(minutes=30))])
    write_csv("vista_bcma_fileman.csv", rows)
    expect("vista_bcma_fileman.csv")


def lakemedel_se() -> None:
    rows = [["Personnummer", "Läkemedel", "Ordinerad tid", "Administrerad", "Dos", "Enhet", "Administrationsväg",
             "Status"]]
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append(["19660101-0000", "Privigen 100 mg/ml infusionsvätska", f"{t:%Y-%m-%d %H:%M}",
                     "" if held else f"{t:%Y-%m-%d %H:%M}", "" if held else "80", "g", "intravenös",
                     "Ej given" if held else "Given"])
    write_csv("lakemedel_se.csv", rows, delimiter=";")
    expect("lakemedel_se.csv", product="IVIG (Privigen)")


def pyxis_removed() -> None:
    rows = [["Transaction Date", "Station", "Patient Name", "MRN", "Med Description", "Transaction Type", "Qty",
             "Dose", "Dose Unit"]]
    vial = "IMMUNE GLOB (GAMMAGARD LIQ) 10 GM/100 ML VIAL"
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append([f"{t:%m/%d/%Y %I:%M %p}", "INF-CTR-2", "DOE, JANE", "55012", vial, "Removed", 8 if held else 9,
                     80 if held else 90, "g"])
        rows.append([f"{t - timedelta(minutes=5):%m/%d/%Y %I:%M %p}", "INF-CTR-2", "DOE, JANE", "55012",
                     "DIPHENHYDRAMINE 25 MG CAP", "Removed", 1, 25, "mg"])
        if t == HELD:
            rows.append([f"{t + timedelta(hours=2):%m/%d/%Y %I:%M %p}", "INF-CTR-2", "DOE, JANE", "55012", vial,
                         "Returned", 8, 80, "g"])
        else:
            rows.append([f"{t + timedelta(hours=5):%m/%d/%Y %I:%M %p}", "INF-CTR-2", "DOE, JANE", "55012", vial,
                         "Wasted", 1, 10, "g"])
    write_csv("pyxis_removed.csv", rows)
    expect("pyxis_removed.csv", product="IVIG (Gammagard)")


def omnicell_waste() -> None:
    """An Omnicell transaction report: the held dose was issued, prepared and wasted whole (8 of 8
    vials, "febrile, not given"); the others issued 9 vials and wasted the 10 g left over."""
    rows = [["Date/Time", "Patient", "Item", "Transaction", "Qty", "Amount", "Units", "Witness", "Comment"]]
    vial = "Immune globulin (Privigen) 10 g/100 mL vial"
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append([stamp(t), "DOE, JANE", vial, "Issue", 8 if held else 9,
                     80 if held else 90, "g", "", ""])
        rows.append([stamp(t - timedelta(minutes=35)), "DOE, JANE", "Cetirizine 10 mg tab", "Issue", 1, 10, "mg",
                     "", ""])
        rows.append([stamp(t + timedelta(hours=3)), "DOE, JANE", vial, "Waste", 8 if held else 1,
                     80 if held else 10, "g", "RN2", "febrile, not given" if held else "remainder"])
    write_csv("omnicell_waste.csv", rows)
    expect("omnicell_waste.csv", product="IVIG (Privigen)")


def schrank_verworfen_de() -> None:
    """A German cabinet log that counts vials only ("Menge" in "Stk", 20 g each): 5 taken and 1
    "Verworfen" is 80 g; the held dose's 4 vials all "Verworfen" is no dose."""
    rows = [["Zeitpunkt", "Artikel", "Vorgang", "Menge", "Einheit", "Fallnummer"]]
    vial = "Privigen 100 mg/ml 200 ml Durchstechflasche"
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append([f"{t:%d.%m.%Y %H:%M}", vial, "Entnommen", 4 if held else 5, "Stk", "4711"])
        rows.append([f"{t + timedelta(hours=4):%d.%m.%Y %H:%M}", vial, "Verworfen", 4 if held else 1, "Stk", "4711"])
    write_csv("schrank_verworfen_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("schrank_verworfen_de.csv", product="IVIG (Privigen)")


def pyxis_qty_only() -> None:
    rows = [["Transaction Date", "Patient Name", "Med Description", "Transaction Type", "Qty", "User"]]
    vial = "IMMUNE GLOB (GAMMAGARD LIQ) 10 GM/100 ML VIAL"
    for t in sorted([*DOSES, HELD]):
        rows.append([f"{t:%m/%d/%Y %H:%M}", "DOE, JANE", vial, "Remove", 8, "RN1"])
        rows.append([f"{t - timedelta(minutes=5):%m/%d/%Y %H:%M}", "DOE, JANE", "ACETAMINOPHEN 325 MG TAB", "Remove", 2,
                     "RN1"])
        if t == HELD:
            rows.append([f"{t + timedelta(hours=1):%m/%d/%Y %H:%M}", "DOE, JANE", vial, "Return", 8, "RN1"])
    write_csv("pyxis_qty_only.csv", rows)
    expect("pyxis_qty_only.csv", product="IVIG (Gammagard)")


def removed_then_administered() -> None:
    rows = [["Patient ID", "Medication", "Event", "Event Time", "Amount", "Unit", "Source"]]
    for t in sorted([*DOSES, HELD]):
        rows.append(["P-301", "Privigen 10% 80 g", "Removed", stamp(t - timedelta(minutes=35)), 80, "g", "Pyxis"])
        if t == HELD:
            rows.append(["P-301", "Privigen 10% 80 g", "Returned", stamp(t + timedelta(hours=1)), 80, "g", "Pyxis"])
            continue
        rows.append(["P-301", "Privigen 10% 80 g", "Administered", stamp(t), 80, "g", "eMAR"])
    write_csv("removed_then_administered.csv", rows)
    expect("removed_then_administered.csv", product="IVIG (Privigen)")


def clarity_line_sig() -> None:
    rows = [["PAT_MRN_ID", "ORDER_MED_ID", "LINE", "DISPLAY_NAME", "TAKEN_TIME", "SCHEDULED_TIME", "MAR_ACTION_C_NAME",
             "SIG", "DOSE_UNIT_C_NAME", "INFUSION_RATE", "MAR_INF_RATE_UNIT_C_NAME"]]
    name = "immune globulin 10 % (PRIVIGEN) infusion 80 g"
    for n, t in enumerate(sorted([*DOSES, HELD])):
        order = 4400 + n
        if t == HELD:
            rows.append(["E1001", order, 1, name, "", stamp(t), "Held", "", "", "", ""])
            continue
        rows.append(["E1001", order, 1, name, stamp(t), stamp(t - timedelta(minutes=15)), "New Bag", 80, "g", 50,
                     "mL/hr"])
        for line, (minutes, rate) in enumerate(((30, 100), (60, 200), (90, 400)), start=2):
            rows.append(["E1001", order, line, name, stamp(t + timedelta(minutes=minutes)), "", "Rate Change", "", "",
                         rate, "mL/hr"])
        rows.append(["E1001", order, 5, name, stamp(t + timedelta(hours=3)), "", "Stopped", "", "", "", ""])
        premed = stamp(t - timedelta(minutes=30))
        rows.append(["E1001", order + 1000, 1, "acetaminophen (TYLENOL) tablet 650 mg", premed, premed, "Given", 650,
                     "mg", "", ""])
    write_csv("clarity_line_sig.csv", rows)
    expect("clarity_line_sig.csv", product="IVIG (Privigen)")


def cerner_in_error() -> None:
    rows = [["Clinical Event", "Event Date/Time", "Result", "Result Status", "Admin Dose", "Unit", "Route"]]
    ivig = "immune globulin intravenous (Privigen 10%) 80 g IV"
    for n, t in enumerate(sorted([*DOSES, HELD])):
        if t == HELD:
            rows.append([ivig, f"{t:%m/%d/%Y %H:%M}", "Not Given: Patient Refused", "Auth (Verified)", "", "", "IV"])
            continue
        if n == 3:  # charted first on the day before, struck, then charted right
            rows.append([ivig, f"{t - timedelta(days=1):%m/%d/%Y %H:%M}", "Given", "In Error", 80, "g", "IV"])
        rows.append([ivig, f"{t:%m/%d/%Y %H:%M}", "Given", "Modified" if n == 5 else "Auth (Verified)", 80, "g", "IV"])
        premed = f"{t - timedelta(minutes=20):%m/%d/%Y %H:%M}"
        rows.append(["diphenhydrAMINE 25 mg IV", premed, "Given", "Auth (Verified)", 25, "mg", "IV"])
    write_csv("cerner_in_error.csv", rows)
    expect("cerner_in_error.csv", product="IVIG (Privigen)")


def kiovig_volume() -> None:
    rows = [["Date", "Product", "Volume (mL)", "Batch", "Given"]]
    for t in sorted([*DOSES, HELD]):
        rows.append([f"{t:%Y-%m-%d %H:%M}", "Kiovig", "" if t == HELD else 800, "" if t == HELD else "LE12F",
                     "no" if t == HELD else "yes"])
    write_csv("kiovig_volume.csv", rows)
    expect("kiovig_volume.csv", product="IVIG (Kiovig)")


def schrank_de() -> None:
    rows = [["Zeitpunkt", "Artikel", "Vorgang", "Menge", "Einheit", "Patient"]]
    vial = "Privigen 100 mg/ml 200 ml Durchstechflasche"
    for t in sorted([*DOSES, HELD]):
        rows.append([f"{t:%d.%m.%Y %H:%M}", vial, "Entnommen", 4, "Stk", "4711"])
        rows.append([f"{t - timedelta(minutes=10):%d.%m.%Y %H:%M}", "Paracetamol 500 mg Tabl.", "Entnommen", 2, "Stk",
                     "4711"])
        if t == HELD:
            rows.append([f"{t + timedelta(hours=1):%d.%m.%Y %H:%M}", vial, "Zurückgegeben", 4, "Stk", "4711"])
    write_csv("schrank_de.csv", rows, delimiter=";", encoding="cp1252")
    expect("schrank_de.csv", product="IVIG (Privigen)")


def kast_nl() -> None:
    rows = [["Datum/tijd", "Artikel", "Handeling", "Aantal"]]
    vial = "NANOGAM 50MG/ML FLACON 200ML"
    for t in sorted([*DOSES, HELD]):
        rows.append([f"{t:%d-%m-%Y %H:%M}", vial, "Uitgifte", 8])
        if t == HELD:
            rows.append([f"{t + timedelta(hours=1):%d-%m-%Y %H:%M}", vial, "Teruggave", 8])
    write_csv("kast_nl.csv", rows, delimiter=";")
    expect("kast_nl.csv", product="IVIG (Nanogam)")


def ishmed_service() -> None:
    import openpyxl  # the one workbook of this corpus

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["Fall", "Leistungsdatum", "Leistungszeit", "Arzneimittel", "Dosis", "Status"])
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        ws.append(["0012345678", t.date(), f"{t:%H:%M:%S}", "Intratect 100 g/l Infusionslösung",
                   None if held else "80 g", "nicht gegeben" if held else "dokumentiert"])
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_layouts  # the deterministic xlsx writer of the lab layouts

    wb.properties.created = wb.properties.modified = make_layouts.FIXED
    buf = io.BytesIO()
    wb.save(buf)
    (OUT / "ishmed_service.xlsx").write_bytes(make_layouts.repack(buf.getvalue()))
    expect("ishmed_service.xlsx", product="IVIG (Intratect)")


def tasy_ptbr() -> None:
    rows = [["Data/Hora Aplicação", "Medicamento", "Dose", "Unidade", "Via", "Situação", "Justificativa"]]
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append([f"{t:%d/%m/%Y %H:%M}", "IMUNOGLOBULINA HUMANA 5 G FR-AMP (Privigen)", "" if held else "80", "g",
                     "EV", "Não administrado" if held else "Administrado", "Paciente com febre" if held else ""])
    write_csv("tasy_ptbr.csv", rows, delimiter=";", encoding="cp1252")
    expect("tasy_ptbr.csv", product="IVIG (Privigen)")


def podania_pl() -> None:
    rows = [["Data podania", "Lek", "Dawka", "Jednostka", "Droga podania", "Status"]]
    for t in sorted([*DOSES, HELD]):
        held = t == HELD
        rows.append([f"{t:%d.%m.%Y %H:%M}", "Immunoglobulina ludzka normalna (Kiovig 100 mg/ml)", "" if held else "80",
                     "g", "dożylnie", "Nie podano" if held else "Podano"])
    write_csv("podania_pl.csv", rows, delimiter=";", encoding="cp1250")
    expect("podania_pl.csv", product="IVIG (Kiovig)")


def vista_medlog_external() -> None:
    rows = [["Patient", "Action Date/Time", "Medication", "Bag ID", "Action", "Units Given", "Unit", "Nurse"]]

    def vista(t: datetime) -> str:
        return f"{t:%b %d, %Y@%H:%M}".upper()

    who, ivig = "NADIR,TEST (0000)", "IMMUNE GLOBULIN 10% 80GM/800ML"
    for t in sorted([*DOSES, HELD]):
        bag = f"{t:%m%d}V1"
        if t == HELD:
            rows.append([who, vista(t), ivig, bag, "HELD", "", "", "RN,ONE"])
            continue
        premed = vista(t - timedelta(minutes=30))
        rows.append([who, premed, "ACETAMINOPHEN 325MG TAB", "", "GIVEN", 650, "MG", "RN,ONE"])
        rows.append([who, vista(t), ivig, bag, "INFUSING", 80, "GM", "RN,ONE"])
        rows.append([who, vista(t + timedelta(hours=4)), ivig, bag, "COMPLETED", "", "", "RN,ONE"])
    write_csv("vista_medlog_external.csv", rows)
    expect("vista_medlog_external.csv")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for write in (mimic_emar, omop_drug_exposure, cerner_med_admin, vista_bcma_fileman, lakemedel_se, pyxis_removed,
                  removed_then_administered, clarity_line_sig, tasy_ptbr, podania_pl,
                  vista_medlog_external, pyxis_qty_only, omnicell_waste, schrank_verworfen_de, cerner_in_error,
                  kiovig_volume, schrank_de, kast_nl, ishmed_service):
        write()
    (OUT / "expected.json").write_text(json.dumps(EXPECTED, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
