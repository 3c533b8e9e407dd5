"""The worked **Example.** of a coding exercise's prompt, read from the bank
file and run against the engine's reference, so the numbers a student reads
are the reference's own.

An example is the first ```python block after "**Example.**": its code lines
build the inputs and call the entry point; its comment lines
`# name → value` state what `name` holds afterwards.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

BANK = Path(__file__).resolve().parents[2] / "exercises" / "bank"
_BLOCK = re.compile(r"\*\*Example\.\*\*.*?```python\n(.*?)```", re.DOTALL)
_CLAIM = re.compile(r"#\s*(\w+)\s*→\s*(.+)")


def prompt_of(bank_file: str, slug: str) -> str:
    data = yaml.safe_load((BANK / bank_file).read_text())
    (entry,) = [item for item in data["coding"] if item["slug"] == slug]
    return str(entry["prompt"])


def check_example(
    bank_file: str, slug: str, entry_point: str, reference: Callable[..., Any]
) -> dict[str, Any]:
    """Run the example with `entry_point` bound to `reference`; assert every
    stated value (rounded as printed, 1e-6) and return the claims checked."""
    match = _BLOCK.search(prompt_of(bank_file, slug))
    assert match, f"{slug}: no **Example.** with a python block in the prompt"
    lines = match.group(1).splitlines()
    code = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    claims = {
        found.group(1): ast.literal_eval(found.group(2).strip())
        for line in lines
        if (found := _CLAIM.match(line.strip()))
    }
    assert claims, f"{slug}: the example states no value"
    namespace: dict[str, Any] = {"np": np, entry_point: reference}
    exec(compile(code, f"<{slug} example>", "exec"), namespace)
    for name, stated in claims.items():
        got = namespace[name]
        if isinstance(got, tuple) and not isinstance(stated, tuple):
            raise AssertionError(
                f"{slug}: {name} is a tuple, the prompt shows {stated}"
            )
        want = np.asarray(stated, dtype=np.float64)
        have = np.asarray(got, dtype=np.float64)
        assert have.shape == want.shape, (name, have.shape, want.shape)
        assert np.allclose(have, want, rtol=0, atol=1e-6), (name, got, stated)
    return claims
