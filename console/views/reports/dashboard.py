"""Dashboard pane: live figures of the situation (pyqtgraph charts) and the oversight alarms.

The figures come from `console.models.reports.stats.dashboard_data`, read through the operation
runner, and are recomputed, debounced, when the hub says the log changed, and every minute (the
24-hour window slides, waits grow). A click on a bar turns into an `EventFilter` that becomes the
shared filter of the view state (the log and the map follow it); `filter_requested` says so too.
The centre scope follows the log's filter when that names one centre.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.models.base import utcnow
from console.models.changes import Changes
from console.models.enums import CATEGORY_COLOURS, SEVERITY_COLOURS, Category, Severity
from console.models.eventlog.query import EventFilter
from console.models.eventlog.reads import known_centres
from console.models.reports.reads import dashboard_figures
from console.models.reports.stats import DashboardData, OversightSettings, format_duration
from console.views.eventlog.table_model import severity_label
from console.views.reports.dashboard_widgets import BarChart, Kpi
from console.views.reports.oversight import OversightView
from console.views.shell.context import AppContext

OPEN = {"open", "in_progress"}
REFRESH_DEBOUNCE_MS = 400
REFRESH_PERIOD_MS = 60_000
TOP_N = 10


# console.models.reports.stats.Staffing messages, marked for lupdate (the model has no Qt).
STAFFING_MESSAGES = (QT_TRANSLATE_NOOP("Staffing", "roster not available"),
                     QT_TRANSLATE_NOOP("Staffing", "no published roster covers this moment"))

class DashboardPane(QWidget):
    filter_requested = Signal(object)  # EventFilter for the event log
    refreshed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 now: datetime | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._fixed_now = now  # tests and screenshots pin the clock
        self.settings = OversightSettings()
        self.data: DashboardData | None = None
        self._refreshing = False  # a read is under way
        self._followed_centres: set[str] = set()
        self._stale = False  # something changed during that read: read again when it ends
        top = self._build_top_bar()
        figures = self._build_figures()
        self._build_tabs(figures, top)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(REFRESH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._period = QTimer(self)
        self._period.setInterval(REFRESH_PERIOD_MS)
        self._period.timeout.connect(self.refresh)
        self._period.start()
        context.hub.changed.connect(self.on_changes)
        context.view_state.filter_changed.connect(self._on_shared_filter)
        context.ops.read(lambda: known_centres(context.store), on_done=self._add_centres)
        self.refresh()

    def _build_top_bar(self) -> QHBoxLayout:
        """The exercise banner, the scope, the report and import buttons, the alarm button."""
        self.banner = QLabel()
        self.banner.setObjectName("dashboard_banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()
        self.centre_combo = QComboBox()
        self.centre_combo.setObjectName("dashboard_centre")
        self.centre_combo.addItem(self.tr("All centres"), None)
        self.centre_combo.currentIndexChanged.connect(self.refresh)
        self.alarm_button = QPushButton()
        self.alarm_button.setObjectName("dashboard_alarm")
        self.alarm_button.clicked.connect(self.show_oversight)
        self.report_button = QPushButton(self.tr("Situation report..."))
        self.report_button.setObjectName("open_report_dialog")
        self.report_button.clicked.connect(self.open_report_dialog)
        self.import_button = QPushButton(self.tr("Import..."))
        self.import_button.setObjectName("open_import_dialog")
        self.import_button.clicked.connect(self.open_import_dialog)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Scope:")))
        top.addWidget(self.centre_combo)
        top.addWidget(self.report_button)
        top.addWidget(self.import_button)
        top.addStretch(1)
        return top

    def _build_figures(self) -> QWidget:
        """Two rows of figures and the four charts (clicking a bar filters the log)."""
        self.kpis = {
            "day": Kpi(self.tr("events, last 24 h"), "day"),
            "open": Kpi(self.tr("open events"), "open"),
            "critical": Kpi(self.tr("critical open"), "critical"),
            "ack": Kpi(self.tr("mean time to acknowledge (24 h)"), "ack"),
            "close": Kpi(self.tr("mean time to close (24 h)"), "close"),
            "flagged": Kpi(self.tr("flagged for the authorities (24 h)"), "flagged"),
            "staff": Kpi(self.tr("on duty / required"), "staff"),
        }
        # Two rows of figures: the pane must fit a dock a third of the window wide.
        kpi_row = QGridLayout()
        for index, kpi in enumerate(self.kpis.values()):
            kpi_row.addWidget(kpi, index // 4, index % 4)

        self.hourly_chart = BarChart(self.tr("Events per hour by category, last 24 h"))
        self.hourly_chart.setObjectName("chart_hourly")
        self.hourly_chart.addLegend(offset=(5, 5), labelTextSize="8pt", colCount=4)
        self.severity_chart = BarChart(self.tr("Open events by severity"))
        self.severity_chart.setObjectName("chart_severity")
        self.venue_chart = BarChart(self.tr("Per venue, 24 h"), horizontal=True)
        self.venue_chart.setObjectName("chart_venue")
        self.zone_chart = BarChart(self.tr("Per zone, 24 h"), horizontal=True)
        self.zone_chart.setObjectName("chart_zone")
        self.hourly_chart.bar_clicked.connect(self._hourly_clicked)
        self.severity_chart.bar_clicked.connect(self._severity_clicked)
        self.venue_chart.bar_clicked.connect(self._venue_clicked)
        self.zone_chart.bar_clicked.connect(self._zone_clicked)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.hourly_chart, 0, 0, 1, 3)
        grid.addWidget(self.severity_chart, 1, 0)
        grid.addWidget(self.venue_chart, 1, 1)
        grid.addWidget(self.zone_chart, 1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addLayout(kpi_row)
        figures_layout.addWidget(charts, 1)
        return figures

    def _build_tabs(self, figures: QWidget, top: QHBoxLayout) -> None:
        context = self.context
        self.oversight = OversightView(self.settings)
        self.oversight.settings_changed.connect(self._settings_changed)
        self.oversight.event_activated.connect(
            lambda event_id: context.view_state.select_event(event_id, self))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboard_tabs")
        self.tabs.addTab(figures, self.tr("Figures"))
        self.tabs.addTab(self.oversight, self.tr("Oversight"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.alarm_button)
        layout.addWidget(self.tabs, 1)
        if context.exercise:
            self.banner.setText("EXERCICE / EXERCISE")
            self.banner.setStyleSheet("background: #6a1b9a; color: white; font-weight: bold;"
                                      " padding: 4px;")
            self.banner.show()

    def _add_centres(self, centres: list[str]) -> None:
        for code in centres:
            if self.centre_combo.findData(code) < 0:
                self.centre_combo.addItem(code, code)
        self._follow_centres(self.context.view_state.filter)

    def show_oversight(self) -> None:
        self.tabs.setCurrentWidget(self.oversight)

    def open_report_dialog(self) -> None:
        from console.views.reports.report_dialog import ReportDialog

        dialog = ReportDialog(self.context, self)
        if self.centre:
            dialog.centre.setCurrentIndex(dialog.centre.findData(self.centre))
        dialog.exec()

    def open_import_dialog(self) -> None:
        from console.views.exchange.import_dialog import ImportDialog

        ImportDialog(self.context, self).exec()

    # -- data ------------------------------------------------------------------------------------

    @property
    def centre(self) -> str | None:
        return self.centre_combo.currentData()

    def now(self) -> datetime:
        return self._fixed_now or utcnow()

    def scope(self) -> EventFilter:
        return EventFilter(centres={self.centre} if self.centre else set())

    def _on_shared_filter(self, flt: EventFilter, source: object) -> None:
        if source is not self:
            self._follow_centres(flt)

    def _follow_centres(self, flt: EventFilter) -> None:
        """The figures follow the log's centre: one centre there scopes them, none shows all."""
        if flt.centres == self._followed_centres:
            return  # the log changed something else: the operator's scope here stays
        self._followed_centres = set(flt.centres)
        code = next(iter(flt.centres)) if len(flt.centres) == 1 else None
        index = self.centre_combo.findData(code) if code else 0
        if index >= 0:
            self.centre_combo.setCurrentIndex(index)

    def on_changes(self, changes: Changes, _initiator: object = None) -> None:
        if changes.new_events or changes.events or changes.zones or changes.roster \
                or changes.reference or changes.everything:
            # A burst of writes (an import, a resync) becomes one refresh.
            self._debounce.start()

    def _settings_changed(self, settings: OversightSettings) -> None:
        self.settings = settings
        self._debounce.start()

    def refresh(self) -> None:
        """Read the figures off the GUI thread (debounced); one read at a time."""
        if self._refreshing:
            self._stale = True
            return
        self._refreshing, self._stale = True, False
        store, now, scope, settings = self.context.store, self.now(), self.scope(), self.settings
        centre = self.centre or self.context.actor.centre_code
        self.context.ops.read(lambda: dashboard_figures(store, now, scope, settings, centre),
                              on_done=self._refreshed, on_error=self._refresh_failed)

    def _refreshed(self, data: DashboardData) -> None:
        self._refreshing = False
        if self._stale:
            self.refresh()  # the scope, the settings or the data changed during the read
            return
        self.data = data
        self._show(data)
        self.refreshed.emit()

    def _refresh_failed(self, error: BaseException) -> None:
        self._refreshing = False
        from console.views.shell.operations import error_text

        self.context.ops.error_message.emit(error_text(error))

    # -- drawing ---------------------------------------------------------------------------------

    def _show(self, data: DashboardData) -> None:
        self._show_kpis(data)
        self._show_staffing(data)
        self._show_hourly(data)
        self._show_severities(data)
        self._horizontal(self.venue_chart, [(code, code, n) for code, _name, n in
                                            data.day.per_venue[:TOP_N]], "#1a73e8",
                         self.tr("no event at a venue"))
        self._horizontal(self.zone_chart, [(zid, name, n) for zid, name, n in
                                           data.day.per_zone[:TOP_N]], "#7b1fa2",
                         self.tr("no event in a drawn zone"))
        self._show_oversight(data)

    def _show_kpis(self, data: DashboardData) -> None:
        day = data.day
        self.kpis["day"].set(str(day.total))
        self.kpis["open"].set(str(sum(data.open_by_severity.values())))
        critical = data.open_by_severity.get(4, 0)
        self.kpis["critical"].set(str(critical), SEVERITY_COLOURS[Severity.CRITICAL]
                                  if critical else None)
        self.kpis["ack"].set(format_duration(day.response.mean_ack_s))
        self.kpis["close"].set(format_duration(day.response.mean_close_s))
        self.kpis["flagged"].set(str(day.flagged))

    def _show_staffing(self, data: DashboardData) -> None:
        staff = data.staffing
        if staff.available:
            required = "?" if staff.required is None else str(staff.required)
            short = staff.required is not None and len(staff.on_duty) < staff.required
            self.kpis["staff"].set(f"{len(staff.on_duty)} / {required}",
                                   "#d93025" if short else None)
            self.kpis["staff"].setToolTip("\n".join(staff.on_duty))
            self.kpis["staff"].caption.setText(self.tr("on duty / required"))
        else:
            self.kpis["staff"].set("-")
            # The model's message is English; its known texts are marked in STAFFING_MESSAGES.
            message = QCoreApplication.translate("Staffing", staff.message or "-")
            self.kpis["staff"].setToolTip(message)
            self.kpis["staff"].caption.setText(self.tr("on duty: %1").replace("%1", message))

    def _show_hourly(self, data: DashboardData) -> None:
        """Events per hour over 24 hours, stacked by category, hours in the centre's zone."""
        tz = ZoneInfo(data.timezone)
        chart = self.hourly_chart
        chart.clear_bars()
        positions = list(range(len(data.hourly.hours)))
        lows = [0.0] * len(positions)
        for category in Category:
            counts = data.hourly.by_category.get(category.value, [0] * len(positions))
            highs = [lo + c for lo, c in zip(lows, counts, strict=True)]
            chart.add_bars(positions, lows, highs, [(i, category.value) for i in positions],
                           CATEGORY_COLOURS[category], name=category.value)
            lows = highs
        chart.set_ticks([(i, h.astimezone(tz).strftime("%Hh")) for i, h in
                         enumerate(data.hourly.hours) if i % 2 == 0])
        chart.setXRange(-0.6, len(positions) - 0.4, padding=0)
        chart.setYRange(0, max(lows + [1]) * 1.25, padding=0)

    def _show_severities(self, data: DashboardData) -> None:
        chart = self.severity_chart
        chart.clear_bars()
        for severity in Severity:
            count = data.open_by_severity.get(int(severity), 0)
            chart.add_bars([int(severity)], [0], [count], [int(severity)],
                           SEVERITY_COLOURS[severity])
        chart.set_ticks([(int(s), severity_label(s)) for s in Severity])
        chart.setXRange(0.4, 4.6, padding=0)
        chart.setYRange(0, max(list(data.open_by_severity.values()) + [1]) * 1.1, padding=0)

    def _show_oversight(self, data: DashboardData) -> None:
        self.oversight.show_data(data)
        count = self.oversight.alarm_count()
        if count:
            self.alarm_button.setText("\u26a0 " + self.oversight.summary())
            self.alarm_button.setStyleSheet("color: white; background: #d93025; border: none;"
                                            " font-weight: bold; padding: 4px 10px;")
            self.tabs.setTabText(1, self.tr("Oversight (%1)").replace("%1", str(count)))
        else:
            self.alarm_button.setText("\u2713 " + self.tr("No oversight alarm"))
            self.alarm_button.setStyleSheet("color: #1e8e3e; border: none; font-weight: bold;")
            self.tabs.setTabText(1, self.tr("Oversight"))

    def _horizontal(self, chart: BarChart, rows: list[tuple[object, str, int]], colour: str,
                    empty: str) -> None:
        chart.clear_bars()
        chart.getAxis("bottom").setStyle(showValues=bool(rows))
        chart.showGrid(x=bool(rows), y=False, alpha=0.25)
        # Most loaded at the top: position n-1 is drawn highest.
        n = len(rows)
        positions = [n - 1 - i for i in range(n)]
        if rows:
            chart.add_bars(positions, [0] * n, [r[2] for r in rows], [r[0] for r in rows],
                           colour)
            chart.set_ticks([(p, r[1][:18]) for p, r in zip(positions, rows, strict=True)])
            chart.setYRange(-0.6, n - 0.4, padding=0)
            chart.setXRange(0, max(r[2] for r in rows) * 1.1, padding=0)
        else:
            chart.set_ticks([])
            text = pg.TextItem(empty, color="#777", anchor=(0.5, 0.5))
            chart.addItem(text)
            text.setPos(0.5, 0.5)
            chart.setXRange(0, 1, padding=0)
            chart.setYRange(0, 1, padding=0)

    # -- clicks -> filters -----------------------------------------------------------------------

    def show_in_log(self, flt: EventFilter) -> None:
        """Show these events in the log (and on the map): the shared filter becomes this one."""
        self.context.view_state.set_filter(flt, self)
        self.filter_requested.emit(flt)

    def _hourly_clicked(self, key: object) -> None:
        assert isinstance(key, tuple)  # (hour index, category) of the clicked segment
        index: int = key[0]
        category: str = key[1]
        assert self.data is not None
        start = self.data.hourly.hours[index]
        flt = self.scope()
        flt.time_from, flt.time_to = start, start + timedelta(hours=1)
        flt.categories = {category}
        self.show_in_log(flt)

    def _severity_clicked(self, severity: object) -> None:
        flt = self.scope()
        flt.severities = {int(severity)}  # type: ignore[call-overload]
        flt.statuses = set(OPEN)
        self.show_in_log(flt)

    def _day_scope(self) -> EventFilter:
        flt = self.scope()
        flt.time_from = self.now() - timedelta(hours=24)
        return flt

    def _venue_clicked(self, code: object) -> None:
        flt = self._day_scope()
        flt.venue_code = str(code)
        self.show_in_log(flt)

    def _zone_clicked(self, zone_id: object) -> None:
        flt = self._day_scope()
        flt.zone_id = zone_id if isinstance(zone_id, uuid.UUID) else uuid.UUID(str(zone_id))
        self.show_in_log(flt)
