"""Tooling for the course: editions, source validation and the exercise workbook."""

__version__ = "0.2.0"
