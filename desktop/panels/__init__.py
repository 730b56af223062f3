"""Docked views of the document: data, cycles, events."""
