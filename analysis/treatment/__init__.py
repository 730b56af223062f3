"""What was given and what happened: administrations, courses, regimens, events."""
