"""Time `driftsblik demo --no-serve` (the whole demo build) a few times and print the median.

    python bench/demo_build.py [--runs 3] [--cores 2] [-- extra demo options]

Each run builds into a fresh DRIFTSBLIK_VAR_DIR in a temporary folder (SQLite), so the
working directory's database is never touched; set DATABASE_URL to time PostgreSQL instead
(that database is erased). With --cores N the runs are pinned to N cores with `taskset`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="number of builds (default 3)")
    parser.add_argument("--cores", type=int, default=2, help="pin to this many cores with taskset (0: no pinning)")
    parser.add_argument("extra", nargs="*", help="extra options for `driftsblik demo`")
    args = parser.parse_args()

    driftsblik = shutil.which("driftsblik", path=str(Path(sys.executable).parent)) or "driftsblik"
    command = [driftsblik, "demo", "--no-serve", "--force", *args.extra]
    if args.cores and shutil.which("taskset"):
        command = ["taskset", "-c", ",".join(str(c) for c in range(args.cores)), *command]
    times = []
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="driftsblik-demo-bench-") as var_dir:
            env = {**os.environ, "DRIFTSBLIK_VAR_DIR": var_dir}
            started = time.perf_counter()
            result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
        if result.returncode:
            sys.stderr.write(result.stdout + result.stderr)
            sys.exit(f"run {run} failed with exit code {result.returncode}")
        times.append(elapsed)
        summary = next((line for line in result.stdout.splitlines() if line.startswith("Demo built")), "")
        print(f"run {run}: {elapsed:.1f} s  {summary}")
    print(f"command: {' '.join(command)}")
    median = statistics.median(times)
    print(f"median of {len(times)} runs: {median:.1f} s (min {min(times):.1f} s, max {max(times):.1f} s)")


if __name__ == "__main__":
    main()
