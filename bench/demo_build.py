"""Time `driftsblik demo --no-serve` (the whole demo build) a few times and print the median and peak memory.

    python bench/demo_build.py [--runs 3] [--cores 2] [-- extra demo options, e.g. --scale 10]

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
            output = Path(var_dir) / "output.txt"
            with output.open("w") as sink:
                started = time.perf_counter()
                process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
                _pid, status, usage = os.wait4(process.pid, 0)
                elapsed = time.perf_counter() - started
            text = output.read_text()
        if os.waitstatus_to_exitcode(status):
            sys.stderr.write(text)
            sys.exit(f"run {run} failed with exit code {os.waitstatus_to_exitcode(status)}")
        times.append(elapsed)
        summary = next((line for line in text.splitlines() if line.startswith("Demo built")), "")
        print(f"run {run}: {elapsed:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB  {summary}")
    print(f"command: {' '.join(command)}")
    median = statistics.median(times)
    print(f"median of {len(times)} runs: {median:.1f} s (min {min(times):.1f} s, max {max(times):.1f} s)")


if __name__ == "__main__":
    main()
