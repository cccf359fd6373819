"""Qt side of the event log: the pane, its table model, the entry form, the detail panel, the filter bar."""
