"""The cycle rules (CYCLE-RULES.md) and the summary statistics."""
