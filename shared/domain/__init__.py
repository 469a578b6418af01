"""Queue rules as plain Python: no database, no Qt, no I/O."""
