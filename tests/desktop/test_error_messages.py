"""How the window words an error: the file is named once."""

from __future__ import annotations


def test_an_error_names_the_file_once():
    from analysis.errors import InputError
    from desktop.dialogs.errors import describe

    _, what, _ = describe(InputError("two_patients.xlsx is not a Nadir project file.", "/x/two_patients.xlsx"))
    assert what.count("two_patients.xlsx") == 1
    _, what, _ = describe(InputError("has no dates", "/x/labs.xlsx"))
    assert what.startswith("labs.xlsx has no dates")
