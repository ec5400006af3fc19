"""The architecture as executable contracts (CONTRIBUTING.md, "Layout of a service"): the import
contracts hold, the size rules hold, and the size checker itself catches what it should.
`make lint` runs the same checks; here they also guard `make test`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import check_shape  # noqa: E402


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_application_module_keeps_the_size_rules() -> None:
    offences = [o for path in check_shape.application_modules() for o in check_shape.offences(path)]
    assert offences == []


def test_the_size_checker_finds_a_long_function_and_a_long_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_shape, "ROOT", tmp_path)
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    long_function = tmp_path / "long_function.py"
    long_function.write_text(f"def too_long() -> None:\n{body}\n", encoding="utf-8")
    long_module = tmp_path / "long_module.py"
    long_module.write_text("\n".join(f"y{i} = {i}" for i in range(401)) + "\n", encoding="utf-8")
    short = tmp_path / "short.py"
    short.write_text("def fine() -> int:\n    return 1\n", encoding="utf-8")

    assert [o.split(":")[-1].strip() for o in check_shape.offences(long_function)] == [
        "too_long is 61 lines (at most 60)"
    ]
    assert list(check_shape.offences(long_module)) == ["long_module.py: 401 lines (at most 400)"]
    assert list(check_shape.offences(short)) == []


def test_every_service_has_the_same_top_level_shape() -> None:
    required = {"__init__.py", "main.py", "config.py", "enums.py", "models.py", "api.py", "domain"}
    for service in ("pledge", "trusteeship", "navigation", "enforcement", "operations"):
        package = ROOT / "services" / service / service
        present = {p.name for p in package.iterdir()}
        assert required <= present, f"{service} lacks {sorted(required - present)}"
        assert "service.py" not in present and "repository.py" not in present and "schemas.py" not in present, (
            f"{service} still has service-wide modules; use cases live in aggregate packages"
        )
