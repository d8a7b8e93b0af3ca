"""Shared helpers of the "adding a message is schemas + registry" proof tests: a temporary
copy of codegen/ and schemas/ as codegen's root, codegen run there, and a `venuewire` package
of the repository's runtime/ with that temporary generated/ in place of the repo's."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def workspace(tmp: Path) -> Path:
    """A copy of codegen/ and schemas/ (protoc's environment linked), as codegen's root."""
    root = tmp / "repo"
    root.mkdir()
    shutil.copytree(ROOT / "codegen", root / "codegen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schemas", root / "schemas")
    (root / ".build").symlink_to(ROOT / ".build")
    return root


def changed(fresh: Path, original: Path) -> list[str]:
    """Files added, removed or different in `fresh` compared with `original` (relative paths)."""

    def files(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    new, old = files(fresh), files(original)
    differ = {f for f in new & old if not filecmp.cmp(fresh / f, original / f, shallow=False)}
    return sorted((new - old) | (old - new) | differ)


def codegen(root: Path) -> subprocess.CompletedProcess[str]:
    """`python -m codegen` in the workspace `root` (writes root/generated)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "codegen"], cwd=root, env=env, capture_output=True, text=True, timeout=50, check=False
    )


def overlay(tmp: Path, generated: Path) -> Path:
    """A `venuewire` package of the repository's runtime/ with the temporary generated/; the
    returned folder goes on PYTHONPATH."""
    package = tmp / "src" / "venuewire"
    package.mkdir(parents=True)
    for entry in (ROOT / "runtime").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "generated").symlink_to(generated)
    return tmp / "src"


def run_with(src: Path, cwd: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh interpreter that imports venuewire from `src`."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=40, check=False
    )
