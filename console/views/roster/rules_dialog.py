"""The roster's working-time rule values and each vacation's recorded break, in one dialog.

Everyone may read them; only a shift manager changes them (the model layer refuses anyone else).
Hours are shown as decimal hours to the minute; the values are stored in minutes.
"""
from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.models.roster.rule_settings import LIMITS, MAX_BREAK
from console.models.roster.rules import RuleSettings
from console.views.roster.rule_texts import setting_labels


class RulesDialog(QDialog):
    def __init__(self, settings: RuleSettings, templates: list[Any], editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Working-time rules"))
        self.setObjectName("roster_rules_dialog")
        self._fields: dict[str, tuple[QWidget, str]] = {}
        self._breaks: dict[uuid.UUID, QSpinBox] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Decree 2000-815 art. 3-I; a service working under a derogation "
                               "sets its own values. Rules marked advice block nothing."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rules = QGroupBox(self.tr("Rules of this roster"))
        form = QFormLayout(rules)
        labels = setting_labels()
        for f in fields(settings):
            label, unit = labels[f.name]
            widget = self._editor(f.name, unit, getattr(settings, f.name))
            widget.setEnabled(editable)
            widget.setObjectName(f"rule_{f.name}")
            self._fields[f.name] = (widget, unit)
            form.addRow(label, widget)
        layout.addWidget(rules)
        breaks = QGroupBox(self.tr("Break recorded in each shift"))
        break_form = QFormLayout(breaks)
        for tpl in templates:
            spin = QSpinBox()
            spin.setRange(0, MAX_BREAK)
            spin.setSuffix(" min")
            spin.setValue(tpl.break_minutes or 0)
            spin.setEnabled(editable)
            spin.setObjectName(f"break_{tpl.code}")
            self._breaks[tpl.id] = spin
            break_form.addRow(f"{tpl.code} - {tpl.name}", spin)
        layout.addWidget(breaks)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel
                                   if editable else QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _editor(name: str, unit: str, value: int) -> QWidget:
        low, high = LIMITS[name]
        if unit == "switch":
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if unit == "h":
            hours = QDoubleSpinBox()
            hours.setDecimals(2)
            hours.setSingleStep(0.5)
            hours.setRange(low / 60, high / 60)
            hours.setSuffix(" h")
            hours.setValue(value / 60)
            return hours
        spin = QSpinBox()
        spin.setRange(low, high)
        if unit:
            spin.setSuffix(f" {unit}")
        spin.setValue(value)
        return spin

    def settings(self) -> RuleSettings:
        values = {}
        for name, (widget, _unit) in self._fields.items():
            if isinstance(widget, QCheckBox):
                values[name] = int(widget.isChecked())
            elif isinstance(widget, QDoubleSpinBox):
                values[name] = round(widget.value() * 60)
            elif isinstance(widget, QSpinBox):
                values[name] = widget.value()
        return RuleSettings(**values)

    def breaks(self) -> dict[uuid.UUID, int]:
        return {key: spin.value() for key, spin in self._breaks.items()}
