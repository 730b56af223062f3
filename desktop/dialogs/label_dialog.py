"""The small edit box a double-click on a chart label opens: the label's text and "Hide"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..screen_fit import fit_window
from .widgets import note


class LabelDialog(QDialog):
    """``result_text()`` and ``hidden()`` after accept. ``original`` is the figure's own wording,
    which "Figure's text" puts back."""

    def __init__(self, parent: QWidget | None, text: str, original: str, *, multiline: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Edit label")
        self.original = original
        if multiline:  # the statistics block: one line a row
            self.editor = QPlainTextEdit(text)
            self.editor.setTabChangesFocus(True)
        else:
            self.editor = QLineEdit(text)
            self.editor.selectAll()
        self.editor.setToolTip("The label as the chart and the exported figure print it.")
        self.hide_box = QCheckBox("Hide this label")
        self.hide_box.setToolTip("Right-click the chart and choose “Show hidden labels” to get it back.")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setText("Figure's text")
        restore.setToolTip(f"Put back “{original.splitlines()[0] if original else ''}”.")
        restore.clicked.connect(self.restore)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.hide_box)
        layout.addWidget(note("Drag the label on the chart to move it; Undo takes any change back."))
        layout.addWidget(buttons)
        fit_window(self, (420, 220 if multiline else 150), (300, 120))

    def restore(self) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(self.original)
        else:
            self.editor.setText(self.original)

    def result_text(self) -> str:
        if isinstance(self.editor, QPlainTextEdit):
            return "\n".join(line.rstrip() for line in self.editor.toPlainText().strip().splitlines())
        return self.editor.text().strip()

    def hidden(self) -> bool:
        return self.hide_box.isChecked()
