"""Every venue fact in schemas/ names where it came from: [doc] (the venue's docs), [run] (an
official client read and run), [3rd] (a third-party library) or [guess]."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
TAG = re.compile(r"\[(doc|run|3rd|guess)[\]:]|https?://")
ENTRY = re.compile(r"^\[\[?([a-z_.]+)\]?\]")


def test_every_json_schema_names_its_sources() -> None:
    missing = []
    for path in sorted((SCHEMAS / "json").glob("*/*.json")):
        source = json.loads(path.read_text(encoding="utf-8")).get("x-source", "")
        if not isinstance(source, str) or not TAG.search(source):
            missing.append(path.relative_to(ROOT).as_posix())
    assert missing == [], f"schemas without an x-source naming [doc]/[run]/[3rd]/[guess]: {missing}"


def test_every_proto_names_its_sources() -> None:
    missing = [
        p.name
        for p in sorted((SCHEMAS / "proto" / "futu").glob("*.proto"))
        if not any(line.startswith("// source:") and TAG.search(line) for line in p.read_text().splitlines())
    ]
    assert missing == []


def _entries(lines: list[str]) -> list[tuple[int, int, str, str | None]]:
    """(first line, end line, table name, venue) of every table in registry.toml."""
    starts = [(i, m.group(1)) for i, line in enumerate(lines) if (m := ENTRY.match(line))]
    out = []
    for n, (i, name) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        venue = next((m.group(1) for line in lines[i:end] if (m := re.match(r'venue = "(\w+)"', line))), None)
        out.append((i, end, name, venue))
    return out


def unsourced_registry_entries(text: str) -> list[str]:
    """Registry tables with no source: none in their own lines, and none in the comments above
    them up to the section rule, another venue's entry or the file head."""
    lines = text.splitlines()
    entries = _entries(lines)
    bad = []
    for i, end, name, venue in entries:
        if any(TAG.search(line.partition("#")[2]) for line in lines[i:end] if "#" in line):
            continue
        found = False
        for j in range(i - 1, -1, -1):
            line = lines[j]
            if line.startswith("# ----"):
                break
            other = re.match(r'venue = "(\w+)"', line)
            if other and venue is not None and other.group(1) != venue:
                break
            if line.startswith("#") and TAG.search(line):
                found = True
                break
        if not found:
            bad.append(f"line {i + 1}: [{name}] {venue or ''}".rstrip())
    return bad


def test_every_registry_entry_names_its_sources() -> None:
    text = (SCHEMAS / "registry.toml").read_text(encoding="utf-8")
    assert unsourced_registry_entries(text) == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ('# ---- x\n# [doc] https://a\n[[rest]]\nvenue = "a"\n', []),
        ('# ---- x\n[[rest]]\nvenue = "a"\n', ["line 2: [rest] a"]),
        ('# ---- x\n# [run] sdk\n[[errors]]\nvenue = "a"\n[[errors]]\nvenue = "b"\n', ["line 5: [errors] b"]),
        ('# ---- x\n[[ws]]\nvenue = "a"\nping = 1  # [guess]\n', []),
    ],
)
def test_the_source_check_itself(text: str, bad: list[str]) -> None:
    assert unsourced_registry_entries(text) == bad
