"""`eaeu-facts new`: a source copied in unchanged, its record, a draft the build refuses, and
drafts that a curator confirms unchanged building, article after article, for every drafting
set (tests/fixtures/drafts/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eaeu_facts.cli import main
from eaeu_facts.draft.score import SETS
from eaeu_facts.model.errors import BuildError
from eaeu_facts.publish.pipeline import build
from eaeu_facts.read.candidates import find_candidates
from eaeu_facts.read.evidence import sha256_hex
from tests.helpers import FIGURES, PACKAGE, REPO, copy_built

FIG = "002_fedcba9876543210"
TEXT = FIGURES / "seeds" / "sources" / f"{FIG}.txt"


def _new(root: Path, text: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", str(text), "--root", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_new_copies_the_text_unchanged_under_its_canonical_name(mini: Path) -> None:
    code, output = _new(mini, TEXT)
    assert code == 0, output
    name = f"002_{FIG.split('_')[1]}"  # the next number; the digits it was received under
    copied = mini / "seeds" / "sources" / f"{name}.txt"
    assert copied.read_bytes() == TEXT.read_bytes()
    assert f"wrote seeds/facts/{name}.yaml" in output and "Next:" in output
    record = yaml.safe_load((mini / "seeds" / "sources" / f"{name}.yaml").read_text("utf-8"))
    assert record["sha256"] == sha256_hex(TEXT.read_bytes())
    assert record["source_id"] == f"src-{FIG.split('_')[1]}"
    assert record["language"] == "ar" and record["published_date_basis"] == "open"
    assert record["published_date"] is None


def test_a_name_without_received_digits_takes_the_hash(mini: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    shutil.copyfile(TEXT, article)
    assert _new(mini, article)[0] == 0
    digest = sha256_hex(article.read_bytes())
    assert (mini / "seeds" / "sources" / f"002_{digest[:16]}.txt").is_file()


@pytest.mark.parametrize(
    ("data", "field", "found"),
    [
        (b"\xef\xbb\xbf\xd9\x86\xd8\xb5\n", "encoding", "a byte order mark"),
        (b"\xd9\x86\xd8\xb5\r\n", "line ends", "a carriage return"),
        (b"\xd9\x86\xff\n", "encoding", "byte 0xff"),
    ],
    ids=["bom", "crlf", "not-utf8"],
)
def test_new_refuses_a_text_that_is_not_plain_utf8(
    mini: Path, tmp_path: Path, data: bytes, field: str, found: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(data)
    before = sorted(p.name for p in (mini / "seeds").rglob("*"))
    code, output = _new(mini, article)
    lines = output.splitlines()
    assert code == 1 and len(lines) == 2 and lines[-1] == "1 problem(s)"
    assert lines[0].startswith(f"{article}:1: {field}: found ") and found in lines[0]
    assert sorted(p.name for p in (mini / "seeds").rglob("*")) == before


def test_new_refuses_a_text_it_has_already(mini: Path) -> None:
    assert _new(mini, TEXT)[0] == 0
    code, output = _new(mini, TEXT)
    assert code == 1 and "expected a new source" in output


def test_every_candidate_is_drafted_in_a_row_or_waived_with_a_reason(mini: Path) -> None:
    """The drafter (tests/test_draft.py has its parts) covers everything the finder reads."""
    _new(mini, TEXT)
    facts = yaml.safe_load((mini / "seeds" / "facts" / f"{FIG}.yaml").read_text("utf-8"))
    entries = [e for key, value in facts.items() if key != "source_id" for e in value]
    assert entries and all(e["draft"] is True for e in entries)
    text = TEXT.read_text("utf-8")
    for cand in find_candidates(text):
        covering = [
            e
            for e in entries
            if cand.text in e["evidence"] and e.get("amount", cand.value) == cand.value
        ]
        assert covering, cand
    assert all(w["reason"] for w in facts.get("waivers", []))
    (investment,) = facts["investment"]  # "استثمارات كازاخستان في روسيا": KZ into RU
    assert (investment["investor_country_code"], investment["recipient_country_code"]) == (
        "KZ",
        "RU",
    )
    assert investment["amount"] == 1500000000 and investment["currency_code"] == "USD"
    assert investment["amount_as_printed_ar"] == "١٬٥٠٠ مليون دولار أمريكي"
    (indicator,) = facts["indicators"]
    assert (indicator["value_pct"], indicator["hedge"], indicator["area_country_code"]) == (
        4,
        "about",
        "KZ",
    )
    assert indicator["period_basis"] == "relative"  # "في الربع الأول": no year, no date


def test_a_draft_is_never_published(mini: Path) -> None:
    """One located line per draft entry; the package is not written."""
    _new(mini, TEXT)
    path = mini / "seeds" / "facts" / f"{FIG}.yaml"
    lines = path.read_text("utf-8").split("\n")
    entries = [n for n, line in enumerate(lines, 1) if line.strip() == "- draft: true"]
    with pytest.raises(BuildError) as failure:
        build(mini)
    drafts = [line for line in failure.value.problems.lines() if ": draft: " in line]
    assert drafts == [
        f"seeds/facts/{FIG}.yaml:{n}: draft: found <a draft entry>, expected no drafts: "
        "confirm it by deleting `draft: true`, or delete it"
        for n in entries
    ]
    assert not (mini / PACKAGE).exists()


def test_the_curating_guide_from_new_to_a_build(mini: Path) -> None:
    """The guide's steps: `eaeu-facts new`, then the record and each entry completed and
    confirmed (here: as the committed figures fixture has them), then a build that passes.
    What the drafter drafted is what the curator confirmed, field for field."""
    _new(mini, TEXT)
    drafted = yaml.safe_load((mini / "seeds" / "facts" / f"{FIG}.yaml").read_text("utf-8"))
    curated_path = FIGURES / "seeds" / "facts" / f"{FIG}.yaml"
    curated = yaml.safe_load(curated_path.read_text("utf-8"))
    for table in ("indicators", "investment"):
        (draft,), (final,) = drafted[table], curated[table]
        assert draft["evidence"] in final["evidence"] or final["evidence"] in draft["evidence"]
        shared = set(draft) & set(final) - {"draft", "evidence", "value_as_printed_ar"}
        shared -= {k for k in shared if k.endswith(("_id", "_en", "_as_printed_ar"))}
        assert len(shared) >= 5, table
        assert {k: draft[k] for k in shared} == {k: final[k] for k in shared}, table
    for folder in ("sources", "facts"):
        shutil.copyfile(
            FIGURES / "seeds" / folder / f"{FIG}.yaml", mini / "seeds" / folder / f"{FIG}.yaml"
        )
    build(mini)
    assert (mini / PACKAGE / "datapackage.json").is_file()


# Drafts a curator confirms ------------------------------------------------------------------


def confirm(root: Path, written: list[str]) -> None:
    """What a curator does who confirms every draft unchanged: delete `draft: true`, write the
    English of each quotation, and fill in the record (title, publisher, rights)."""
    _, record_rel, facts_rel = written
    record = yaml.safe_load((root / record_rel).read_text(encoding="utf-8"))
    record.update(
        title_en=record["title_en"] or "A held-out article",
        publisher_organization_id=record["publisher_organization_id"] or "org-tv-brics",
        publisher_en=record["publisher_en"] or "TV BRICS",
        rights_status="publisher-copyright",
        rights_note_en="Invented for the tests.",
    )
    (root / record_rel).write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    facts = yaml.safe_load((root / facts_rel).read_text(encoding="utf-8"))
    for table, rows in facts.items():
        for row in rows if isinstance(rows, list) else ():
            del row["draft"]
            if table == "quotes":
                row["text_en"] = "(the curator's translation)"
    (root / facts_rel).write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("folder", SETS.values(), ids=SETS.keys())
def test_every_held_out_draft_confirmed_unchanged_builds(
    article: Path, tmp_path: Path, folder: Path
) -> None:
    """Article after article, as a curator adds them: each drafted against the package the
    last one left, confirmed, built (from a copy of the seed's project, built once)."""
    root = copy_built(article, tmp_path / "project")
    for text in sorted((REPO / folder).glob("[0-9][0-9]-*.txt")):
        expected = yaml.safe_load(text.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
        published = (expected.get("options") or {}).get("published")
        args = ["--published", str(published)] if published else []
        result = CliRunner().invoke(main, ["new", str(text), "--root", str(root), *args])
        assert result.exit_code == 0, result.output
        written = [line.split()[1] for line in result.output.splitlines()[:3]]
        confirm(root, written)
        outcome = build(root)
        assert outcome.how in ("patched", "full"), text.name
