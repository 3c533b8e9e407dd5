"""The engine is pure Python on torch and NumPy: importing it never imports Django."""

import subprocess
import sys

from engine.sandbox.subprocess_runner import PROJECT_ROOT


def test_it_grades_without_importing_django() -> None:
    code = (
        "import sys, engine\n"
        "from engine.specs import all_specs\n"
        "import engine.grader, engine.cli\n"
        "assert all_specs()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)


def test_importing_the_sandbox_loads_no_reference() -> None:
    code = (
        "import sys\n"
        "from engine.sandbox import runtime, wire, subprocess_runner\n"
        "leaked = sorted(m for m in sys.modules if m.startswith(('engine.reference', 'engine.specs')))\n"
        "assert not leaked, leaked\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
