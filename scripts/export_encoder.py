"""Export all-MiniLM-L6-v2 as an int8 ONNX sentence encoder for the learned issue coder.

Mean pooling over the attention mask and unit-length normalisation are part of the graph, so
the runtime (`redline.coding.issue_model.SentenceEncoder`) needs onnxruntime and tokenizers
only. Runs in the training environment (torch, transformers; see `make train-issues`):

    .train-venv/bin/python scripts/export_encoder.py [--out src/redline/models_data/issues]

Writes `encoder.onnx`, `tokenizer.json` and a `labels.json` with the token limit, which
`scripts/train_issue_model.py` then completes with the head's labels; a head fitted on another
encoder's vectors (`head.npz`) is stale until it runs (`make train-issues` runs both).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch
from torch import nn
from train_tagger import model_dir, quantize_int8  # the tagger's training script, beside this one

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "redline" / "models_data" / "issues"
MAX_TOKENS = 64  # most remarks and sentences fit; a longer one is cut at the end (64 and 128
# cross-validated alike: 63.1 / 62.3 and 63.2 / 62.4 at the 0.5 floor)


class Pooled(nn.Module):
    """The encoder's mean-pooled, normalised output: the sentence-transformers recipe."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask, token_type_ids=types)[0]
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return nn.functional.normalize(pooled, dim=-1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    import onnxruntime as ort
    from transformers import AutoModel, AutoTokenizer

    base = model_dir()
    tok = AutoTokenizer.from_pretrained(str(base))
    model = Pooled(AutoModel.from_pretrained(str(base))).eval()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="redline-encoder-"))
    fp32 = tmp / "encoder.fp32.onnx"
    enc = tok(["Kyiv will not trade land for a ceasefire"], return_tensors="pt")
    inputs = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(
        model,
        inputs,
        str(fp32),
        input_names=names,
        output_names=["embedding"],
        dynamic_axes={n: {0: "batch", 1: "sequence"} for n in names} | {"embedding": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_int8(fp32, args.out / "encoder.onnx")
    session = ort.InferenceSession(
        str(args.out / "encoder.onnx"), providers=["CPUExecutionProvider"]
    )
    got = session.run(None, {n: t.numpy() for n, t in zip(names, inputs, strict=True)})[0]
    with torch.no_grad():
        ref = model(*inputs).numpy()
    print(f"int8 against fp32, cosine: {float((got * ref).sum()):.4f}")
    tok_file = tmp / "tokenizer.json"
    tok.backend_tokenizer.save(str(tok_file))
    shutil.copyfile(tok_file, args.out / "tokenizer.json")
    labels = args.out / "labels.json"
    meta = json.loads(labels.read_text("utf-8")) if labels.exists() else {}
    meta["max_tokens"] = MAX_TOKENS
    labels.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"-> {args.out} ({(args.out / 'encoder.onnx').stat().st_size / 1e6:.1f} MB)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
