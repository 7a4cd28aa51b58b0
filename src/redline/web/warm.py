"""Warming: what the slowest pages compute over everything, made before anyone asks.

The issue pages (positions over every statement of the issue), the map (territorial claims)
and the dashboard and issue counts are computed once per data version and then kept (the
site's memo, the store's cache). A fresh server computes them in a background thread, so its
first visitors, and the pages they are not waiting for, are not held up behind that work. A
change to the data is not warmed for: the next visit of each page computes it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from redline.errors import RedlineError
from redline.web import issues, places, views
from redline.web.views import Site

log = logging.getLogger(__name__)


def tasks(site: Site) -> list[Callable[[], object]]:
    """What to compute, most visited first."""
    out: list[Callable[[], object]] = [
        lambda: views.dashboard(site),
        # any "since" then sums counts per day, made here once
        lambda: views.dashboard(site, since=date.today() - timedelta(days=7)),
        site.store.speakers,  # what the actor filter is matched against
        lambda: issues.issue_index(site),
    ]
    if site.coder is not None and site.settings is not None:
        out.append(lambda: places.map_page(site))
    out += [partial(issues.issue_page, site, issue) for issue in site.taxonomy.issues]
    return out


def warm(site: Site, stop: threading.Event) -> None:
    """Run every task until done or `stop` is set; a task that fails is logged and passed."""
    for task in tasks(site):
        if stop.is_set():
            return
        try:
            task()
        except (RedlineError, OSError, ValueError) as e:
            log.warning("warming: %s", e)


@dataclass(slots=True)
class Warming:
    """A warming thread and the event that stops it."""

    thread: threading.Thread
    stopping: threading.Event

    def stop(self, *, timeout: float = 10) -> None:
        """Stop after the task in hand, and wait for that (at most `timeout` seconds)."""
        self.stopping.set()
        self.thread.join(timeout=timeout)


def start(site: Site) -> Warming:
    """Warm in a daemon thread."""
    stopping = threading.Event()
    thread = threading.Thread(target=warm, args=(site, stopping), name="redline-warm", daemon=True)
    thread.start()
    return Warming(thread, stopping)
