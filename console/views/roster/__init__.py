"""Qt side of the vacation planning: the pane, its item models, undoable edits, printing."""
