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

from console.models.changes import Changes
from console.models.security.admin import UserDirectory
from console.models.security.roles import Role
from console.models.security.signin import SignedIn
from console.views.shell.operations import OperationRunner

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
        # The directory lives in the central database: every call runs off the GUI thread.
        self.ops = OperationRunner(parent=self)
        try:
            self.directory: UserDirectory | None = UserDirectory(session)
        except Exception as error:  # noqa: BLE001
            self.directory = None
            self.message.setText(str(error))
        self.refresh()

    def _refused(self, error: BaseException) -> None:
        self.message.setText(self.tr("Refused: %1").replace("%1", str(error).splitlines()[0]))

    def _do(self, call, done: str = "", then=None) -> bool:  # noqa: ANN001
        """Start one administration call; any refusal is shown, never raised. `then` runs after
        a success. False when there is no directory to call."""
        if self.directory is None:
            return False

        def succeeded(_result) -> None:  # noqa: ANN001
            if done:
                self.message.setText(done)
            if then is not None:
                then()

        self.ops.write(lambda: (call(), Changes()), initiator=self, on_done=succeeded,
                       on_error=self._refused)
        return True

    def refresh(self) -> None:
        if self.directory is None:
            self.model.removeRows(0, self.model.rowCount())
            return
        directory = self.directory
        self.ops.read(directory.users, on_done=self._show_users, on_error=self._refused)

    def _show_users(self, rows: list) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for u in rows:
            items = [QStandardItem(v) for v in (u.username, u.display_name, u.centre_code,
                                                u.roles, "active" if u.active else "disabled")]
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row(), 0).text() if rows else None

    def add(self) -> None:
        if self.directory is not None:
            self.ops.read(self.directory.centres, on_done=self._ask_new_user,
                          on_error=self._refused)

    def _ask_new_user(self, centres: list[str]) -> None:
        directory = self.directory
        assert directory is not None
        dialog = AddUserDialog(centres, directory.online, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        username = dialog.username.text().strip()
        values = (username, dialog.display_name.text(), dialog.centre.currentText(),
                  dialog.role.currentText(), dialog.password.text() or None)
        self._do(lambda: directory.add(*values),
                 self.tr("User %1 created.").replace("%1", username), then=self.refresh)

    def set_active(self, active: bool) -> None:
        user, directory = self.selected(), self.directory
        if user and directory is not None:
            self._do(lambda: directory.set_active(user, active),
                     self.tr("%1 updated.").replace("%1", user), then=self.refresh)

    def grant(self, on: bool) -> None:
        user, role, directory = self.selected(), self.role.currentText(), self.directory
        if user and directory is not None:
            self._do(lambda: directory.grant(user, role, on),
                     self.tr("%1 updated.").replace("%1", user), then=self.refresh)
