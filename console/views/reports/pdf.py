"""PDF output of a report: QTextDocument laid out on A4 pages of a QPdfWriter (QtGui only).

Pages are painted one by one so that each gets its header and footer (classification, page
number) and, in an exercise session, the "EXERCICE / EXERCISE" mark in the header, the footer and
as a diagonal watermark.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from console.models.reports.template import CLASSIFICATION, EXERCISE_MARK

DPI = 96  # document units are CSS pixels; images and fonts scale with it
MARGIN_X, HEADER, FOOTER = 48, 56, 48


def write_pdf(html: str, images: dict[str, QImage], path: Path, *, title: str,
              exercise: bool, landscape: bool = False) -> int:
    """Write the PDF (atomically, via a .part file); returns the number of pages. Wide tables
    (a roster's week) ask for `landscape` pages."""
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(DPI)
    writer.setTitle(title)
    writer.setCreator("console")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape if landscape
                                     else QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    page = writer.pageLayout().fullRectPixels(DPI)
    content = QSizeF(page.width() - 2 * MARGIN_X, page.height() - HEADER - FOOTER)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    for name, image in images.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setPageSize(content)
    doc.setHtml(html)
    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            if exercise:
                _watermark(painter, page.width(), page.height())
            painter.save()
            painter.translate(MARGIN_X, HEADER - index * content.height())
            doc.drawContents(painter, QRectF(0, index * content.height(),
                                             content.width(), content.height()))
            painter.restore()
            _header_footer(painter, page.width(), page.height(), index + 1, pages, title,
                           exercise)
    finally:
        painter.end()
    tmp.replace(path)
    return pages


def _header_footer(painter: QPainter, width: float, height: float, number: int, total: int,
                   title: str, exercise: bool) -> None:
    painter.save()
    small = QFont("DejaVu Sans", 7)
    painter.setFont(small)
    painter.setPen(QColor("#a50e0e"))
    painter.drawText(QRectF(MARGIN_X, 14, width - 2 * MARGIN_X, 16),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, CLASSIFICATION)
    painter.setPen(QColor("#444"))
    painter.drawText(QRectF(MARGIN_X, 14, width - 2 * MARGIN_X, 16),
                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, title)
    painter.drawText(QRectF(MARGIN_X, height - 30, width - 2 * MARGIN_X, 16),
                     Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                     f"page {number} / {total}")
    if exercise:
        band = QFont("DejaVu Sans", 10, QFont.Weight.Bold)
        painter.setFont(band)
        for top in (30, height - 32):
            rect = QRectF(width / 2 - 110, top, 220, 18)
            painter.fillRect(rect, QColor("#6a1b9a"))
            painter.setPen(QColor("#ffffff"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, EXERCISE_MARK)
    painter.restore()


def _watermark(painter: QPainter, width: float, height: float) -> None:
    painter.save()
    painter.translate(width / 2, height / 2)
    painter.rotate(-35)
    painter.setFont(QFont("DejaVu Sans", 48, QFont.Weight.Bold))
    colour = QColor("#6a1b9a")
    colour.setAlpha(40)
    painter.setPen(colour)
    painter.drawText(QRectF(-450, -60, 900, 120), Qt.AlignmentFlag.AlignCenter, EXERCISE_MARK)
    painter.restore()
