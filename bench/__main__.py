"""Run every benchmark in quick mode, one after another: `.venv/bin/python -m bench [NAME ...]`.

The three core benchmarks run first, in this order: bench.transport --quick (the HTTP transports alone),
bench.echo --quick (a bare echo bot: the baseline), bench.workout_load --quick (the real bot, SQLite and
PostgreSQL). Any other module of this package whose source offers a `--quick` option follows, in
alphabetical order. Each runs in its own process (its own event loop, its output as it comes); NAMEs
select some of them (an unknown NAME is a usage error, exit 2). The exit status is that of the first
benchmark that failed, 0 when all succeeded. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

CORE: tuple[str, ...] = ("transport", "echo", "workout_load")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def discover() -> list[str]:
    """The core benchmarks, then every other module here that has a --quick option."""
    others = sorted(
        path.stem
        for path in HERE.glob("*.py")
        if not path.stem.startswith("_")
        and path.stem not in CORE
        and '"--quick"' in path.read_text(encoding="utf-8")
    )
    return [*CORE, *others]


def run(name: str) -> int:
    """Run `python -m bench.NAME --quick`; return its exit status."""
    print(f"\n===== bench.{name} --quick", flush=True)
    started = time.perf_counter()
    status = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--quick"], cwd=ROOT, check=False
    ).returncode
    print(f"===== bench.{name}: exit {status} after {time.perf_counter() - started:.1f} s", flush=True)
    return status


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all), e.g. echo workout_load")
    args = parser.parse_args()
    available = discover()
    unknown = [name for name in args.names if name not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(available)}")
    statuses = {name: run(name) for name in (args.names or available)}
    print(
        "\n"
        + ", ".join(
            f"bench.{name}: {'ok' if status == 0 else f'exit {status}'}" for name, status in statuses.items()
        )
    )
    failed = [status for status in statuses.values() if status != 0]
    sys.exit(failed[0] if failed else 0)


if __name__ == "__main__":
    main()
