"""How the window writes units: "×10³/µL" where the data keep the ASCII "10^3/uL".

Display only: the observations, the project file and the exports keep the lab's ASCII spelling,
so nothing downstream has to read superscripts.
"""

from __future__ import annotations

_POWERS = {"^3": "³", "^6": "⁶", "^9": "⁹", "^12": "¹²"}


def unit_text(unit) -> str:
    """ "10^3/uL" -> "×10³/µL", "g/dL" unchanged, None/NaN -> ""."""
    if unit is None or (isinstance(unit, float) and unit != unit):
        return ""
    text = str(unit).strip()
    for ascii_power, sup in _POWERS.items():
        text = text.replace("10" + ascii_power, "10" + sup)
    if text.startswith("10") and text[2:3] in "³⁶⁹¹":
        text = "×" + text
    return text.replace("uL", "µL").replace("ul", "µL")


def unit_nowrap(unit) -> str:
    """The unit as one word: never broken after the "/" (U+2060 WORD JOINER around it)."""
    return unit_text(unit).replace("/", "\u2060/\u2060")
