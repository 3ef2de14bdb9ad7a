"""Benchmark 2: validating the 10,000-source package, ours against frictionless.

Both run in the same benchmark on the same files: `eaeu-facts validate` and `frictionless
validate`, on the package as built and on a copy with one corruption both can see (a trade
row's flow set to a value outside its enum, hashes fixed, from the mutation suite's
tampering helpers), whose located line ours must print. tests/test_package.py shows at small
N that both reject the same corruptions, so the ratio compares like with like.
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
# At least this much faster than frictionless on the package as built, and on the package
# with one broken value; at most this much memory in both.
TARGETS = {"as built": 10.0, "one enum broken": 8.0}
MEMORY_LIMIT_MIB = 1024.0
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
    cases = (("as built", root / "datapackage"), ("one enum broken", tampered))
    peaks = {}
    for label, package in cases:
        descriptor = str(package / "datapackage.json")
        ours_cmd = cli("validate", descriptor, "--root", str(root))
        theirs_cmd = [str(BIN / "frictionless"), "validate", descriptor]
        mine, others = [], []
        for _ in range(REPEATS):
            mine.append(measure(ours_cmd, sample=False))
            others.append(measure(theirs_cmd, sample=False))
        ours, theirs = _median(mine), _median(others)
        ratios[label] = theirs.wall / ours.wall
        # Memory from one more run of each, sampled (see common.measure).
        ours.peak_mib = measure(ours_cmd).peak_mib  # type: ignore[attr-defined]
        theirs.peak_mib = measure(theirs_cmd).peak_mib  # type: ignore[attr-defined]
        peaks[label] = ours.peak_mib  # type: ignore[attr-defined]
        if label == "one enum broken" and _LOCATED not in ours.stderr:  # type: ignore[attr-defined]
            sys.exit(f"validate did not locate the broken value: {ours.stderr[:500]}")
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
    verdicts = [_speed(label, ratios[label], target) for label, target in TARGETS.items()]
    verdicts += [_memory(label, peaks[label]) for label in TARGETS]
    text = [
        f"## 2. Validation of the {N:,}-source package",
        "",
        "Wall time, CPU time, peak memory (PSS) and exit code of each validator; on the "
        f"run of median wall time of {REPEATS} runs of each, taken in turn. Times are taken "
        "without sampling memory, which would slow the process it samples, and peak memory "
        "in one more run of each. Both packages go through the same checks (check/), which "
        "locate every problem in its file, line and column; the broken one must print the "
        f"line `{_LOCATED}…`.",
        "",
        table(header, rows),
        "",
        *verdicts,
    ]
    if not all(v.startswith("- met") for v in verdicts):
        from pathlib import Path

        from eaeu_facts.check.package import check_package

        descriptor = Path(root) / "datapackage" / "datapackage.json"
        text += ["", "Profile of `check_package` on the package as built:", ""]
        text.append(profile(lambda: check_package(descriptor, Path(root))))
    write_section("validate", "\n".join(text))
    shutil.rmtree(tampered.parent, ignore_errors=True)


# The start of the line that must locate the broken value (see _tampered).
_LOCATED = "validate-tampered/datapackage/csv/trade.csv:3:4: flow: found 'barter'"


def _speed(label: str, ratio: float, target: float) -> str:
    goal = f"at least {target:.0f}× faster, {label}, with the same verdict"
    if ratio >= target:
        return f"- met: {goal} ({ratio:.1f}×)"
    return f"- **missed**: {goal} ({ratio:.1f}×, {1 - ratio / target:.0%} short)"


def _memory(label: str, peak: float) -> str:
    if peak <= MEMORY_LIMIT_MIB:
        return f"- met: validate in at most 1 GiB, {label} ({peak:,.0f} MiB)"
    return f"- **missed**: validate in at most 1 GiB, {label} ({peak:,.0f} MiB)"


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
    from tests.helpers import change_rows

    target = WORK / "validate-tampered" / "datapackage"
    shutil.rmtree(target.parent, ignore_errors=True)
    shutil.copytree(root / "datapackage", target)  # type: ignore[operator]
    change_rows(target, "trade", lambda rows: rows[1].update(flow="barter"))
    return target


if __name__ == "__main__":
    main()
