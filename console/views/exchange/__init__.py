"""Qt side of imports and exports."""
