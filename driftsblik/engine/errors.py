"""Problems found in registers, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One kind of problem in one register table: what, how many rows, a few examples."""

    table: str
    kind: str
    message: str
    count: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def render(self) -> str:
        """The problem as a few readable lines (for the command line)."""
        head = f"{self.table}: {self.message}"
        if self.count:
            head += f" ({self.count} row{'s' if self.count != 1 else ''})"
        lines = [head]
        for ex in self.examples:
            lines.append("    e.g. " + ", ".join(f"{k}={_fmt(v)}" for k, v in ex.items()))
        return "\n".join(lines)


def _fmt(v: Any) -> str:
    return "" if v is None else str(v)


class RegisterValidationError(ValueError):
    """The registers break the contract; nothing was computed or written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems as a readable report."""
        n = len(self.problems)
        head = f"The registers break the contract ({n} problem{'s' if n != 1 else ''}); nothing was written."
        return "\n".join([head, *(p.render() for p in self.problems)])


class EngineInputError(ValueError):
    """Bad arguments to the engine (periods, indicator codes, backend names)."""
