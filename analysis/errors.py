"""The one exception type the user ever sees.

Every failure a physician can cause (a wrong file, an unreadable date, a file with two patients)
is raised as :class:`InputError` with a sentence that names the file and says what to do. The
command line prints that sentence and exits 2; the GUI shows it in a dialog. Anything else that
escapes is a bug in Nadir, not in the user's data.
"""

from __future__ import annotations

import re
from pathlib import Path

# Characters from a file that must not reach a terminal or a dialog raw: C0 and C1 controls (NUL,
# ESC starting a terminal sequence, CR overwriting the line) and the bidirectional overrides that
# can make a name read backwards. Newline and tab are kept: messages are laid out with them.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every unsafe character shown as an escape (NUL as \\x00)."""
    return _UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class InputError(Exception):
    """A problem with the user's input, explained in plain words.

    ``path`` is the file concerned (only its name is shown, never its folder, which may hold a
    patient's name). ``hint`` says what the user can do about it.
    """

    def __init__(self, message: str, path: str | Path | None = None, hint: str | None = None):
        self.message = printable(str(message))
        self.path = Path(path) if path is not None else None
        self.hint = printable(hint) if hint is not None else None
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.path.name}: {self.message}" if self.path is not None else self.message
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return printable(text)


class ChoiceRequired(InputError):
    """The file is readable but one decision cannot be made for the user.

    ``options`` lists what the user can choose from (patients in a file, sheets, date orders).
    The CLI turns it into "use --patient ..."; the GUI into a choice in the import assistant.
    """

    def __init__(self, message: str, path=None, hint=None, *, kind: str, options: list[str]):
        self.kind = kind
        self.options = list(options)
        super().__init__(message, path, hint)
