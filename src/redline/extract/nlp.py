"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from redline.errors import ModelNotInstalled

NEWLINE_SENTS = "redline_newline_sents"


@Language.component(NEWLINE_SENTS)
def newline_sents(sdoc: SpacyDoc) -> SpacyDoc:
    """A line break ends a sentence: headlines and captions have no full stop to end them."""
    for tok in sdoc[1:]:
        prev = sdoc[tok.i - 1]
        if "\n" in prev.text_with_ws and not tok.is_space:
            tok.is_sent_start = True
    return sdoc


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Language:
    """Load an installed spaCy pipeline by name; the model name is a setting, not a constant."""
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ModelNotInstalled(name) from e
    if "parser" in nlp.pipe_names and NEWLINE_SENTS not in nlp.pipe_names:
        nlp.add_pipe(NEWLINE_SENTS, before="parser")
    return nlp
