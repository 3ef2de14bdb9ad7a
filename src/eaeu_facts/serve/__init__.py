"""Serving the published package: safe SQL over its database, and the Python API."""
