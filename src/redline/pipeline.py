"""The main job, end to end: sources -> docs -> statements -> coded -> stored -> linked.

Each step is a plain function over a batch of picklable objects, so a process pool or a
distributed engine can run the same steps. The CLI and the web app call only these.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path

from redline.coding import Coder
from redline.errors import AnalyserClosed, AnalysisFailed, IngestError, WorkerFailed
from redline.extract import Extractor
from redline.ingest import iter_docs
from redline.ingest.syndication import Fingerprint, fingerprint, similarity
from redline.link import contradictions
from redline.link.nli import Nli, load_nli
from redline.link.scorer import PairScorer
from redline.models import Contradiction, Doc, IngestReport, Statement
from redline.settings import Settings
from redline.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Analysed:
    doc: Doc
    statements: list[Statement]


class Analyser:
    """Extraction and coding with their models loaded once.

    With `workers` > 1, extraction and coding run in that many worker processes, each with its
    own models (and one tagger thread), and a call spreads its documents over them; results
    come back in input order. The pool starts with the analyser; `close()` (or `with`) ends it.
    """

    def __init__(self, settings: Settings, *, workers: int = 1) -> None:
        self.settings = settings
        self.coder = Coder(settings)
        if settings.nli_model is not None:
            _nli(settings.nli_model)  # a wrong folder is told now, not after the whole ingest
        self._pool: ProcessPoolExecutor | None = None
        self.extractor: Extractor | None = None
        if workers > 1:
            self._pool = ProcessPoolExecutor(
                workers,
                # spawn, not fork: onnxruntime and spaCy threads do not survive a fork
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                # linking (and its NLI model) runs here, not in the workers
                # one onnxruntime thread for each model (the tagger's beside the parse where it
                # overlaps; two workers already keep both cores busy)
                initargs=(
                    settings.model_copy(
                        update={"tagger_threads": 1, "coder_threads": 1, "nli_model": None}
                    ),
                ),
            )
            self._workers = workers
            return
        tagger = None
        if settings.tagger:
            from redline.extract.tagger import Tagger  # onnxruntime: loaded only when used

            # side by side with spaCy's parse, one thread of its own is the better share
            threads = 1 if settings.tagger_overlap else settings.tagger_threads
            tagger = Tagger(threads=threads).tag
        self.extractor = Extractor(
            settings,
            gender=self.coder.registry.gender,
            person=self.coder.is_person,
            roles=self.coder.registry.role_words,
            tagger=tagger,
            overlap=settings.tagger_overlap,
        )

    @property
    def batch_size(self) -> int:
        """Documents to hand it at once: `batch_size` for each worker, so that all have work."""
        return self.settings.batch_size * (self._workers if self._pool is not None else 1)

    def __call__(self, docs: Sequence[Doc]) -> list[Analysed]:
        if self._pool is not None:
            size = max(1, -(-len(docs) // (2 * self._workers)))  # two chunks a worker
            chunks = [list(docs[i : i + size]) for i in range(0, len(docs), size)]
            return [a for part in self._pool.map(_analyse_in_worker, chunks) for a in part]
        if self.extractor is None:
            raise AnalyserClosed("the analyser was closed")
        batches = self.extractor(docs)
        return [
            Analysed(doc, self.coder(stmts, text=doc.text, outlet=doc.outlet, title=doc.title))
            for doc, stmts in zip(docs, batches, strict=True)
        ]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self.extractor is not None:
            self.extractor.close()

    def __enter__(self) -> Analyser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_worker: Analyser | None = None


def _start_worker(settings: Settings) -> None:
    global _worker
    _worker = Analyser(settings)


def _analyse_in_worker(docs: list[Doc]) -> list[Analysed]:
    if _worker is None:
        raise RuntimeError("worker process started without its analyser")
    try:
        return _worker(docs)
    except Exception as e:
        raise WorkerFailed(f"{type(e).__name__}: {e}") from None


def _batches(items: Iterator[Doc | IngestError], size: int) -> Iterator[list[Doc | IngestError]]:
    while batch := list(islice(items, size)):
        yield batch


def _analysed(analyser: Analyser, docs: list[Doc]) -> list[Analysed | IngestError]:
    """The batch analysed; where that fails, each document alone, so that one document that
    trips a defect is reported (AnalysisFailed, logged with its traceback) and the others are
    kept. A closed analyser, or a pool whose worker died, is no document's fault: raised."""
    try:
        return list(analyser(docs))
    except (AnalyserClosed, BrokenProcessPool):
        raise
    except Exception as e:  # a defect met by some document: find which, keep the rest
        error = e
    if len(docs) > 1:  # outside the handler, so each document's traceback is its own
        return [done for doc in docs for done in _analysed(analyser, [doc])]
    log.error("analysis failed on %s", docs[0].source, exc_info=error)
    return [AnalysisFailed(docs[0].source, f"analysis failed ({type(error).__name__}: {error})")]


def analyse_sources(
    sources: Sequence[str],
    *,
    settings: Settings,
    published: date | None = None,
    analyser: Analyser | None = None,
) -> Iterator[Analysed | IngestError]:
    """Statements for each source without a database (`redline extract`)."""
    analyser = analyser or Analyser(settings)
    for batch in _batches(
        iter_docs(sources, settings=settings, published=published), analyser.batch_size
    ):
        docs = [d for d in batch if isinstance(d, Doc)]
        done = iter(_analysed(analyser, docs))
        for item in batch:
            yield item if isinstance(item, IngestError) else next(done)


def ingest(
    sources: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    published: date | None = None,
    on_item: Callable[[str], None] | None = None,
    analyser: Analyser | None = None,
) -> IngestReport:
    """Read, analyse and store every new article, then relink. Safe to kill and run again:
    each article is stored in its own transaction, and one already stored is skipped."""
    report = IngestReport()
    analyser = analyser or Analyser(settings)
    items = iter_docs(sources, settings=settings, published=published)
    for batch in _batches(items, analyser.batch_size):
        fresh: list[tuple[Doc, Fingerprint]] = []
        for item in batch:
            report.read += 1
            if isinstance(item, IngestError):
                report.errors.append(str(item))
            elif store.has_doc(item.id) or any(item.id == d.id for d, _ in fresh):
                report.duplicates += 1
            else:
                fp = fingerprint(item.text, boilerplate=item.boilerplate)
                item.story = store.find_story(
                    fp.bands,
                    fp.signature,
                    threshold=settings.syndication_threshold,
                    similarity=_signature_similarity,
                )
                if item.story is None:
                    item.story = _story_in_batch(fp, fresh, settings.syndication_threshold)
                report.syndicated += item.story is not None
                fresh.append((item, fp))
            if on_item is not None:
                on_item(str(getattr(item, "source", "")))
        for done, (_, fp) in zip(_analysed(analyser, [d for d, _ in fresh]), fresh, strict=True):
            if isinstance(done, IngestError):
                report.errors.append(str(done))
                continue
            if store.add_doc(done.doc, done.statements, bands=fp.bands, signature=fp.signature):
                report.new += 1
                report.statements += len(done.statements)
    report.contradictions = len(relink(store, settings=settings, coder=analyser.coder))
    return report


def _signature_similarity(a: list[int], b: list[int]) -> float:
    return similarity(Fingerprint(signature=a), Fingerprint(signature=b))


def _story_in_batch(
    fp: Fingerprint, fresh: list[tuple[Doc, Fingerprint]], threshold: float
) -> str | None:
    for doc, other in fresh:
        if set(fp.bands) & set(other.bands) and similarity(fp, other) >= threshold:
            return doc.story or doc.id
    return None


def find_contradictions(
    stmts: list[Statement],
    *,
    coder: Coder,
    settings: Settings,
    story_of: dict[str, str] | None = None,
) -> list[Contradiction]:
    """Contradictions among coded statements, found as the settings say: the rules, or the
    learned pair score (`linker`)."""
    return contradictions(
        stmts,
        polarity=coder.polarity_on,
        explicit=coder.explicit_on,
        claim_sign=coder.claim_sign,
        same_claim=coder.same_claim,
        covers=coder.gazetteer.covers,
        story_of=story_of,
        reversal_min_days=settings.reversal_min_days,
        scorer=PairScorer.load() if settings.linker == "learned" else None,
        nli=_nli(settings.nli_model) if settings.nli_model is not None else None,
        nli_threshold=settings.nli_threshold,
        nli_candidates=settings.nli_candidates,
    )


@lru_cache(maxsize=2)
def _nli(folder: Path) -> Nli:
    return load_nli(folder)


def relink(store: Store, *, settings: Settings, coder: Coder | None = None) -> list[Contradiction]:
    """Recompute contradictions over everything stored."""
    coder = coder or Coder(settings)
    story_of = {d.id: d.story or d.id for d in store.docs(with_text=False)}
    found = find_contradictions(
        store.statements(), coder=coder, settings=settings, story_of=story_of
    )
    store.replace_contradictions(found)
    return found
