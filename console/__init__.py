"""console: operator console for crisis and event command centres."""
