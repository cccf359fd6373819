"""Qt widgets of the console: one module per pane, plus its item models. No SQL here."""
