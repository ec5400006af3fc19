"""The size rules of CONTRIBUTING.md, checked: no module over 400 lines and no function over 60
in the applications (`shared/ipops`, `services/*/<package>`, `gateway/gateway`).

Migrations are excluded (static by rule: one revision is as long as its tables), and so are tests
and benchmarks. Run by `make lint`; exits 1 naming each offender.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def application_modules() -> Iterator[Path]:
    """Every Python module of the libraries and apps."""
    roots = [ROOT / "shared" / "ipops", ROOT / "gateway" / "gateway"]
    roots += [p / p.name for p in sorted((ROOT / "services").iterdir()) if (p / p.name).is_dir()]
    for root in roots:
        yield from (p for p in sorted(root.rglob("*.py")) if "migrations" not in p.parts)


def offences(path: Path) -> Iterator[str]:
    """What in `path` breaks a size rule."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(ROOT)
    lines = text.count("\n")
    if lines > MAX_MODULE_LINES:
        yield f"{name}: {lines} lines (at most {MAX_MODULE_LINES})"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = node.end_lineno - start + 1
            if length > MAX_FUNCTION_LINES:
                yield f"{name}:{node.lineno}: {node.name} is {length} lines (at most {MAX_FUNCTION_LINES})"


def main() -> int:
    """Print each offence; 1 if there is any."""
    found = [o for path in application_modules() for o in offences(path)]
    for offence in found:
        print(offence)
    print(f"shape: {len(found)} offence(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
