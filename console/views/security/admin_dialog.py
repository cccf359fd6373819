"""Administration of users and roles: list, add, disable/enable, grant/revoke (administrators)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.models.security.admin import UserDirectory
from console.models.security.roles import Role
from console.models.security.signin import SignedIn

COLUMNS = ("User", "Name", "Centre", "Roles", "State")


class AddUserDialog(QDialog):
    def __init__(self, centres: list[str], online: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a user"))
        self.username = QLineEdit()
        self.username.setObjectName("add_username")
        self.username.setMaxLength(63)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(200)
        self.centre = QComboBox()
        self.centre.addItems(centres)
        self.role = QComboBox()
        self.role.setObjectName("add_role")
        self.role.addItems([r.value for r in Role])
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("add_password")
        form = QFormLayout(self)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Full name"), self.display_name)
        form.addRow(self.tr("Centre"), self.centre)
        form.addRow(self.tr("Role"), self.role)
        if online:
            form.addRow(self.tr("Initial password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AdminDialog(QDialog):
    def __init__(self, session: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_dialog")
        self.setWindowTitle(self.tr("Users and roles"))
        self.resize(820, 480)
        self.session = session
        self.message = QLabel("")
        self.message.setObjectName("admin_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table = QTableView()
        self.table.setObjectName("admin_users")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.role = QComboBox()
        self.role.addItems([r.value for r in Role])
        buttons = QHBoxLayout()
        for text, slot, name in ((self.tr("Add..."), self.add, "admin_add"),
                                 (self.tr("Disable"), lambda: self.set_active(False), "admin_disable"),
                                 (self.tr("Enable"), lambda: self.set_active(True), "admin_enable")):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.role)
        for text, on in ((self.tr("Grant"), True), (self.tr("Revoke"), False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, on=on: self.grant(on))
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        try:
            self.directory: UserDirectory | None = UserDirectory(session)
        except Exception as error:  # noqa: BLE001
            self.directory = None
            self.message.setText(str(error))
        self.refresh()

    def _do(self, call, done: str = "") -> bool:  # noqa: ANN001
        """Run one administration call; any refusal is shown, never raised."""
        if self.directory is None:
            return False
        try:
            call()
        except Exception as error:  # noqa: BLE001 - the database's or policy's message
            self.message.setText(self.tr("Refused: %1").replace("%1", str(error).splitlines()[0]))
            return False
        if done:
            self.message.setText(done)
        return True

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        rows: list = []
        self._do(lambda: rows.extend(self.directory.users()))  # type: ignore[union-attr]
        for u in rows:
            items = [QStandardItem(v) for v in (u.username, u.display_name, u.centre_code,
                                                u.roles, "active" if u.active else "disabled")]
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row(), 0).text() if rows else None

    def add(self) -> None:
        if self.directory is None:
            return
        dialog = AddUserDialog(self.directory.centres(), self.directory.online, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        username = dialog.username.text().strip()
        if self._do(lambda: self.directory.add(  # type: ignore[union-attr]
                username, dialog.display_name.text(), dialog.centre.currentText(),
                dialog.role.currentText(), dialog.password.text() or None),
                self.tr("User %1 created.").replace("%1", username)):
            self.refresh()

    def set_active(self, active: bool) -> None:
        user = self.selected()
        if user and self._do(lambda: self.directory.set_active(user, active),  # type: ignore[union-attr]
                             self.tr("%1 updated.").replace("%1", user)):
            self.refresh()

    def grant(self, on: bool) -> None:
        user = self.selected()
        role = self.role.currentText()
        if user and self._do(lambda: self.directory.grant(user, role, on),  # type: ignore[union-attr]
                             self.tr("%1 updated.").replace("%1", user)):
            self.refresh()
