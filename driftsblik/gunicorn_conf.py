"""gunicorn's configuration for Driftsblik in production (docs/operator.md, "Serving"):

    gunicorn -c python:driftsblik.gunicorn_conf driftsblik.wsgi

Made for think-time traffic: a leader opens a page, reads it for a while and opens the next, so
most connections are idle most of the time. Threaded workers (gthread) park an idle keep-alive
connection in the worker's poller without holding a thread, and the keep-alive outlasts a
leader's pause between pages and the reverse proxy's own idle timeout for upstream connections
(nginx: 60 s), so the proxy, not gunicorn, closes idle connections and no request is sent on a
connection the server is closing (gunicorn's default of 2 s reset connections under load).

Every value can be overridden on the command line (`--workers 8`, `--bind 0.0.0.0:8000`), which
takes precedence over this file.
"""

from __future__ import annotations

import os
from pathlib import Path

KEEPALIVE_SECONDS = 75


def available_cores() -> int:
    """The cores this process may run on (a container's or cgroup's share where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(cores: int) -> int:
    """One worker process per core, at least two, so that one busy or restarting worker never
    leaves the site without a free one. Each keeps its own Python interpreter and caches, so
    more processes than cores would add memory, not speed."""
    return max(2, cores)


THREADS_PER_WORKER = 4  # a request mostly waits for the database; four threads keep a core busy

bind = "127.0.0.1:8000"  # behind the TLS proxy on the same host
worker_class = "gthread"
workers = workers_for(available_cores())
threads = THREADS_PER_WORKER
keepalive = KEEPALIVE_SECONDS
# a worker that stops answering the arbiter for this long is restarted; requests run on the
# worker's threads, so a long one (a committee report, a national pathway: under a minute) is no
# reason to restart
timeout = 120
graceful_timeout = 30  # on reload or stop: let requests in flight finish
accesslog = "-"
errorlog = "-"
# the workers' heartbeat files in memory, not on a disk that may stall (containers, network disks)
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 - gunicorn's advice


def post_worker_init(worker: object) -> None:
    """Load every view now and move what is loaded out of the garbage collector's sight.

    Django imports the views on the first request; doing it here keeps that out of a leader's
    page. `gc.freeze()` then puts the few hundred thousand objects of the loaded code (modules,
    classes, functions: they live as long as the worker) in the permanent generation, so a full
    collection no longer walks them: measured on the budget page at ten times Hjørring, one full
    collection over them took about 230 ms, in about one request of six."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    gc.collect()
    gc.freeze()
