"""Building: the unit cache, writing and verifying the package, the DuckDB database, and the
pipeline that strings them from seeds/ to a published package."""
