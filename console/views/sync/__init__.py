"""Qt side of sync: the engine's thread and its status, published as signals."""
