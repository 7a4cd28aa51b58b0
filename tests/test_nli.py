"""The optional NLI cross-encoder: it rescores what the linker finds and adds the candidate
pairs it reads as contradictory; without one, nothing changes.

The model here is a real ONNX graph run by onnxruntime with a real tokenizer, built small for
the test: its logits add up per word, and a word of refusal ("not", "never", "refuses") pulls
a pair toward contradiction. The plumbing is what is tested, not NLI."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from redline.coding import Coder
from redline.errors import ConfigError
from redline.link import contradictions
from redline.link.nli import load_nli, symmetric
from redline.models import Offsets, Statement
from redline.pipeline import Analyser, find_contradictions
from redline.settings import Settings

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402
from tokenizers import Tokenizer, models, pre_tokenizers, processors  # noqa: E402

LABELS = {"0": "contradiction", "1": "entailment", "2": "neutral"}
REFUSAL = ("not", "never", "refuses")
WORDS = [
    "russia",
    "will",
    "agree",
    "to",
    "a",
    "ceasefire",
    "in",
    "the",
    "east",
    "moscow",
    "wants",
    "talks",
    "kyiv",
    "says",
    "sanctions",
    "must",
    "stay",
    "lift",
    "on",
    "banks",
]


def _write_model(folder: Path, *, labels: dict[str, str] = LABELS, types: bool = True) -> Path:
    """model.onnx, tokenizer.json and config.json: what a cross-encoder's ONNX export holds."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *REFUSAL, *WORDS])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tok.save(str(folder / "tokenizer.json"))
    weights = np.zeros((len(vocab), 3), dtype=np.float32)
    weights[:, 2] = 0.2  # each word leans a little to neutral
    for word in REFUSAL:
        weights[vocab[word]] = (6.0, 0.0, 0.0)  # contradiction
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "t"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "t"])
    types_in = helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["b", "t"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["b", 3])
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["emb"]),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis2"], ["mask3"]),
        helper.make_node("Mul", ["emb", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["logits"], keepdims=0),
    ]
    inits = [
        helper.make_tensor("table", TensorProto.FLOAT, weights.shape, weights.flatten()),
        helper.make_tensor("axis1", TensorProto.INT64, [1], [1]),
        helper.make_tensor("axis2", TensorProto.INT64, [1], [2]),
    ]
    if types:  # declared like BERT's, not read
        nodes.append(helper.make_node("Shape", ["token_type_ids"], ["unused"]))
    graph = helper.make_graph(
        nodes, "bag_of_words_nli", [ids, mask, *([types_in] if types else [])], [logits], inits
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    (folder / "config.json").write_text(json.dumps({"id2label": labels}), "utf-8")
    return folder


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_model(tmp_path_factory.mktemp("nli"))


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder(Settings(actors_files=[], taxonomy_file=None))


_ids = itertools.count()


def _said(coder: Coder, speaker: str, content: str, day: date) -> Statement:
    n = next(_ids)
    stmt = Statement(
        doc=f"doc-{n}",
        doc_id=f"doc-{n}",
        speaker_mention=speaker,
        cue="said",
        cue_lemma="say",
        content=content,
        quote="indirect",
        offsets=Offsets(cue=[(0, 4)], content=[(5, 5 + len(content))]),
        speaker_name=speaker,
        said_on=day,
    )
    stmt.id = f"s{n}"
    coder.code(stmt)
    return stmt


def test_the_model_reads_refusal_as_contradiction(model_dir: Path) -> None:
    nli = load_nli(model_dir)
    agree, refuse = symmetric(
        nli,
        [
            ("Russia will agree to a ceasefire", "Moscow wants a ceasefire"),
            ("Russia will agree to a ceasefire", "Russia will never agree to a ceasefire"),
        ],
    )
    assert agree < 0.2 < 0.9 < refuse


def test_without_a_model_nothing_changes(coder: Coder) -> None:
    stmts = [
        _said(coder, "Dmitry Peskov", "Russia is ready for a ceasefire", date(2025, 3, 1)),
        _said(coder, "Dmitry Peskov", "Russia rejects any ceasefire", date(2025, 3, 5)),
    ]
    plain = find_contradictions(stmts, coder=coder, settings=Settings(nli_model=None))
    rules = contradictions(
        stmts,
        polarity=coder.polarity_on,
        explicit=coder.explicit_on,
        claim_sign=coder.claim_sign,
        same_claim=coder.same_claim,
    )
    assert plain and [(c.a.id, c.b.id, c.reason, c.confidence) for c in plain] == [
        (c.a.id, c.b.id, c.reason, c.confidence) for c in rules
    ]
    assert all("NLI" not in c.reason for c in plain)
    # an empty setting is no model, not the current folder
    assert Settings(nli_model="").nli_model is None


def test_answers_are_kept_and_a_broken_folder_is_told_at_start(
    model_dir: Path, tmp_path: Path
) -> None:
    nli = load_nli(model_dir)
    first = nli.contradiction([("Russia will agree", "Russia will not agree")])
    assert nli.contradiction([("Russia will agree", "Russia will not agree")]) == first
    with pytest.raises(ConfigError, match="not a folder"):
        Analyser(Settings(nli_model=tmp_path / "missing", tagger=False))


def test_the_model_rescores_what_the_rules_found(coder: Coder, model_dir: Path) -> None:
    stmts = [
        _said(coder, "Dmitry Peskov", "Russia is ready for a ceasefire", date(2025, 3, 1)),
        _said(coder, "Dmitry Peskov", "Russia rejects any ceasefire", date(2025, 3, 5)),
    ]
    plain = contradictions(stmts, polarity=coder.polarity_on)
    assert len(plain) == 1
    before = plain[0].confidence
    [pair] = contradictions(stmts, polarity=coder.polarity_on, nli=load_nli(model_dir))
    assert "NLI model: contradiction 0." in pair.reason
    # no refusal word: the model doubts it, and the confidence falls halfway to its figure
    assert pair.confidence < before


def test_the_model_adds_pairs_the_rules_passed_over(coder: Coder, model_dir: Path) -> None:
    a = _said(coder, "Sergey Lavrov", "Sanctions on banks must stay", date(2025, 4, 1))
    # the rules read both as for sanctions staying; the toy model reads "never" as a
    # contradiction
    b = _said(
        coder,
        "Sergey Lavrov",
        "Sanctions on banks will stay on Russia, never lift",
        date(2025, 5, 2),
    )
    assert find_contradictions([a, b], coder=coder, settings=Settings(nli_model=None)) == []
    settings = Settings(nli_model=model_dir, linker="rules")
    [pair] = find_contradictions([a, b], coder=coder, settings=settings)
    assert (pair.a.id, pair.b.id, pair.kind) == (a.id, b.id, "reversal")
    assert "found by the NLI model" in pair.reason
    # the threshold is the user's
    strict = Settings(nli_model=model_dir, linker="rules", nli_threshold=0.9999999)
    assert find_contradictions([a, b], coder=coder, settings=strict) == []


def test_candidates_stay_within_a_side(coder: Coder, model_dir: Path) -> None:
    a = _said(coder, "Sergey Lavrov", "Kyiv must agree to a ceasefire", date(2025, 4, 1))
    b = _said(coder, "Andrii Sybiha", "Kyiv will never agree to a ceasefire", date(2025, 4, 2))
    assert a.side != b.side
    assert contradictions([a, b], polarity=coder.polarity_on, nli=load_nli(model_dir)) == []


def test_an_export_without_token_types_runs(tmp_path: Path) -> None:
    nli = load_nli(_write_model(tmp_path / "m", types=False))
    assert nli.contradiction([("Russia will not agree", "Russia will agree")])[0] > 0.9


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p, "is not a folder"),
        (lambda p: p.mkdir() or p, "has no config.json"),
        (lambda p: _write_model(p, labels={"0": "negative", "1": "positive"}), "not an NLI model"),
    ],
)
def test_a_folder_that_is_no_nli_model_is_refused(tmp_path: Path, setup, message: str) -> None:
    folder = setup(tmp_path / "model")
    with pytest.raises(ConfigError, match=message):
        load_nli(folder)


def test_weights_without_sentence_transformers_say_what_to_install(tmp_path: Path) -> None:
    folder = _write_model(tmp_path / "m")
    (folder / "model.onnx").unlink()
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match="sentence-transformers"):
            load_nli(folder)
    else:
        with pytest.raises(ConfigError, match="cannot be loaded"):
            load_nli(folder)
