"""The model: the schemas every output is generated from, the one table type, and where
everything lives. Imports nothing of the other stages."""
