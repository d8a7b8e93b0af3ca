"""The built wheel carries every generated module and works in a clean virtual environment."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("venuewire-*.whl")
    return built


def test_wheel_contains_every_generated_module_and_the_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    generated = [
        p.relative_to(ROOT / "generated") for p in (ROOT / "generated").rglob("*") if p.suffix in (".py", ".pyi")
    ]
    assert len(generated) > 20
    missing = [str(rel) for rel in generated if f"venuewire/generated/{rel.as_posix()}" not in names]
    assert missing == []
    runtime = [p.relative_to(ROOT / "runtime") for p in (ROOT / "runtime").rglob("*.py")]
    assert [str(r) for r in runtime if f"venuewire/{r.as_posix()}" not in names] == []
    assert "venuewire/py.typed" in names
    assert not any(n.startswith(("generated/", "runtime/", "codegen/", "tests/")) for n in names)


CHECK = """
import importlib, pkgutil, sys
import venuewire, venuewire.generated
from venuewire.generated.registry import MESSAGES
assert "/site-packages/" in venuewire.__file__, venuewire.__file__
mods = [m.name for m in pkgutil.walk_packages(venuewire.generated.__path__, "venuewire.generated.")]
for name in mods:
    importlib.import_module(name)
for m in MESSAGES:
    getattr(importlib.import_module(m.module), m.class_name)
from venuewire.generated.infoway.ws_heartbeat import WsHeartbeat
assert venuewire.decode_json(WsHeartbeat, b'{"code":10010,"trace":"t"}').trace == "t"
print(len(mods), len(MESSAGES))
"""


def test_wheel_installs_and_imports_in_a_clean_virtual_environment(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pins = [f"msgspec=={metadata.version('msgspec')}", f"protobuf=={metadata.version('protobuf')}"]
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel), *pins],
        check=True,
        capture_output=True,
        timeout=300,
    )
    result = subprocess.run(
        [str(python), "-c", CHECK], check=False, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    modules, messages = map(int, result.stdout.split())
    assert modules >= 20
    assert messages >= 40


def test_a_plain_install_pulls_only_the_librarys_needs_and_rich_is_the_cli_extra(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(meta).decode().splitlines()
    requires = [line.removeprefix("Requires-Dist: ") for line in lines if line.startswith("Requires-Dist: ")]
    plain = sorted(r.split(">")[0].split("<")[0].split("=")[0].strip() for r in requires if "extra ==" not in r)
    assert plain == ["aiohttp", "anyio", "cryptography", "msgspec", "protobuf", "types-protobuf", "yarl"]
    assert [r for r in requires if "extra ==" in r] == ['rich>=13; extra == "cli"']


# A consumer's program, type-checked with `mypy --strict` in an environment that has only the
# wheel, what it declares, and mypy: the generated protobuf classes are typed there with no
# extra step (types-protobuf is a declared dependency), the JSON classes and the clients too.
CONSUMER = """
from decimal import Decimal

from venuewire import OrderBook
from venuewire.generated.coinw.order import Order
from venuewire.generated.futu import Qot_GetOrderBook_pb2
from venuewire.opend.client import OpenDClient


def best_ask(s2c: Qot_GetOrderBook_pb2.S2C) -> float:
    return s2c.orderBookAskList[0].{ask_field}


def order_price(order: Order) -> object:
    return order.{order_field}


def top(book: OrderBook) -> Decimal:
    return book.bids[0].price


async def book(client: OpenDClient) -> int:
    req = Qot_GetOrderBook_pb2.Request()
    req.c2s.num = 10
    response = await client.request(req)
    return len(response.s2c.orderBookBidList)
"""


def _consumer_env(wheel: Path, tmp_path: Path) -> Path:
    env_dir = tmp_path / "consumer"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pins = [f"{name}=={metadata.version(name)}" for name in ("mypy", "msgspec", "protobuf")]
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel), *pins],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return python


def _mypy(python: Path, tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    program = tmp_path / "consumer.py"
    program.write_text(source, encoding="utf-8")
    return subprocess.run(
        [str(python), "-m", "mypy", "--strict", "--no-incremental", str(program)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )


def test_a_consumer_gets_real_types_from_the_wheel_and_a_typo_fails_mypy_strict(wheel: Path, tmp_path: Path) -> None:
    python = _consumer_env(wheel, tmp_path)
    good = _mypy(python, tmp_path, CONSUMER.format(ask_field="price", order_field="orderPrice"))
    assert good.returncode == 0, good.stdout + good.stderr
    proto_typo = _mypy(python, tmp_path, CONSUMER.format(ask_field="prise", order_field="orderPrice"))
    assert proto_typo.returncode == 1, proto_typo.stdout
    assert '"OrderBook" has no attribute "prise"' in proto_typo.stdout, proto_typo.stdout
    json_typo = _mypy(python, tmp_path, CONSUMER.format(ask_field="price", order_field="orderPrise"))
    assert json_typo.returncode == 1, json_typo.stdout
    assert 'has no attribute "orderPrise"' in json_typo.stdout, json_typo.stdout
