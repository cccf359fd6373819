"""Vacation planning: shared roster tables, working-time rules, the CP-SAT planner, duty look-ups."""
