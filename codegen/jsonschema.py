"""JSON Schema step: datamodel-code-generator into msgspec.Struct modules, one per schema file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from codegen.registry_model import MessageInfo

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def _close_open_enums(node: Any, keyword: str, found: dict[str, dict[str, Any]], where: str) -> Any:
    """Give the generator a plain `enum` where the schema says `x-open-enum`, and
    record the class so its template adds the UNKNOWN fallback. `where` is "<file>#<pointer>"."""
    if isinstance(node, dict):
        node = {k: _close_open_enums(v, keyword, found, f"{where}/{k}") for k, v in node.items()}
        if keyword in node:
            title = node.get("title")
            if not isinstance(title, str) or not CLASS_NAME.match(title):
                raise SystemExit(f"codegen: {_at(where)}: an {keyword} needs a PascalCase title (the class name)")
            if node.get("type") != "string" or "enum" in node:
                raise SystemExit(f"codegen: {_at(where)}: an {keyword} must be type string without enum")
            node["enum"] = node.pop(keyword)
            found[title] = {"open_enum": True, "where": where}
        return node
    if isinstance(node, list):
        return [_close_open_enums(v, keyword, found, f"{where}/{i}") for i, v in enumerate(node)]
    return node


def _at(where: str) -> str:
    """'<file>#<pointer>' as '<file>: <pointer>' for a message."""
    file, _, pointer = where.partition("#")
    return f"{file}: #{pointer}"


OPEN_ENUM_MARK = "    def _missing_(cls, value: object) -> {title} | None:"


def _check_open_enums(target: Path, open_enums: dict[str, dict[str, Any]], keyword: str) -> None:
    """Refuse output where an `x-open-enum` came out as a closed enum (e.g. an inline one the
    generator named after its property instead of its title, so the template never saw it):
    each must be a class of its title with the UNKNOWN fallback, in some generated module."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(target.glob("*.py")))
    for title, info in sorted(open_enums.items()):
        if f"\nclass {title}(" not in text or OPEN_ENUM_MARK.format(title=title) not in text:
            raise SystemExit(
                f"codegen: {_at(str(info['where']))}: the {keyword} {title} would come out as a closed enum "
                f"(no class {title} with the UNKNOWN fallback was generated); give it its own $defs entry "
                "and $ref it"
            )


def _branch_key(branch: Any) -> str:
    return json.dumps(branch, sort_keys=True)


def _exact_mixed_decimals(node: Any, mixed: list[dict[str, Any]]) -> Any:
    """Give the generator one decimal string where the schema's `anyOf` is exactly the
    `mixed_decimal` branches (plus, optionally, null): the class field is then `Decimal`
    (or `Decimal | None`), which msgspec fills exactly from a decimal string and from a JSON
    number alike, digit for digit. Only the staged copy changes; validation keeps the anyOf."""
    if isinstance(node, list):
        return [_exact_mixed_decimals(v, mixed) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _exact_mixed_decimals(v, mixed) for k, v in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list):
        keys = [_branch_key(b) for b in branches]
        null = _branch_key({"type": "null"})
        wanted = sorted(_branch_key(b) for b in mixed)
        if sorted(k for k in keys if k != null) == wanted:
            decimal = {"type": "string", "format": "decimal"}
            node["anyOf"] = [decimal, {"type": "null"}] if null in keys else [decimal]
            if len(node["anyOf"]) == 1:
                node.update(node.pop("anyOf")[0])
    return node


_DECIMAL_IMPORT = "from decimal import Decimal\n"
_DECIMAL_NAME = re.compile(r"\bDecimal\b")


def _decimal_text(module_file: Path, import_line: str) -> None:
    """Make every `Decimal` field of a generated module a `DecimalText` (the wire's decimal
    string, kept as text; exact conversion one call away) in place."""
    text = module_file.read_text(encoding="utf-8")
    if _DECIMAL_IMPORT not in text:
        raise SystemExit(f"codegen: {module_file}: listed in decimal_text but has no Decimal field")
    text = _DECIMAL_NAME.sub("DecimalText", text).replace(
        _DECIMAL_IMPORT.replace("Decimal", "DecimalText"), f"{import_line}\n"
    )
    module_file.write_text(text, encoding="utf-8")


def generate(root: Path, config: dict[str, Any], out: Path) -> list[MessageInfo]:
    messages: list[MessageInfo] = []
    templates = root / "codegen" / "templates"
    env = {**os.environ, "RUFF_NO_CACHE": "true"}
    for venue in config["venues"]:
        source = root / config["root"] / venue
        schemas = sorted(source.glob("*.json"))
        if not schemas:
            raise SystemExit(f"codegen: no schemas under {source}")
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / venue
            staged.mkdir()
            open_enums: dict[str, dict[str, Any]] = {}
            titles: dict[str, str] = {}
            closed: set[str] = set()
            for path in schemas:
                if not IDENTIFIER.match(path.stem):
                    raise SystemExit(f"codegen: {path}: file names must be snake_case identifiers")
                schema = json.loads(path.read_text(encoding="utf-8"))
                title = schema.get("title")
                if not isinstance(title, str) or not CLASS_NAME.match(title):
                    raise SystemExit(f"codegen: {path}: the root needs a PascalCase title (the class name)")
                titles[path.stem] = title
                if schema.get("additionalProperties") is False:  # a closed root: unknown fields refused
                    closed.add(title)
                schema.pop("examples", None)  # data for the simulators (codegen.restapi), not for the classes
                staged_schema = _close_open_enums(schema, config["open_enum_keyword"], open_enums, f"{path}#")
                staged_schema = _exact_mixed_decimals(staged_schema, config["mixed_decimal"])
                (staged / path.name).write_text(json.dumps(staged_schema, indent=1), encoding="utf-8")
            extra = Path(tmp) / "extra-template-data.json"
            template_data: dict[str, dict[str, Any]] = {title: {"open_enum": True} for title in open_enums}
            for title in closed:
                template_data.setdefault(title, {})["base_class_kwargs"] = {"forbid_unknown_fields": True}
            extra.write_text(json.dumps(template_data, sort_keys=True), encoding="utf-8")
            target = out / venue
            cmd = [
                sys.executable,
                "-m",
                "datamodel_code_generator",
                "--input",
                str(staged),
                "--output",
                str(target),
                *config["flags"],
                "--custom-template-dir",
                str(templates),
                "--extra-template-data",
                str(extra),
            ]
            result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=tmp)
            if result.returncode != 0:
                raise SystemExit(f"codegen: datamodel-code-generator failed for {venue}:\n{result.stderr}")
            shutil.rmtree(target / ".ruff_cache", ignore_errors=True)
            _check_open_enums(target, open_enums, config["open_enum_keyword"])
        for stem in titles:
            if f"{venue}/{stem}" in config.get("decimal_text", []):
                _decimal_text(target / f"{stem}.py", config["decimal_text_import"])
        for stem, title in titles.items():
            module_file = target / f"{stem}.py"
            if not module_file.exists() or f"\nclass {title}(" not in module_file.read_text(encoding="utf-8"):
                raise SystemExit(f"codegen: {venue}/{stem}.json did not produce class {title} in {module_file.name}")
            messages.append(
                MessageInfo(
                    venue=venue,
                    name=stem,
                    format="json",
                    schema=f"json/{venue}/{stem}.json",
                    module=f"venuewire.generated.{venue}.{stem}",
                    class_name=title,
                )
            )
    return messages
