"""The event log (main courante): writing entries and follow-ups, querying them. No Qt."""
