"""The suite's copy of the public examples is the same as shared/examples, where that is present."""

import filecmp

import pytest

from driftsblik.engine.tests.conftest import EXAMPLES, SHARED_EXAMPLES

FILES = [
    "registers-small-expected-2025H1.csv",
    *(
        f"registers-small/{n}.csv"
        for n in ("persons", "assignments", "benefit_weeks", "employment_hours", "education", "admissions")
    ),
]


@pytest.mark.parametrize("name", FILES)
def test_copy_matches_shared_examples(name: str) -> None:
    if not SHARED_EXAMPLES.exists():
        pytest.skip(f"no shared/examples beside the checkout ({SHARED_EXAMPLES}) to compare with")
    assert filecmp.cmp(EXAMPLES / name, SHARED_EXAMPLES / name, shallow=False), name
