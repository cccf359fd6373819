"""Situation reports: data gathering, charts, map snapshot, HTML templates and PDF output."""
