"""A Case: one patient's labs, infusions and events, the analysis window and the rules.

Everything the GUI, the command line and the exports show is derived from a Case, so it is an
immutable value: a change (another window, an added event, a value excluded) makes a new Case
with :func:`dataclasses.replace` and the derived results (ANC series, courses, cycles, summary)
are computed again on first use. Caching them on the instance keeps repeated redraws cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.rules.cycles import CycleRules, build_cycles, cycles_table, point_roles  # noqa: F401 (re-exported)
from analysis.rules.cycles import anc_points, cycle_draws, mark_infections
from analysis.errors import ChoiceRequired, InputError
from analysis.importing.settings import LabImportSettings
from analysis.treatment.events import read_events
from analysis.treatment.medications import MedicationImport, group_courses, read_administrations
from analysis.treatment.settings import EventImportSettings, InfusionImportSettings
from analysis.model import ANC, Administration, Course, Cycle, Event, LabImport, Summary
from analysis.numbers import LabNumbers, lab_decimals
from analysis.rules.exclusions import Exclusion, excluded_mask  # noqa: F401 (Exclusion re-exported)
from analysis.rules.stats import summarise


@dataclass(frozen=True)
class ImportSettings:
    """How each file of a case was read: what a project stores and replays on reopening.

    None for the infusions when they were typed in, for the events when there is no table.
    """

    labs: LabImportSettings = LabImportSettings()
    infusions: InfusionImportSettings | None = None
    events: EventImportSettings | None = None


@dataclass(frozen=True, eq=False)
class Case:
    labs: LabImport
    administrations: tuple[Administration, ...] = ()
    events: tuple[Event, ...] = ()
    window: tuple[date | None, date | None] = (None, None)
    rules: CycleRules = field(default_factory=CycleRules)
    exclusions: tuple[Exclusion, ...] = ()
    # What reading the MAR export reported (skipped rows, warnings, products found), for the
    # import assistant; None when the administrations were entered by hand.
    medication_import: MedicationImport | None = None
    # How the events table was read (None: no table, or events entered by hand).
    event_settings: EventImportSettings | None = None

    # cached_property stores into the instance __dict__ directly, which a frozen dataclass allows;
    # replace() builds a fresh instance, so a changed Case never sees stale results; evolve()
    # hands on only the results that do not depend on the changed fields.

    @cached_property
    def anc(self) -> pd.DataFrame:
        """The ANC rows of the labs, in time order, minus the user's exclusions."""
        series = self.labs.series(ANC)
        if not self.exclusions or series.empty:
            return series
        return series[~excluded_mask(series, self.exclusions)].reset_index(drop=True)

    @cached_property
    def courses(self) -> list[Course]:
        return group_courses(self.administrations, self.rules.course_gap_hours)

    @cached_property
    def _points(self) -> list:
        return anc_points(self.anc)

    @cached_property
    def _cycle_draws(self) -> list[Cycle]:
        """The cycles before rule 8 (infection events): what an added event leaves as it was."""
        return cycle_draws(self._points, self.courses, self.window, self.rules)

    @cached_property
    def cycles(self) -> list[Cycle]:
        return mark_infections(self._cycle_draws, self.events, self.rules)

    @cached_property
    def summary(self) -> Summary:
        return summarise(self.cycles)

    @cached_property
    def decimals(self) -> int:
        """The decimals the lab reports the ANC with (analysis.numbers.lab_decimals), from its
        own results; counts Nadir derived (WBC x neutrophil %) only when there are no others."""
        series = self.labs.series(ANC)
        if "derived" in series.columns and not series["derived"].all():
            series = series[~series["derived"].astype(bool)]
        texts = series["text"].tolist() if "text" in series.columns else ()
        return lab_decimals(series["value"].tolist(), texts)

    @property
    def numbers(self) -> LabNumbers:
        """How this case prints its lab values: the figure, tables, legend and reports use it."""
        return LabNumbers(self.decimals)

    @cached_property
    def roles(self) -> pd.Series:
        """Figure roles of the ANC draws ("pre", "post", "infection", "other"), aligned with ``anc``."""
        return point_roles(self.anc, self.cycles, self.events)

    @property
    def import_settings(self) -> ImportSettings:
        """The settings that read this case's files again as they were read."""
        meds = self.medication_import
        return ImportSettings(
            labs=self.labs.settings if self.labs.settings is not None else LabImportSettings(),
            infusions=meds.settings if meds is not None else None,
            events=self.event_settings,
        )

    def effective_window(self) -> tuple[date | None, date | None]:
        """The analysis window as it applies: the user's dates where given, else the first and
        last cycle's infusion date, else the first and last ANC draw (None: no data at all).
        The one rule the Cycles panel, the chart's overview and the report all show."""
        lo, hi = self.window
        if lo is not None and hi is not None:
            return lo, hi
        cycles = self.cycles
        anc = self.anc
        if lo is None:
            lo = (cycles[0].start.date() if cycles
                  else anc["time"].min().date() if not anc.empty else None)
        if hi is None:
            hi = (cycles[-1].start.date() if cycles
                  else anc["time"].max().date() if not anc.empty else None)
        return lo, hi

    def table(self) -> pd.DataFrame:
        return cycles_table(self.cycles)

    def exclusion_notes(self) -> list[str]:
        """One sentence per value the user excluded, placed by cycle and day (not by calendar date
        or file, which identify a patient), with the reason: for the legend, methods and tables."""
        if not self.exclusions:
            return []
        series = self.labs.series(ANC)
        notes = []
        for x in self.exclusions:
            hits = series[excluded_mask(series, (x,))]
            for row in hits.itertuples(index=False):
                t = row.time.to_pydatetime()
                where = "outside the analysed cycles"
                for c in self.cycles:
                    if c.start <= t < c.end or (c.pre is not None and c.pre.time == t):
                        where = f"cycle {c.number}, day {(t.date() - c.start.date()).days}"
                        break
                censored = row.censored if isinstance(row.censored, str) else ""
                reason = x.reason.strip().rstrip(".") or "no reason given"
                notes.append(f"An ANC value was excluded ({where}: {censored}{row.value:g} x10^3/uL): {reason}.")
        return notes

    def treatment_notes(self) -> list[str]:
        """How the cycle rules apply to the treatment read (a daily drug forms treatment periods)."""
        meds = self.medication_import
        return list(meds.notes) if meds is not None else []

    def fit_warnings(self) -> list[str]:
        """Plain-language warnings when the files do not belong together or do not overlap.

        A lab export of one patient and an infusion record of another, or an infusion record
        that covers other years than the labs, give cycles with no counts in them: the numbers
        would be empty or wrong without anything saying why.
        """
        warnings = []
        meds = self.medication_import
        lab_id, med_id = self.labs.patient, getattr(meds, "patient", None)
        if lab_id and med_id and _id_key(lab_id) != _id_key(med_id):
            warnings.append(
                f"The lab results are for patient {lab_id} but the infusion record is for patient "
                f"{med_id}; check that both files belong to the same patient."
            )
        anc = self.anc
        if self.administrations and not anc.empty:
            first, last = anc["time"].min(), anc["time"].max()
            starts = [a.time for a in self.administrations]
            if max(starts) < first or min(starts) > last:
                warnings.append(
                    f"None of the infusions ({min(starts):%d %b %Y} to {max(starts):%d %b %Y}) falls "
                    f"within the lab results ({first:%d %b %Y} to {last:%d %b %Y})."
                )
        empty = [c.number for c in self.cycles if not c.draws and c.pre is None]
        if empty and len(empty) == len(self.cycles):
            warnings.append("No cycle has a neutrophil count in it.")
        elif empty:
            listed = ", ".join(str(n) for n in empty[:10]) + (" ..." if len(empty) > 10 else "")
            warnings.append(f"Cycle{'s' if len(empty) > 1 else ''} {listed} "
                            f"{'have' if len(empty) > 1 else 'has'} no neutrophil count.")
        return warnings

    def no_cycles_reason(self) -> str:
        """Why the window holds no cycle, in words (for an empty analysis)."""
        if not self.administrations:
            return "there are no infusions to analyse; give an infusion record or enter the infusions"
        starts = sorted(c.start for c in self.courses)
        lo, hi = self.window
        span = f"between {lo or 'the start'} and {hi or 'the end'}" if (lo or hi) else "in the record"
        return (f"no infusion starts {span}; the infusions in the record run from "
                f"{starts[0]:%Y-%m-%d} to {starts[-1]:%Y-%m-%d}")

    # --- immutable updates ----------------------------------------------------------------------

    def evolve(self, **changes) -> "Case":
        """A new Case with ``changes`` (field -> value), keeping the derived results that do not
        depend on the changed fields: an event added to a ten-year record re-marks infection
        cycles instead of sorting 50,000 draws into cycles again."""
        new = replace(self, **changes)
        changed = set(changes)
        for name, depends_on in _DERIVED_FROM.items():
            if name in self.__dict__ and not changed & depends_on:
                new.__dict__[name] = self.__dict__[name]
        return new

    def with_window(self, start: date | None, end: date | None) -> "Case":
        return self.evolve(window=(start, end))

    def with_events(self, events) -> "Case":
        return self.evolve(events=tuple(sorted(events, key=lambda e: (e.start, e.stop))))

    def with_event(self, event: Event) -> "Case":
        return self.with_events((*self.events, event))

    def with_administrations(self, administrations) -> "Case":
        return self.evolve(administrations=tuple(sorted(administrations, key=lambda a: a.time)))

    def with_rules(self, rules: CycleRules) -> "Case":
        return self.evolve(rules=rules)

    def with_exclusions(self, exclusions) -> "Case":
        return self.evolve(exclusions=tuple(exclusions))

    def excluding(self, file: str, row: int, column: str = "", reason: str = "") -> "Case":
        return self.with_exclusions((*self.exclusions, Exclusion(file, row, column, reason)))


# Which Case fields each cached result is computed from (Case.evolve keeps the others).
_DERIVED_FROM = {
    "decimals": {"labs"},
    "anc": {"labs", "exclusions"},
    "_points": {"labs", "exclusions"},
    "courses": {"administrations", "rules"},
    "_cycle_draws": {"labs", "exclusions", "administrations", "window", "rules"},
}


def _id_key(identifier: str) -> str:
    # "E0000001" and "0000001", "00123" and "123": one patient written by two systems.
    digits = re.sub(r"\D", "", identifier)
    return digits.lstrip("0") if digits else identifier.strip().upper()


def load_case(
    labs_path: str | Path,
    infusions_path: str | Path | None = None,
    events_path: str | Path | None = None,
    *,
    window: tuple[date | None, date | None] = (None, None),
    patient: str | None = None,
    product: str | None = None,
    rules: CycleRules = CycleRules(),
    date_order: str | None = None,
    settings: ImportSettings | None = None,
    lab_columns: dict[str, str] | None = None,
    lab_dictionary: str | Path | None = None,
) -> Case:
    """Read the three files of a case and return the Case (errors are InputError/ChoiceRequired).

    ``date_order`` ("MDY"/"DMY"/"YMD") settles text dates that read both ways; the three files
    come from one hospital record, so one order serves all of them. ``settings`` replays the
    saved :class:`ImportSettings` of a project (the keywords override them); the case's
    ``import_settings`` reproduce this read. ``lab_columns`` are lab columns the user names now
    (--lab-column), ``lab_dictionary`` the file that names the lab export's test codes
    (--lab-dictionary; the project records it).

    The patient chosen for the labs (or the only one in them) is used for the infusion record
    too, when that record lists patients.
    """
    from analysis.importing.observations import import_labs  # lazy: the lab importer is the heavy part

    settings = settings or ImportSettings()
    labs = import_labs(labs_path, patient=patient, date_order=date_order, settings=settings.labs,
                       columns=lab_columns, dictionary_file=lab_dictionary)
    administrations: tuple[Administration, ...] = ()
    meds = None
    if infusions_path is not None:
        saved = settings.infusions or InfusionImportSettings()
        who = patient if patient is not None else saved.patient if saved.patient is not None else labs.patient
        try:
            meds = read_administrations(infusions_path, product=product, patient=who, date_order=date_order,
                                        settings=saved)
        except ChoiceRequired:
            raise
        except InputError:
            # The two exports may spell the identifier differently ("E0000001" / "0000001"); when
            # the user did not name a patient, a MAR with a single patient is still usable.
            if patient is not None or saved.patient is not None or who is None:
                raise
            meds = read_administrations(infusions_path, product=product, date_order=date_order, settings=saved)
        administrations = meds.administrations
    events: tuple[Event, ...] = ()
    event_settings = None
    if events_path is not None:
        table = read_events(events_path, date_order=date_order, settings=settings.events)
        events, event_settings = table.events, table.settings
    return Case(labs=labs, administrations=administrations, events=events, window=window,
                rules=rules, medication_import=meds, event_settings=event_settings)
