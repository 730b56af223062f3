"""Fuzzing Nadir's inputs: mutated workbooks, projects and command lines (see harness.py)."""
