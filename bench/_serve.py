"""The bench's HTTP server process: Daphne serving config.asgi, with the `bidding` loggers at INFO on
stderr so the bench can count which finalizes read chunks back. `python -m bench._serve PORT`"""

import logging
import sys


def main() -> None:
    port = sys.argv[1]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    bidding = logging.getLogger("bidding")
    bidding.setLevel(logging.INFO)
    bidding.addHandler(handler)
    bidding.propagate = False  # Daphne configures the root logger too: count each line once
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(["-b", "127.0.0.1", "-p", port, "config.asgi:application"])


if __name__ == "__main__":
    main()
