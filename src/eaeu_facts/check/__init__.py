"""Checking: every table against its pandera schema and the rules across rows and tables,
each written once, returning the offending rows as located findings."""
