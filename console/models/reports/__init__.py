"""Situation reports and dashboard figures: the data, counted in SQL, and the HTML template. No Qt."""
