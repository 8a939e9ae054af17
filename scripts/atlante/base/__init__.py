"""Helpers that know nothing of the project: problems and their printers, work over the cores, opening hours."""
