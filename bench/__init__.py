"""Trident's benchmark harness: ``make bench`` and ``make bench-profile``."""
