"""The secrets grep of the hostile suite: walk everything an exception carries."""

from __future__ import annotations

from collections.abc import Iterable


def texts_of(exc: BaseException) -> list[str]:
    """str, repr, args and attribute values of `exc` and of every exception reachable
    through its `__context__` and `__cause__` chain (suppressed context included)."""
    out: list[str] = []
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        out += [str(e), repr(e), *map(repr, e.args)]
        out += [repr(v) for v in vars(e).values()] if hasattr(e, "__dict__") else []
        for link in (e.__context__, e.__cause__):
            if link is not None:
                todo.append(link)
    return out


def assert_no_secret(exc: BaseException, secrets: Iterable[str]) -> None:
    """Fail naming where a secret appears in `exc` or its context chain."""
    texts = texts_of(exc)
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"secret {secret[:3]}... found in the error chain: {text[:200]}"


__all__ = ["assert_no_secret", "texts_of"]
