"""The rules as the shift manager sees them: labels in both languages, the rules dialog, advice
in the violation list."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QSpinBox

from console.models.roster.rules import RULES, RuleSettings
from console.views.roster.rule_texts import rule_labels, setting_labels
from console.views.roster.rules_dialog import RulesDialog
from console.views.shell.i18n import install_translators


@pytest.fixture
def french(qapp):
    install_translators(qapp, "fr")
    yield
    install_translators(qapp, "en")


def test_every_rule_has_its_label_in_english_and_french(qapp, french):
    french_labels = rule_labels()
    assert set(french_labels) == set(RULES)
    assert french_labels["average_work"] == "Moyenne hebdomadaire trop élevée"
    assert french_labels["break"] == "Pause manquante"
    install_translators(qapp, "en")
    english = rule_labels()
    assert english == RULES  # the view and the model name each rule the same way
    assert all(french_labels[code] != english[code] for code in RULES)


def test_every_setting_is_in_the_dialog_with_a_french_label(qapp, french):
    labels = setting_labels()
    assert set(labels) == set(RuleSettings.__dataclass_fields__)
    assert labels["rolling_week"][0].startswith("Compter le maximum hebdomadaire")


def test_the_dialog_shows_and_returns_the_values_and_breaks(qtbot):
    template = SimpleNamespace(id=uuid.uuid4(), code="N", name="Nuit", break_minutes=0)
    dialog = RulesDialog(RuleSettings(), [template], editable=True)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QDoubleSpinBox, "rule_max_week_work").value() == 48
    dialog.findChild(QCheckBox, "rule_rolling_week").setChecked(True)
    dialog.findChild(QDoubleSpinBox, "rule_max_average_work").setValue(42.5)
    dialog.findChild(QSpinBox, "rule_max_consecutive_nights").setValue(2)
    dialog.findChild(QSpinBox, "break_N").setValue(20)
    assert dialog.settings() == RuleSettings(rolling_week=1, max_average_work=42 * 60 + 30,
                                             max_consecutive_nights=2)
    assert dialog.breaks() == {template.id: 20}


def test_the_dialog_is_read_only_for_an_operator(qtbot):
    template = SimpleNamespace(id=uuid.uuid4(), code="M", name="Matin", break_minutes=20)
    dialog = RulesDialog(RuleSettings(), [template], editable=False)
    qtbot.addWidget(dialog)
    assert not dialog.findChild(QSpinBox, "break_M").isEnabled()
    assert not dialog.findChild(QCheckBox, "rule_rolling_week").isEnabled()
