"""Pathways per cohort: one computation for many askers, cohorts side by side up to the limit, and a
cached answer that never waits for another cohort's computation. Events, not timings."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from driftsblik.pathways import services

SAFETY = 60  # seconds: only so that a broken lock fails the test instead of hanging it


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.PATHWAY_WORKERS = 2
    services.cache_clear()
    yield
    services.cache_clear()


def blocking(started: threading.Event, release: threading.Event, calls: list[str], name: str) -> Callable[[], str]:
    def compute() -> str:
        calls.append(name)
        started.set()
        assert release.wait(SAFETY)
        return f"answer {name}"

    return compute


def test_many_asking_for_the_same_cohort_at_once_get_one_computation():
    started, release, calls = threading.Event(), threading.Event(), []
    compute = blocking(started, release, calls, "a")
    results: list[str] = []
    asked = [threading.Event() for _ in range(6)]

    def ask(i: int) -> None:
        asked[i].set()
        results.append(services._cached(("cohort", "a"), compute))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    assert started.wait(SAFETY)
    assert all(e.wait(SAFETY) for e in asked)
    release.set()
    for t in threads:
        t.join(SAFETY)
    assert calls == ["a"]
    assert results == ["answer a"] * 6


def test_a_cached_cohort_is_answered_while_another_is_computing():
    services._cached(("cohort", "cached"), lambda: "kept")
    started, release, calls = threading.Event(), threading.Event(), []
    computing = threading.Thread(
        target=services._cached, args=(("cohort", "slow"), blocking(started, release, calls, "slow"))
    )
    computing.start()
    assert started.wait(SAFETY)
    answered, got = threading.Event(), []

    def read() -> None:
        got.append(services._cached(("cohort", "cached"), lambda: "computed again"))
        answered.set()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert answered.wait(SAFETY), "the cached answer waited for another cohort's computation"
        assert got == ["kept"] and not release.is_set()
    finally:
        release.set()
        computing.join(SAFETY)
        reader.join(SAFETY)
    assert calls == ["slow"]


def test_different_cohorts_compute_side_by_side_up_to_the_limit():
    names = ["a", "b", "c"]
    started = {n: threading.Event() for n in names}
    release = {n: threading.Event() for n in names}
    running, most, guard, two = [0], [0], threading.Lock(), threading.Event()

    def compute(name: str) -> Callable[[], str]:
        def run() -> str:
            with guard:
                running[0] += 1
                most[0] = max(most[0], running[0])
                if running[0] == 2:
                    two.set()
            started[name].set()
            assert release[name].wait(SAFETY)
            with guard:
                running[0] -= 1
            return name

        return run

    threads = [threading.Thread(target=services._cached, args=(("cohort", n), compute(n))) for n in names]
    for t in threads:
        t.start()
    try:
        # two different cohorts are computed at the same time (the limit is 2) ...
        assert two.wait(SAFETY)
        # ... and the third starts when one of them is done
        done = next(n for n in names if started[n].is_set())
        release[done].set()
        assert all(started[n].wait(SAFETY) for n in names)
    finally:
        for e in release.values():
            e.set()
        for t in threads:
            t.join(SAFETY)
    assert most[0] == 2


def test_a_failed_computation_fails_every_asker_and_is_not_kept():
    def broken() -> str:
        raise services.RegistersUnavailable("no registers")

    with pytest.raises(services.RegistersUnavailable):
        services._cached(("cohort", "broken"), broken)
    assert services._cached(("cohort", "broken"), lambda: "fixed") == "fixed"
