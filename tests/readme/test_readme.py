"""Everything README.md shows as runnable runs as written.

A fenced block right after a `<!-- runnable -->` line is run by this test:
- ```sh blocks: each line is one command (a trailing `# comment` is dropped), run with bash from
  the repository root. A `venuewire sim ...` line runs until it prints its ready line
  (`listening on HOST:PORT`), then gets SIGINT and must exit 0. Every other line must exit 0.
  The one line not run is `make test`: it is the command that runs this test (CI runs it).
- ```python blocks: the block is a whole program, run with this interpreter; it must exit 0
  and print something. The quickstarts start their venue's embedded simulator, so nothing
  touches the network.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
MARKER = "<!-- runnable -->"
NOT_RUN = {"make test"}  # the command running this very test
READY = re.compile(r"listening on \S+:\d+")


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int  # 1-based line of the opening fence


def runnable_blocks(markdown: str) -> list[Block]:
    """The fenced blocks that follow a MARKER line (blank lines between are allowed)."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != MARKER:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        fence = lines[j].strip() if j < len(lines) else ""
        if not fence.startswith("```"):
            raise AssertionError(f"README.md:{i + 1}: {MARKER} is not followed by a fenced block")
        lang = fence[3:].strip()
        end = j + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if end == len(lines):
            raise AssertionError(f"README.md:{j + 1}: unclosed block")
        blocks.append(Block(lang, "\n".join(lines[j + 1 : end]), j + 1))
        i = end + 1
    return blocks


def shell_commands(block: Block) -> list[str]:
    commands = []
    for raw in block.text.splitlines():
        command = re.sub(r"\s+#.*$", "", raw).strip()
        if command and not command.startswith("#"):
            commands.append(command)
    return commands


BLOCKS = runnable_blocks(README.read_text(encoding="utf-8"))
COMMANDS = [(block.line, command) for block in BLOCKS if block.lang == "sh" for command in shell_commands(block)]
PROGRAMS = [block for block in BLOCKS if block.lang == "python"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CI", None)  # the demo and commands run as a user runs them
    env["PYTHONUNBUFFERED"] = "1"
    return env


def test_the_marker_is_used_and_every_block_is_sh_or_python() -> None:
    assert len(COMMANDS) >= 8, COMMANDS
    assert len(PROGRAMS) >= 5, [block.line for block in PROGRAMS]
    assert {block.lang for block in BLOCKS} <= {"sh", "python"}


def test_every_venue_has_a_runnable_quickstart() -> None:
    sims = {venue for block in PROGRAMS for venue in re.findall(r"from venuewire\.sim\.(\w+) import", block.text)}
    assert sims >= {"opend", "bitmart", "infoway", "coinw", "qfex"}


def test_the_two_fresh_machine_commands_are_shown() -> None:
    commands = [command for _, command in COMMANDS]
    assert "make demo" in commands
    assert "make test" in commands


def test_the_quickstarts_are_short() -> None:
    """At most ten lines of code per quickstart, blank lines and imports aside."""
    for block in PROGRAMS:
        body = [
            line
            for line in block.text.splitlines()
            if line.strip() and not line.startswith(("import ", "from ")) and line.strip() != "asyncio.run(main())"
        ]
        assert len(body) <= 10, f"README.md:{block.line}: {len(body)} lines"


def _run_until_ready(command: str, timeout: float = 30.0) -> None:
    proc = subprocess.Popen(
        command,
        shell=True,
        executable="/bin/bash",
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if READY.search(line):
                break
        assert any(READY.search(line) for line in seen), f"{command!r} printed no ready line: {''.join(seen)[-2000:]}"
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=15) == 0, f"{command!r} did not stop cleanly on SIGINT"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.mark.timeout(240)
@pytest.mark.parametrize(("line", "command"), COMMANDS, ids=[f"L{line}:{command}" for line, command in COMMANDS])
def test_shell_command_runs_as_written(line: int, command: str) -> None:
    if command in NOT_RUN:
        assert command == "make test"  # CI's own command; running it here would recurse
        return
    if re.search(r"\bvenuewire sim\b", command):
        _run_until_ready(command)
        return
    result = subprocess.run(
        command,
        shell=True,
        executable="/bin/bash",
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"README.md:{line}: {command!r} exited {result.returncode}:\n{result.stderr[-3000:]}"
    assert result.stdout.strip() or result.stderr.strip(), f"{command!r} printed nothing"


@pytest.mark.parametrize("block", PROGRAMS, ids=[f"L{block.line}" for block in PROGRAMS])
def test_python_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    program = tmp_path / "example.py"
    program.write_text(block.text + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(program)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"README.md:{block.line}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert result.stdout.strip(), f"README.md:{block.line}: printed nothing"
    assert "Traceback" not in result.stderr
