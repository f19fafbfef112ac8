"""What must be true before a step runs, and what must be true after it ran."""
