"""Ingest from the web: one background job at a time, its progress kept in memory by id.

    jobs = Jobs(settings)
    job = jobs.start(site.store, urls=["https://example.org/a"], files={"a.txt": b"..."})
    jobs.get(job.id).as_dict()      # {"state": "running", "read": 1, ...}

Uploaded files are written to a temporary folder and read from there by the same code as
`redline ingest` (`pipeline.ingest`), which also fetches the URLs (refusing private addresses).
Only http(s) URLs are taken from the form: a path typed there would read the server's files.
The analyser (spaCy and the coder) is loaded by the first job and kept for the next.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from redline import pipeline
from redline.errors import RedlineError
from redline.settings import Settings
from redline.store import Store

State = Literal["queued", "running", "done", "failed"]

MAX_URLS = 200
MAX_FILES = 50
KEEP_JOBS = 50
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Busy(RedlineError):
    """Another ingest job is still running."""


@dataclass(slots=True)
class Job:
    """One ingest run: its inputs and how far it has got."""

    id: str
    sources: list[str]
    state: State = "queued"
    read: int = 0
    new: int = 0
    duplicates: int = 0
    statements: int = 0
    contradictions: int = 0
    errors: list[str] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished: datetime | None = None
    current: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "state": self.state,
            "done": self.state in ("done", "failed"),
            "inputs": len(self.sources),
            "read": self.read,
            "new": self.new,
            "duplicates": self.duplicates,
            "statements": self.statements,
            "contradictions": self.contradictions,
            "errors": list(self.errors),
            "current": self.current,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
        }


def safe_name(name: str, index: int) -> str:
    """A file name to write an upload under: its last part, odd characters replaced, kept
    unique by `index`; the extension stays, as the reader picks the format by it."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "upload"
    return f"{index:03d}-{base[-100:]}"


def urls_of(text: str) -> list[str]:
    """The http(s) URLs in the form's text, one a line; raises RedlineError for anything else."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    bad = [line for line in lines if not line.lower().startswith(("http://", "https://"))]
    if bad:
        raise RedlineError(f"only http(s) URLs, one a line; not: {bad[0][:200]!r}")
    if len(lines) > MAX_URLS:
        raise RedlineError(f"at most {MAX_URLS} URLs at a time")
    return list(dict.fromkeys(lines))


class Jobs:
    """The app's ingest jobs: at most one running; the latest `KEEP_JOBS` kept to look at."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._running: str | None = None
        self._analyser: pipeline.Analyser | None = None

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, store: Store, *, urls: list[str], files: dict[str, bytes]) -> Job:
        """Write the files to a temporary folder and ingest them and the URLs in a thread.

        Raises Busy while another job runs, RedlineError when there is nothing to ingest.
        """
        if not urls and not files:
            raise RedlineError("nothing to ingest: paste URLs or choose files")
        if len(files) > MAX_FILES:
            raise RedlineError(f"at most {MAX_FILES} files at a time")
        with self._lock:
            if self._running is not None:
                raise Busy(f"ingest job {self._running} is still running; try again when done")
            folder: Path | None = None
            paths: list[str] = []
            if files:
                folder = Path(tempfile.mkdtemp(prefix="redline-ingest-"))
                for index, (name, data) in enumerate(files.items()):
                    path = folder / safe_name(name, index)
                    path.write_bytes(data)
                    paths.append(str(path))
            job = Job(id=secrets.token_hex(8), sources=[*urls, *paths])
            self._jobs[job.id] = job
            self._running = job.id
            while len(self._jobs) > KEEP_JOBS:
                del self._jobs[next(iter(self._jobs))]
        thread = threading.Thread(
            target=self._run, args=(job, store, folder), name=f"ingest-{job.id}", daemon=True
        )
        thread.start()
        return job

    def _run(self, job: Job, store: Store, folder: Path | None) -> None:
        job.state = "running"

        def seen(source: str) -> None:
            job.read += 1
            job.current = source

        try:
            if self._analyser is None:
                self._analyser = pipeline.Analyser(self.settings)
            report = pipeline.ingest(
                job.sources,
                store=store,
                settings=self.settings,
                on_item=seen,
                analyser=self._analyser,
            )
            job.read, job.new, job.duplicates = report.read, report.new, report.duplicates
            job.statements, job.contradictions = report.statements, report.contradictions
            # Temporary paths mean nothing to the user: name the upload instead.
            job.errors = [_unpath(e, folder) for e in report.errors]
            job.state = "done"
        except Exception as e:  # a failed job says why; the app goes on
            job.errors.append(_unpath(f"ingest failed: {e}", folder))
            job.state = "failed"
        finally:
            job.current = None
            job.finished = datetime.now(UTC)
            with self._lock:
                self._running = None
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def _unpath(message: str, folder: Path | None) -> str:
    return message.replace(f"{folder}/", "") if folder is not None else message
