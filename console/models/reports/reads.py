"""What the dashboard and the report dialog read, each call opening its own session."""
from __future__ import annotations

import uuid
from datetime import datetime

from console.models.eventlog.query import EventFilter, centre_codes
from console.models.reports.data import ReportData, ReportRequest, collect
from console.models.reports.stats import DashboardData, OversightSettings, dashboard_data
from console.models.store import LocalStore


def dashboard_figures(store: LocalStore, now: datetime, scope: EventFilter,
                      settings: OversightSettings, centre_code: str | None) -> DashboardData:
    with store.session() as session:
        return dashboard_data(session, now, scope, settings, centre_code=centre_code)


def report_choices(store: LocalStore) -> tuple[list[str], list[tuple[uuid.UUID, str]]]:
    """The centres and the (id, name) of the zones a report can be scoped to."""
    from console.models.exchange.geo import zones

    with store.session() as session:
        return centre_codes(session), [(z.id, z.name) for z in zones(session)]


def report_data(store: LocalStore, request: ReportRequest,
                now: datetime | None = None) -> ReportData:
    """The figures, series and lists of a situation report (ReportRequest -> ReportData)."""
    with store.session() as session:
        return collect(session, request, now=now)
