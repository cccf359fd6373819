"""The map's domain side, without Qt: page building, GeoJSON, tile cache, zone geometry.

Kept light on import (no folium at import time) because the event log service imports the zone
lookup from here when it tags a new event.
"""
