"""Building a situation report end to end: data, charts, map, HTML and PDF, with progress.

Needs a Q(Gui)Application for the images and the PDF; `ensure_application()` makes an offscreen
one for the command line. The same function serves the GUI dialog and `console report`.
"""
from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from console.models.reports.data import ReportData, ReportRequest
from console.models.store import LocalStore

Progress = Callable[[int, int, str], None]  # (step, steps, what is being done)
STEPS = 6


@dataclass
class ReportResult:
    pdf: Path | None
    html: Path | None
    pages: int
    data: ReportData
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def ensure_application():  # noqa: ANN201 - returns the Qt application instance
    """pyqtgraph needs a QApplication; headless runs get the offscreen platform."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg

    return pg.mkQApp("console-report")


def png_data_uri(image: QImage) -> str:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; Qt wants str
    buffer.close()
    return "data:image/png;base64," + base64.b64encode(data.data()).decode("ascii")


def report_images(data: ReportData) -> tuple[dict[str, QImage], str]:
    """The charts and the map of a report, and the map's caption (GUI thread: pyqtgraph)."""
    from console.views.reports.charts import activity_chart, severity_chart, venue_chart
    from console.views.reports.mapsnap import map_snapshot

    images = {"activity": activity_chart(data), "severity": severity_chart(data),
              "venue": venue_chart(data)}
    images["map"], caption = map_snapshot(data)
    return images, caption


def write_html(data: ReportData, images: dict[str, QImage], caption: str, html_path: Path,
               template_text: str | None = None) -> None:
    from console.models.reports.template import render_html

    html = render_html(data, {k: png_data_uri(v) for k, v in images.items()}, caption,
                       template_text=template_text)
    tmp = html_path.with_name(html_path.name + ".part")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(html_path)


def write_report_pdf(data: ReportData, images: dict[str, QImage], caption: str,
                     request: ReportRequest, pdf_path: Path,
                     template_text: str | None = None) -> int:
    """Write the PDF; returns its page count."""
    from console.models.reports.template import render_html
    from console.views.reports.pdf import write_pdf

    names = {k: f"report-image:{k}.png" for k in images}
    html = render_html(data, names, caption, template_text=template_text)
    return write_pdf(html, {names[k]: v for k, v in images.items()}, pdf_path,
                     title=request.heading(), exercise=request.exercise)


def build_report(store: LocalStore, request: ReportRequest, pdf_path: Path | None,
                 html_path: Path | None = None, progress: Progress | None = None,
                 now: datetime | None = None, template_text: str | None = None) -> ReportResult:
    """Write the PDF and/or the HTML of a report in one go (the command line); raises
    ValueError on a bad request. The dialog runs the same steps through the operation runner."""
    from console.models.reports.reads import report_data

    if pdf_path is None and html_path is None:
        raise ValueError("nothing to write: give a PDF and/or an HTML path")
    request.validate()
    report = progress or (lambda step, steps, label: None)
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        timings[name] = round(time.perf_counter() - since, 3)
        return time.perf_counter()

    report(1, STEPS, "figures")
    t = time.perf_counter()
    data = report_data(store, request, now=now)
    t = lap("collect", t)
    report(2, STEPS, "charts")
    images, caption = report_images(data)
    t = lap("charts+map", t)
    report(4, STEPS, "layout")
    pages = 0
    if html_path is not None:
        write_html(data, images, caption, html_path, template_text)
        t = lap("html", t)
    if pdf_path is not None:
        report(5, STEPS, "PDF")
        pages = write_report_pdf(data, images, caption, request, pdf_path, template_text)
        t = lap("pdf", t)
    report(STEPS, STEPS, "done")
    return ReportResult(pdf=pdf_path, html=html_path, pages=pages, data=data,
                        seconds=round(time.perf_counter() - started, 3), timings=timings)
