"""`python -m bench` (`make bench`): run every bench/*_bench.py module's main(), each against its own
temporary database, each printing its figures as ratios against a baseline measured in the same run."""

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module.endswith("_bench"):
            print(f"== {module} ==", flush=True)
            importlib.import_module(f"bench.{module}").main()


if __name__ == "__main__":
    main()
