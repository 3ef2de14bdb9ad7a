"""Reading: the seeds one unit at a time (texts, records, facts, evidence spans, coverage of
the fact finder's candidates), and a published package. Imports the model only."""
