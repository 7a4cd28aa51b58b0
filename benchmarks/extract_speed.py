"""Extraction throughput and peak memory over a folder of texts (default: PolNeAR dev).

    .venv/bin/python benchmarks/extract_speed.py [FOLDER] [--limit N]

Prints articles per second and peak resident memory, the speed of spaCy's parse alone (the
ceiling for any design that parses), and textacy's `direct_quotations` on the same texts beside
it (when textacy is installed: `pip install -e ".[eval]"`); asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from redline.evaluate.polnear import Article, run_textacy
from redline.extract.nlp import load_nlp
from redline.models import Doc
from redline.pipeline import Analyser
from redline.settings import Settings

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear" / "dev" / "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (Analyser pool)")
    args = parser.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.is_file())[: args.limit]
    if not files:
        raise SystemExit(f"no texts under {args.folder}")
    docs = [Doc(source=str(p), text=p.read_text(encoding="utf-8", errors="replace")) for p in files]
    settings = Settings()
    analyser = Analyser(settings, workers=args.workers)
    analyser(docs[: 2 * args.workers])  # warm up: models loaded, caches filled
    start = time.perf_counter()
    # in calls of `batch_size` documents, as `redline ingest` hands them over
    size = analyser.batch_size
    done = [a for i in range(0, len(docs), size) for a in analyser(docs[i : i + size])]
    elapsed = time.perf_counter() - start
    stmts = sum(len(a.statements) for a in done)
    analyser.close()
    # this process's peak, plus the largest worker's times the number of workers
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.workers > 1:
        peak_mb += args.workers * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{len(docs)} articles, {stmts} statements in {elapsed:.1f} s: "
        f"{len(docs) / elapsed:.1f} articles/s, peak RSS {peak_mb:.0f} MB ({args.workers} worker(s))"
    )
    # the ceiling: spaCy's parse alone, which every statement needs, with as many processes
    nlp = load_nlp(settings.spacy_model)
    texts = [d.text for d in docs]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=args.workers):
        pass
    parse = time.perf_counter() - start
    print(
        f"spaCy parse alone, same texts ({args.workers} process(es)): {parse:.1f} s: "
        f"{len(docs) / parse:.1f} articles/s"
    )
    # the peer on the same texts, in the same run (its own spaCy parse, one process)
    peer = run_textacy([Article(d.source, d.text, [], []) for d in docs], settings)
    if peer.seconds:
        print(
            f"textacy direct_quotations, same texts: {peer.statements} quotations in "
            f"{peer.seconds:.1f} s: {len(docs) / peer.seconds:.1f} articles/s"
        )
    else:
        print(f"textacy: {peer.note}")


if __name__ == "__main__":
    main()
