"""The top frames of py-spy's collapsed stacks (var/bench/profile-*.txt, written by
`benchmarks.common.profiled` under BENCH_PROFILE=1): where the samples are, by the frame running
(self) and by every frame on the stack (inclusive), as shares of all samples.
Usage: python -m benchmarks.profile_summary var/bench/profile-claims.txt [--top 15] [--match ipops]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::\d+)?\)$")


def short(frame: str) -> str:
    """`function (path/to/module.py)` with the path from site-packages or the repository on."""
    m = _FRAME.match(frame)
    if not m:
        return frame
    path = re.sub(r"^.*?(site-packages|python3\.\d+|/work/main)/", "", m["file"])
    return f"{m['func']} ({path})"


def summarise(path: Path, top: int, match: str | None) -> list[str]:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [short(f) for f in stack.split(";")]
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    out = [f"{path.name}: {total} samples"]
    for title, counter in (("self", own), ("inclusive", inclusive)):
        out.append(f"  by {title}:")
        rows = [(f, n) for f, n in counter.most_common() if not match or match in f][:top]
        out += [f"    {n / max(total, 1):6.1%}  {f}" for f, n in rows]
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--match", default=None, help="only frames whose text contains this")
    args = parser.parse_args()
    for p in args.paths:
        print("\n".join(summarise(p, args.top, args.match)))
