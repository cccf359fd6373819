"""Domain layer: SQLAlchemy models and rules of the console. No Qt widgets here."""
