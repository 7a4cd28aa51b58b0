"""Parse PolNeAR's texts once with redline's spaCy pipeline, for the syntax-aware tagger.

`scripts/train_tagger.py --syntax FILE` gives each wordpiece the fine tag, dependency label and
head side of the parse token it starts in (`redline.extract.tagger.wordpiece_features`). The
training machine has torch but no spaCy, so the parse is made here, in redline's environment,
exactly as the runtime makes it (wire datelines blanked, the same pipeline), and written as one
gzipped JSON file:

    {"model": ..., "vocab": {"tag": [...], "dep": [...]},
     "texts": {"<split>/<name>": [[first char, tag id, dep id, head side], ...]}}

    .venv/bin/python scripts/parse_polnear.py --data ../shared/eval/polnear --out syntax.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from redline.extract.nlp import blank_markers, load_nlp
from redline.extract.tagger import token_table
from redline.settings import Settings

REPO = Path(__file__).resolve().parent.parent


def vocab_of(nlp) -> dict[str, list[str]]:
    """The tag and dependency label sets the pipeline can output, in its own order."""
    return {
        "tag": list(nlp.get_pipe("tagger").labels),
        "dep": list(nlp.get_pipe("parser").labels),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "polnear")
    ap.add_argument("--splits", default="train,dev")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()

    settings = Settings()
    nlp = load_nlp(settings.spacy_model)
    vocab = vocab_of(nlp)
    keys, texts = [], []
    for split in args.splits.split(","):
        for path in sorted((args.data / split / "text").glob("*.txt")):
            keys.append(f"{split}/{path.stem}")
            # offsets index the text exactly as decoded (no newline translation)
            texts.append(blank_markers(path.read_bytes().decode("utf-8")))
    t0 = time.time()
    tables = {
        key: token_table(sdoc, vocab).tolist()
        for key, sdoc in zip(keys, nlp.pipe(texts, batch_size=8), strict=True)
    }
    print(f"parsed {len(tables)} texts in {time.time() - t0:.0f} s")
    payload = {"model": settings.spacy_model, "vocab": vocab, "texts": tables}
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, separators=(",", ":"))
    print(f"wrote {args.out} ({args.out.stat().st_size / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
