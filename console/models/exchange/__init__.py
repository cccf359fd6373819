"""Data exchange with other systems: CAP 1.2 alerts, GeoJSON, KML, CSV (no Qt)."""

# Formats of console.models.exchange.operations.write_export (kept here: the CLI's parser lists
# them without importing the writers and their XML schema).
EXPORT_FORMATS: tuple[str, ...] = ("geojson", "kml", "cap", "csv")
