"""eaeu_facts.connect and eaeu_facts.load: the package from Python, typed by its schema."""

import datetime as dt
import shutil

import duckdb
import pandas as pd
import polars as pl
import pytest

import eaeu_facts
from eaeu_facts.model.paths import DATABASE_FILE
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.serve import api
from tests.helpers import REPO

CATALOG = load_catalog(REPO)
# What users are promised (see `load`), written out rather than read from the code under test.
PANDAS_TYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "object",
}
POLARS_TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
}


def test_connect_opens_the_database_read_only(article):
    with eaeu_facts.connect(article / "datapackage" / DATABASE_FILE) as con:
        assert con.execute("SELECT count(*) FROM quotes_with_speakers").fetchone() == (4,)
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("DELETE FROM quotes")


def test_connect_says_how_to_build_a_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make` or `eaeu-facts build`"):
        eaeu_facts.connect(tmp_path / DATABASE_FILE)


def test_the_default_package_is_this_checkouts():
    assert api.PACKAGE_DIR == REPO / "datapackage"


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_load_gives_the_schema_types(article, table):
    frame = eaeu_facts.load(table.name, package=article / "datapackage")
    assert list(frame.columns) == table.field_names
    for f in table.fields:
        assert frame[f.name].dtype == pd.api.types.pandas_dtype(PANDAS_TYPES[f.type]), f.name
        if f.type == "date":
            assert all(v is None or type(v) is dt.date for v in frame[f.name]), f.name


@pytest.mark.parametrize("table", CATALOG.tables, ids=lambda t: t.name)
def test_load_with_polars_gives_the_schema_types(article, table):
    frame = eaeu_facts.load(table.name, engine="polars", package=article / "datapackage")
    assert frame.columns == table.field_names
    assert frame.dtypes == [POLARS_TYPES[f.type] for f in table.fields]


def test_load_values(article):
    package = article / "datapackage"
    trade = eaeu_facts.load("trade", package=package).set_index("trade_id")
    assert trade.loc["trade-ru-kz-turnover", "amount"] == 27000000000
    assert trade["period_start"].isna().all()
    meetings = eaeu_facts.load("meetings", package=package).set_index("meeting_id")
    assert meetings.loc["mtg-eaeu-intergovernmental-council", "date"] == dt.date(2025, 1, 31)
    quotes = eaeu_facts.load("quotes", package=package)
    assert quotes["has_nested_quotation"].sum() == 1
    polars_trade = eaeu_facts.load("trade", engine="polars", package=package)
    assert polars_trade.filter(pl.col("hedge") == "more_than")["amount"].to_list() == [27000000000]


def test_load_needs_no_database(article, tmp_path):
    package = tmp_path / "datapackage"
    shutil.copytree(article / "datapackage", package)
    (package / DATABASE_FILE).unlink()
    assert len(eaeu_facts.load("quotes", package=package)) == 4


def test_load_reads_the_committed_package_by_default():
    assert len(eaeu_facts.load("quotes")) == len(eaeu_facts.load("quotes", package=api.PACKAGE_DIR))
    assert len(eaeu_facts.load("quotes")) > 0


def test_load_names_the_tables_when_one_is_unknown(article):
    with pytest.raises(KeyError, match=r"expected one of .*'quotes'"):
        eaeu_facts.load("quote", package=article / "datapackage")


def test_load_refuses_an_unknown_engine(article):
    with pytest.raises(ValueError, match="expected 'pandas' or 'polars'"):
        eaeu_facts.load("quotes", engine="spark", package=article / "datapackage")


def test_load_says_how_to_build_a_missing_package(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make` or `eaeu-facts build`"):
        eaeu_facts.load("quotes", package=tmp_path)
