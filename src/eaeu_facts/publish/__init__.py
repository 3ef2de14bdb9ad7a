"""Publishing: the unit cache, writing and verifying the package, the DuckDB database, and the
pipeline that strings them from seeds/ to a published package. (Named for what it does, not
`build/`, the name tools and setuptools give to build output.)"""
