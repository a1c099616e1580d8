"""``commune.tally`` is a library in its own right: no Django, nothing else of commune, no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import commune.tally

TALLY = Path(commune.tally.__file__).parent
ALLOWED_ROOTS = {"commune", "numpy"} | set(sys.stdlib_module_names)


def test_importing_the_tally_does_not_import_django() -> None:
    """A fresh interpreter imports every tally module without loading Django."""
    modules = sorted(f"commune.tally.{p.stem}" for p in TALLY.glob("*.py") if p.stem != "__init__")
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'config')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(TALLY.parent.parent)})


def test_tally_sources_import_only_the_stdlib_numpy_and_themselves() -> None:
    """Every import in commune/tally is the standard library, numpy or commune.tally itself."""
    for path in TALLY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                root = name.split(".")[0]
                assert root in ALLOWED_ROOTS, f"{path.name} imports {name}"
                if root == "commune":
                    assert name.startswith("commune.tally"), f"{path.name} imports {name}"


def test_tally_sources_use_no_clock_and_no_global_random_state() -> None:
    """No wall clock and no module-level random functions: ties use an explicit seeded generator."""
    forbidden = (
        "time.time(",
        "datetime.now(",
        "random.random(",
        "random.choice(",
        "random.shuffle(",
        "random.seed(",
        "np.random.seed(",
        "numpy.random.seed(",
    )
    for path in TALLY.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in forbidden:
            assert needle not in text, f"{path.name} uses {needle}"


def test_the_counting_core_loads_no_rendering() -> None:
    """Tables and charts live outside the core (``commune.tallyviz``): counting loads neither them nor a plotter."""
    code = (
        "import sys, commune.tally, commune.tally.export\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('commune.tallyviz', 'matplotlib', 'commune.cli')))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(TALLY.parent.parent)})
