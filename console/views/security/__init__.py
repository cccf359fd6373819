"""Qt side of security: sign-in, administration, audit trail."""
