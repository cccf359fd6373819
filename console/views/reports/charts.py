"""Charts of a report rendered to images with pyqtgraph's ImageExporter (needs a Q*Application).

The plots are never shown: they are laid out off screen at the requested size and exported.
"""
from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtGui import QFont, QImage

from console.models.enums import CATEGORY_COLOURS, SEVERITY_COLOURS, Category, Severity, label
from console.models.reports.data import ReportData
from console.models.reports.wording import word
from console.models.timezones import zone_or_default

SCALE = 2


def _plot(title: str, width: int, height: int) -> pg.PlotItem:
    # The exporter reads the background of the scene's view: a PlotWidget that is never shown.
    widget = pg.PlotWidget(background="w")
    widget.resize(width, height)
    plot = widget.getPlotItem()
    plot.report_widget = widget  # keep the view (and its scene) alive as long as the plot
    # A hidden view never gets its resize event: size the plot item itself.
    plot.setGeometry(0, 0, width, height)
    plot.setTitle(title, color="#222", size="9pt")
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(y=True, alpha=0.25)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen("#444"))
        axis.setTextPen(pg.mkPen("#222"))
    return plot


def _export(plot: pg.PlotItem, width: int) -> QImage:
    # The plot is laid out at its size in the document; the image is rendered at SCALE times
    # that size so that it stays sharp in the PDF.
    plot.layout.activate()  # title and axes are laid out lazily; settle them before rendering
    exporter = ImageExporter(plot)
    exporter.parameters()["width"] = width * SCALE
    exporter.parameters()["background"] = pg.mkColor("w")
    image = exporter.export(toBytes=True)
    return image


def activity_chart(data: ReportData, width: int = 680, height: int = 290) -> QImage:
    series = data.series
    tz = zone_or_default(data.timezone)
    language = data.request.language
    hours = series.step.total_seconds() / 3600
    unit = word("unit_hour", language) if hours == 1 else (
        word("unit_hours", language, n=f"{hours:g}") if hours < 24 else word("unit_day", language))
    plot = _plot(word("chart_activity", language, unit=unit), width, height)
    plot.addLegend(offset=(5, 2), colCount=7, labelTextSize="8pt", labelTextColor="#222",
                   verSpacing=-6)
    n = len(series.starts)
    lows = [0.0] * n
    for category in Category:
        counts = series.by_category.get(category.value, [0] * n)
        plot.addItem(pg.BarGraphItem(x=list(range(n)), y0=lows, height=counts, width=0.8,
                                     brush=CATEGORY_COLOURS[category], pen=pg.mkPen("w", width=0.3),
                                     name=label(category, language)))
        lows = [lo + c for lo, c in zip(lows, counts, strict=True)]
    every = max(1, -(-n // 8))  # at most 8 labels
    fmt = "%d/%m %Hh" if hours < 24 else "%d/%m"
    plot.getAxis("bottom").setTicks([[(i, s.astimezone(tz).strftime(fmt))
                                      for i, s in enumerate(series.starts) if i % every == 0]])
    plot.setXRange(-0.6, n - 0.4, padding=0)
    plot.setYRange(0, max(lows + [1]) * 1.3, padding=0)
    return _export(plot, width)


def severity_chart(data: ReportData, width: int = 335, height: int = 230) -> QImage:
    language = data.request.language
    plot = _plot(word("chart_severity", language), width, height)
    counts = data.figures.open_by_severity
    for severity in Severity:
        plot.addItem(pg.BarGraphItem(x=[int(severity)], height=[counts.get(int(severity), 0)],
                                     width=0.7, brush=SEVERITY_COLOURS[severity]))
    plot.getAxis("bottom").setTicks([[(int(s), label(s, language)) for s in Severity]])
    plot.setXRange(0.4, 4.6, padding=0)
    plot.setYRange(0, max(list(counts.values()) + [1]) * 1.15, padding=0)
    return _export(plot, width)


def _short(name: str, room: int = 26) -> str:
    """A venue's name cut to fit beside its bar ("Stade nautique de Vaires-s…")."""
    return name if len(name) <= room else name[:room - 1].rstrip() + "…"


def venue_chart(data: ReportData, width: int = 335, height: int = 230, top: int = 10) -> QImage:
    language = data.request.language
    plot = _plot(word("chart_venue", language), width, height)
    rows = data.figures.per_venue[:top]
    n = len(rows)
    if rows:
        plot.addItem(pg.BarGraphItem(x0=[0] * n, y=[n - 1 - i for i in range(n)], height=0.7,
                                     width=[r[2] for r in rows], brush="#1a73e8"))
        # Named, not coded: "PA3" means nothing to a prefect's staff.
        axis = plot.getAxis("left")
        axis.setTicks([[(n - 1 - i, _short(r[1])) for i, r in enumerate(rows)]])
        # A hidden plot never widens its axis to the names, and drops a name that overflows.
        axis.setStyle(tickFont=QFont("DejaVu Sans", 7))
        axis.setWidth(int(width * 0.48))
        plot.setYRange(-0.6, n - 0.4, padding=0)
        plot.setXRange(0, max(r[2] for r in rows) * 1.1, padding=0)
    else:
        text = pg.TextItem(word("chart_no_venue", language), color="#555", anchor=(0.5, 0.5))
        plot.addItem(text)
        text.setPos(0.5, 0.5)
    return _export(plot, width)
