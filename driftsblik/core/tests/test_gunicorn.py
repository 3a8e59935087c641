"""gunicorn, the production server, configured for leaders who read a page before opening the next."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from driftsblik import gunicorn_conf
from driftsblik.core.tests.test_commands import free_port, fresh_environment

# gunicorn's own keep-alive, which reset connections of leaders pausing between pages
GUNICORN_DEFAULT_KEEPALIVE = 2


def test_the_configuration_fits_think_time_traffic():
    assert gunicorn_conf.worker_class == "gthread"  # idle keep-alive connections hold no thread
    assert gunicorn_conf.keepalive >= 75  # past a leader's pause and nginx's 60 s upstream idle timeout
    assert gunicorn_conf.threads >= 2
    assert gunicorn_conf.timeout > 60 and gunicorn_conf.graceful_timeout > 0
    assert gunicorn_conf.bind.startswith("127.0.0.1:")  # behind the proxy, never open to the network


def test_workers_follow_the_cores():
    assert [gunicorn_conf.workers_for(cores) for cores in (1, 2, 8)] == [2, 2, 8]
    assert gunicorn_conf.workers == gunicorn_conf.workers_for(gunicorn_conf.available_cores())


def _wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start listening")


def test_a_connection_survives_a_pause_between_pages(tmp_path: Path):
    """Two requests on one connection, a pause longer than gunicorn's default keep-alive between
    them: with the documented configuration the second goes out on the same connection."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    if gunicorn is None:
        pytest.skip("gunicorn is not installed (pip install driftsblik[gunicorn])")
    port = free_port()
    server = subprocess.Popen(
        [gunicorn, "-c", "python:driftsblik.gunicorn_conf", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "driftsblik.wsgi"],
        env=fresh_environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_for(port, server)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/static/web/driftsblik.css")
        first = connection.getresponse()
        assert first.status == 200 and first.read()
        opened = connection.sock
        time.sleep(GUNICORN_DEFAULT_KEEPALIVE + 1.5)
        connection.request("GET", "/static/web/charts.js")
        second = connection.getresponse()
        assert second.status == 200 and second.read()
        assert connection.sock is opened and opened is not None
        connection.close()
    finally:
        server.terminate()
        server.communicate(timeout=60)


def test_a_worker_loads_every_view_and_freezes_what_it_loaded(tmp_path: Path):
    script = (
        "import django, gc, sys; django.setup()\n"
        "from driftsblik import gunicorn_conf\n"
        "before = 'driftsblik.pathways.views' in sys.modules\n"
        "gunicorn_conf.post_worker_init(None)\n"
        "print(before, 'driftsblik.pathways.views' in sys.modules, gc.get_freeze_count())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=fresh_environment(tmp_path), capture_output=True, text=True, timeout=120
    )
    before, after, frozen = done.stdout.split()
    assert (before, after) == ("False", "True"), done.stderr
    assert int(frozen) > 10_000
