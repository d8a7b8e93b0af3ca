"""`venuewire check FILE`: the drift report of a capture (venuewire.drift).

A table by default, `--json` the stable document of venuewire.drift.report (format
"venuewire-drift", version 1). `--fixtures DIR` also writes one contract-test fixture per
distinct message shape (venuewire.drift.fixtures). Exit 0: no drift; 1: drift; 2: the file is
not a readable capture.
"""

from __future__ import annotations

import argparse
import json
import sys

from venuewire.cli.common import Commands, add_command


def add_check(group: Commands) -> None:
    command = add_command(
        group,
        "check",
        "Decode every message of a capture with the strict schemas and report, per message type, "
        "the count, decode failures with field paths, unknown fields, required fields that never came, "
        "values outside known enums, type changes and message types the registry does not know. "
        "Exit 0 without drift, 1 on drift, 2 on a file that is not a capture.",
        "venuewire check session.vwcap --json --fixtures new-fixtures/",
        _run_check,
        summary="the drift report of a capture",
    )
    command.add_argument("file", help="a capture file (venuewire.capture format)")
    command.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")
    command.add_argument("--fixtures", metavar="DIR", help="write one fixture per distinct message shape under DIR")


def _run_check(args: argparse.Namespace) -> int:
    from venuewire.capture.format import CaptureFormatError, read_capture, read_problem
    from venuewire.drift import check_capture, write_fixtures

    try:
        capture = read_capture(args.file)
    except (OSError, CaptureFormatError) as exc:
        print(f"venuewire check: {read_problem(args.file, exc)}", file=sys.stderr)
        return 2
    report = check_capture(capture)
    if args.fixtures:
        try:
            written = write_fixtures(report, args.fixtures)
        except OSError as exc:
            print(f"venuewire check: cannot write fixtures under {args.fixtures}: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {len(written)} fixture(s) under {args.fixtures}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    else:
        print(render(report.to_json()))
    return 1 if report.drift else 0


def render(doc: dict[str, object]) -> str:
    """The report document as a plain-text table (one row per message type, then findings)."""
    lines = [f"{doc['capture']}: {doc['records']} messages" + (" (cut short)" if doc.get("truncated") else "")]
    messages = doc["messages"]
    assert isinstance(messages, list)
    width = max([len(m["message"]) for m in messages] + [len("message type")])
    lines.append(f"{'message type':<{width}}  {'count':>6}  drift")
    for m in messages:
        lines.append(f"{m['message']:<{width}}  {m['count']:>6}  {'yes' if m['drift'] else 'no'}")
        for failure in m["decode_failures"]:
            where = failure["path"] or "(message)"
            lines.append(f"    decode failure at {where}: {failure['detail']} x{failure['count']}")
        for entry in m["unknown_fields"]:
            lines.append(f"    unknown field {entry['path']} x{entry['count']}")
        for entry in m["missing_required"]:
            lines.append(f"    missing required {entry['path']} x{entry['count']}")
        for entry in m["new_enum_values"]:
            known = ", ".join(map(str, entry["known"]))
            lines.append(f"    new value {entry['value']!r} at {entry['path']} (known: {known}) x{entry['count']}")
        for entry in m["type_changes"]:
            declared = "|".join(entry["declared"])
            lines.append(f"    type change at {entry['path']}: {entry['seen']} where {declared} x{entry['count']}")
    unknown = doc["unknown_messages"]
    assert isinstance(unknown, list)
    for u in unknown:
        lines.append(f"unknown message type: {u['message']} x{u['count']}")
    lines.append("drift" if doc["drift"] else "no drift")
    return "\n".join(lines)
