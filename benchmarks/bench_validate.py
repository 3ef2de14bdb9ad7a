"""Benchmark 2: validating the 10,000-source package, ours against frictionless.

Both run in the same benchmark on the same files: `eaeu-facts validate` and `frictionless
validate`, on the package as built and on a copy with one corruption both can see (a trade
row's flow set to a value outside its enum, hashes fixed, from the mutation suite's
tampering helpers). tests/test_synthetic.py shows at small N that both reject the same
corruptions, so the ratio compares like with like.
"""

from __future__ import annotations

import shutil
import sys

from common import (
    BIN,
    REPO,
    WORK,
    cli,
    corpus,
    measure,
    profile,
    seconds,
    table,
    write_section,
)

N = 10_000
TARGET = 10.0
# Runs of each validator on the package as built, taken in turn, so that a busy moment of
# the machine falls on both; their medians are compared.
REPEATS = 3


def main() -> None:
    root = corpus(N)
    if not (root / "datapackage" / "datapackage.json").exists():
        run = measure(cli("build", "--root", str(root)))
        if run.code:
            sys.exit(run.stderr)
    tampered = _tampered(root)
    rows, ratios = [], {}
    cases = (("as built", root / "datapackage", REPEATS), ("one enum broken", tampered, 1))
    for label, package, repeats in cases:
        descriptor = str(package / "datapackage.json")
        ours_cmd = cli("validate", descriptor, "--root", str(root))
        theirs_cmd = [str(BIN / "frictionless"), "validate", descriptor]
        mine, others = [], []
        for _ in range(repeats):
            mine.append(measure(ours_cmd, sample=False))
            others.append(measure(theirs_cmd, sample=False))
        ours, theirs = _median(mine), _median(others)
        ratios[label] = theirs.wall / ours.wall
        # Memory from one more run of each, sampled (see common.measure).
        ours.peak_mib = measure(ours_cmd).peak_mib  # type: ignore[attr-defined]
        theirs.peak_mib = measure(theirs_cmd).peak_mib  # type: ignore[attr-defined]
        rows.append(
            [
                label,
                _cell(ours),
                _cell(theirs),
                "same" if (ours.code == 0) == (theirs.code == 0) else "**differ**",
                f"{ratios[label]:.1f}×",
            ]
        )
    header = ["package", "eaeu-facts validate", "frictionless validate", "verdicts", "speed-up"]
    met = ratios["as built"] >= TARGET
    verdict = (
        f"- met: at least {TARGET:.0f}× faster with the same verdict ({ratios['as built']:.1f}×)"
        if met
        else f"- **missed**: at least {TARGET:.0f}× faster ({ratios['as built']:.1f}×, "
        f"{1 - ratios['as built'] / TARGET:.0%} short)"
    )
    text = [
        f"## 2. Validation of the {N:,}-source package",
        "",
        "Wall time, CPU time, peak memory (PSS) and exit code of each validator; on the "
        f"package as built, the run of median wall time of {REPEATS} runs of each, taken in "
        "turn. Times are taken without sampling memory, which would slow the process it "
        "samples, and peak memory in one more run of each. A package with a problem takes "
        "our row-by-row checks, which locate each problem in its file and line; a sound one "
        "is proven sound by whole-column checks first (fastcheck.py).",
        "",
        table(header, rows),
        "",
        verdict,
    ]
    if not met:
        from pathlib import Path

        from eaeu_facts.package import verify_package

        descriptor = Path(root) / "datapackage" / "datapackage.json"
        text += ["", "Profile of `verify_package` on the package as built:", ""]
        text.append(profile(lambda: verify_package(descriptor, Path(root))))
    write_section("validate", "\n".join(text))
    shutil.rmtree(tampered.parent, ignore_errors=True)


def _median(runs: list[object]) -> object:
    """The run of median wall time (the middle one of an odd number)."""
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]  # type: ignore[attr-defined]


def _cell(run: object) -> str:
    verdict = "valid" if run.code == 0 else "invalid"  # type: ignore[attr-defined]
    return (
        f"{seconds(run.wall)} (CPU {seconds(run.cpu)}, "  # type: ignore[attr-defined]
        f"{run.peak_mib:,.0f} MiB), {verdict}"  # type: ignore[attr-defined]
    )


def _tampered(root: object) -> object:
    sys.path.insert(0, str(REPO))
    from tests.tampering import change_rows

    target = WORK / "validate-tampered" / "datapackage"
    shutil.rmtree(target.parent, ignore_errors=True)
    shutil.copytree(root / "datapackage", target)  # type: ignore[operator]
    change_rows(target, "trade", lambda rows: rows[1].update(flow="barter"))
    return target


if __name__ == "__main__":
    main()
