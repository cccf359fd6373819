"""Data exchange with other systems: CAP 1.2 alerts, GeoJSON, KML, CSV (no Qt)."""
