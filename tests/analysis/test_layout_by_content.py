"""Lab tables whose headings Nadir does not know: the columns' roles from what the cells hold."""

from __future__ import annotations

from analysis.importing.observations import import_labs
from analysis.importing.settings import LabImportSettings


def test_a_time_column_the_user_named_is_the_collection_time_without_a_warning(tmp_path):
    path = tmp_path / "probe.csv"
    path.write_text("Probe,Test,Result,Unit\n2022-09-06 08:00,ANC,1.2,10^3/uL\n2022-09-07 08:00,ANC,0.4,10^3/uL\n")
    labs = import_labs(path)
    assert any("dates in column 'Probe' were used" in w for w in labs.warnings)  # found, not named
    named = import_labs(path, columns={"time": "Probe"})
    assert not any("Probe" in w for w in named.warnings)
    assert list(named.observations["value"]) == [1.2, 0.4]
    # The same column replayed from saved settings is Nadir's own finding again: it still says so
    replayed = import_labs(path, settings=LabImportSettings(columns={"time": "Probe"}))
    assert replayed.warnings == labs.warnings
