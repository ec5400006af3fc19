"""`python -m scripts.demo [--gateway URL] [--seed N] [--scale X]`: see `scripts/demo/__init__.py`."""

from __future__ import annotations

import argparse
import os
import sys

from scripts.demo.runner import Options, main


def options(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m scripts.demo", description=__doc__)
    parser.add_argument(
        "--gateway",
        default=os.environ.get("IPOPS_GATEWAY", "http://127.0.0.1:8000"),
        help="the gateway's address (default: make up's, http://127.0.0.1:8000)",
    )
    parser.add_argument("--client-id", default="operator", help="the operator's client id (default: operator)")
    parser.add_argument(
        "--secret",
        default=os.environ.get("IPOPS_OPERATOR_SECRET"),
        help="the operator's client secret (default: var/secrets/operator-client-secret)",
    )
    parser.add_argument("--seed", type=int, default=2019, help="the district's seed (default 2019)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full district (default 1)")
    parser.add_argument("--concurrency", type=int, default=64, help="requests in flight (default 64)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    return Options(
        gateway=args.gateway,
        client_id=args.client_id,
        secret=args.secret,
        seed=args.seed,
        scale=args.scale,
        concurrency=args.concurrency,
        quiet=args.quiet,
    )


if __name__ == "__main__":
    sys.exit(main(options(sys.argv[1:])))
