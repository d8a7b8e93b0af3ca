"""`python -m codegen`: regenerate generated/ from schemas/ (or, with --check, fail on drift).

Everything is built into a temporary folder first; --check compares that folder with
generated/ file by file, the default mode replaces generated/ with it.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

from codegen import jsonschema, protobuf, registry, shapes

ROOT = Path(__file__).resolve().parent.parent

PACKAGE_DOC = '''"""Generated typed classes for every documented venue message. Do not edit.

Rebuilt from schemas/ by `make generate` (codegen/). Protobuf classes for Futu/moomoo
OpenD are under `venuewire.generated.futu`; msgspec Structs for the JSON venues under
`venuewire.generated.<venue>`; the venue fact registry is `venuewire.generated.registry`.
"""
'''


def build(out: Path) -> None:
    config = tomllib.loads((ROOT / "codegen" / "config.toml").read_text(encoding="utf-8"))
    out.mkdir(parents=True)
    (out / "__init__.py").write_text(PACKAGE_DOC, encoding="utf-8")
    messages = protobuf.generate(ROOT, config["protobuf"], out)
    messages += jsonschema.generate(ROOT, config["jsonschema"], out)
    registry.generate(ROOT, config["registry"], messages, out)
    shapes.generate(ROOT, config["jsonschema"], out)  # the drift report's field shapes


def _files(folder: Path) -> set[Path]:
    return {
        p.relative_to(folder)
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".ruff_cache" not in p.parts
    }


def compare(fresh: Path, committed: Path) -> list[str]:
    """Differences between a fresh build and the committed generated/ folder."""
    problems: list[str] = []
    new, old = _files(fresh), _files(committed) if committed.exists() else set()
    for rel in sorted(new - old):
        problems.append(f"missing from generated/: {rel}")
    for rel in sorted(old - new):
        problems.append(f"not produced by the schemas (stale): generated/{rel}")
    for rel in sorted(new & old):
        if not filecmp.cmp(fresh / rel, committed / rel, shallow=False):
            a = (committed / rel).read_text(encoding="utf-8").splitlines()
            b = (fresh / rel).read_text(encoding="utf-8").splitlines()
            diff = difflib.unified_diff(a, b, f"generated/{rel}", f"fresh/{rel}", lineterm="", n=1)
            problems.append("\n".join(list(diff)[:40]))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if generated/ differs from a fresh build")
    args = parser.parse_args(argv)
    target = ROOT / "generated"
    with tempfile.TemporaryDirectory(prefix="venuewire-gen-") as tmp:
        fresh = Path(tmp) / "generated"
        build(fresh)
        if args.check:
            problems = compare(fresh, target)
            if problems:
                print("generated/ is out of date with schemas/ or codegen/; run `make generate`:", file=sys.stderr)
                for problem in problems:
                    print(problem, file=sys.stderr)
                return 1
            print(f"generated/ matches schemas/ ({len(_files(fresh))} files)")
            return 0
        # Swap whole folders so a reader never sees a half-written generated/.
        staging = ROOT / f".generated.new-{os.getpid()}"
        retired = ROOT / f".generated.old-{os.getpid()}"
        shutil.copytree(fresh, staging)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
        print(f"wrote {len(_files(target))} files to generated/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
