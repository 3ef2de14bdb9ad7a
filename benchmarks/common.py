"""What every benchmark shares: the machine, measured commands, corpora and results.md.

A command is measured as a child process: wall time, CPU time (user + system of the whole
process tree) and peak memory, taken as the largest sum of proportional set sizes (PSS) of the
process and its workers sampled every 50 ms, so pages the workers share with their parent
count once. Each benchmark writes its own section of results.md, between markers, so they can
be run one at a time or all together (`make bench`).
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results.md"
BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("EAEU_FACTS_BENCH_DIR", "/tmp/eaeu-facts-bench"))
SEED = 20250131
PACKAGES = ("pyarrow", "duckdb", "pandas", "pandera", "frictionless", "PyYAML", "click")


@dataclass
class Run:
    """One measured command."""

    wall: float
    cpu: float
    peak_mib: float
    code: int
    stderr: str
    stdout: str = ""


def measure(command: list[str], cwd: Path | None = None, sample: bool = True) -> Run:
    """Run a command and measure it; its output is kept for the verdict.

    With `sample` False, memory is not sampled: reading /proc/PID/smaps_rollup every 50 ms
    costs the measured process time on two cores, the more the more memory it maps, so the
    timed runs of a comparison leave it out (and peak_mib is 0).
    """
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_pss_kib(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=watch, daemon=True)
    if sample:
        sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    if sample:
        sampler.join()
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return Run(wall, cpu, peak[0] / 1024, process.returncode, stderr, stdout)


def _tree_pss_kib(pid: int) -> int:
    """PSS of a process and all its descendants, in KiB (0 once it has exited)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            text = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, AttributeError, ValueError):
            continue
    return total


def cli(*args: str) -> list[str]:
    return [str(BIN / "eaeu-facts"), *args]


def release(commit: str) -> Path:
    """The code of an earlier commit of this repository, checked out under WORK once (a git
    worktree), so that a benchmark can measure it beside the current code as a peer."""
    tree = WORK / f"release-{commit}"
    if not (tree / "src").is_dir():
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=True)
        command = ["git", "worktree", "add", "--detach", str(tree), commit]
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return tree


def release_cli(tree: Path, *args: str) -> list[str]:
    """`eaeu-facts ARGS` run from an earlier commit's code (see release), in this venv."""
    code = (
        f"import sys; sys.path.insert(0, {str(tree / 'src')!r}); "
        "from eaeu_facts.cli import main; main()"
    )
    return [str(BIN / "python"), "-c", code, *args]


def release_corpus(tree: Path, n: int) -> Path:
    """The synthetic project of n sources as an earlier commit's own generator wrote it, in
    its schemas: a peer builds what it was made for (the same sources, without what later
    commits added to the model)."""
    root = WORK / f"{tree.name}-corpus-{n}-{SEED}"
    marker = root / ".generated"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        code = (
            f"import sys; sys.path.insert(0, {str(tree / 'src')!r}); "
            "from pathlib import Path; from eaeu_facts.synthetic import generate; "
            f"generate(Path({str(root)!r}), {n}, {SEED})"
        )
        subprocess.run([str(BIN / "python"), "-c", code], cwd=tree, check=True)
        marker.write_text("ok\n", encoding="utf-8")
    return root


def corpus(n: int) -> Path:
    """The synthetic project of n sources under WORK, generated once per seed and n, and
    again whenever the generator, the schemas or the countries change."""
    import hashlib

    from synthetic import generate

    inputs = [HERE / "synthetic.py", *sorted((REPO / "schemas").glob("*.yaml"))]
    inputs.append(REPO / "seeds" / "reference" / "countries.yaml")
    made_from = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()
    root = WORK / f"corpus-{n}-{SEED}"
    marker = root / ".generated"
    if not marker.exists() or marker.read_text(encoding="utf-8").strip() != made_from:
        shutil.rmtree(root, ignore_errors=True)
        generate(root, n, SEED)
        marker.write_text(made_from + "\n", encoding="utf-8")
    return root


def clear_build(root: Path) -> None:
    """Remove the package and the cache, so the next build is a full one."""
    for name in ("datapackage", ".cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def rows_of(root: Path) -> int:
    """Data rows in the built package's CSV files."""
    total = 0
    for path in (root / "datapackage" / "csv").glob("*.csv"):
        with path.open("rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total


def profile(call: object, limit: int = 14) -> str:
    """cProfile's top entries by cumulative time for one call, as a fenced block."""
    profiler = cProfile.Profile()
    profiler.enable()
    call()  # type: ignore[operator]
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(limit)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "```\n" + "\n".join(lines[start:]) + "\n```"


def phases(call: object, steps: list[tuple[object, str, str]]) -> str:
    """Wall time of each step of one call, found by wrapping the functions that do them
    (steps run in other threads, such as the DuckDB load, are timed where they run)."""
    spent: dict[str, float] = {}
    saved = []
    for module, name, label in steps:
        original = getattr(module, name)
        saved.append((module, name, original))

        def timed(
            *args: object, _f: object = original, _label: str = label, **kw: object
        ) -> object:
            start = time.perf_counter()
            try:
                return _f(*args, **kw)  # type: ignore[operator]
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - start

        setattr(module, name, timed)
    start = time.perf_counter()
    try:
        call()  # type: ignore[operator]
    finally:
        total = time.perf_counter() - start
        for module, name, original in saved:
            setattr(module, name, original)
    rows = [[label, seconds(spent.get(label, 0.0))] for _, _, label in steps]
    return table(["step", "wall"], [*rows, ["whole build", seconds(total)]])


def machine() -> str:
    """The machine and software the numbers were taken on."""
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"- CPU: {os.cpu_count()} × {model} (nproc {len(os.sched_getaffinity(0))})\n"
        f"- Memory: {memory}\n"
        f"- OS: {platform.system()} {platform.release()}\n"
        f"- Python {platform.python_version()}; {versions}\n"
        f"- eaeu-facts {_version('eaeu-facts')} at commit {commit or '?'} (plus working tree)\n"
        f"- Taken {time.strftime('%Y-%m-%d %H:%M %Z')}; synthetic corpus seed {SEED}"
    )


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def table(header: list[str], rows: list[list[object]]) -> str:
    """A Markdown table."""
    cells = [[str(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def write_section(name: str, text: str) -> None:
    """Replace this benchmark's section of results.md (and the machine description)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else _skeleton()
    current = _replace(current, "machine", machine())
    current = _replace(current, name, text.strip())
    RESULTS.write_text(current, encoding="utf-8")
    print(text.strip(), flush=True)


def _replace(document: str, name: str, text: str) -> str:
    begin, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{begin}\n{text}\n{end}"
    if begin in document:
        return re.sub(
            re.escape(begin) + r".*?" + re.escape(end), lambda _: block, document, flags=re.S
        )
    return document.rstrip("\n") + "\n\n" + block + "\n"


def _skeleton() -> str:
    return (
        "# Benchmarks\n\n"
        "Written by `make bench` (benchmarks/run.py); each section by its own script. "
        "Numbers are from one run on the machine below; the synthetic corpora are written by "
        "`benchmarks/synthetic.py` with a fixed seed.\n\n"
        "<!-- machine -->\n<!-- /machine -->\n\n<!-- summary -->\n<!-- /summary -->\n"
    )


def seconds(value: float) -> str:
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"
