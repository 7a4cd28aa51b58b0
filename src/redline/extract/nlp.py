"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc as SpacyDoc

from redline.errors import ModelNotInstalled

NEWLINE_SENTS = "redline_newline_sents"
# hyphenated titles read as one word
ONE_WORD_TITLES = ("Commander-in-Chief",)

# A wire dateline opening a paragraph: "GENEVA, 14 March (RNA) - ", "MOSCOW, July 20. /TASR/. ",
# "KYIV (Northwind) — ": a place in capitals, perhaps a date, perhaps the agency, then a dash or a
# full stop before the first sentence.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    # GENEVA, NEW YORK, ST. PETERSBURG, MOSCOW/RIO DE JANEIRO
    r"^(?P<line>[A-Z][A-Z'.\-]+(?:[ /][A-Z][A-Z'.\-]+){0,4}"
    r"(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)??"  # ", Ukraine" or ", D.C."
    rf"(?P<date>,? (?:\d{{1,2}} {_MONTH}|{_MONTH} \d{{1,2}})(?:,? \d{{4}})?)?"
    r"\.?(?P<agency> ?\([^()\n]{1,40}\)| ?/[^/\n]{1,40}/\.?)?"
    # a dash ends it; a full stop only after a date or an agency ("MOSCOW, July 20. /TASR/.")
    r"(?: ?[-–—]+|(?(agency)|(?(date)|(?!)))(?<=[./]))) +(?=[A-Z\"“‘'])",
    re.MULTILINE,
)


# a post's number in a thread: "4/ Reminder: ...", "2) The ministry ..."
_THREAD_NUMBER = re.compile(r"^\d{1,2}(?:/\d{1,2})?[/)] +(?=\S)", re.MULTILINE)


def blank_markers(text: str) -> str:
    """`text` with wire datelines and thread numbers blanked by spaces (same length, so offsets
    hold): the parser reads "GENEVA, 14 March (RNA) - The ministry said" as GENEVA saying it, and
    "6/ Russian MoD denies" as a speaker called "6/ Russian MoD"."""
    text = _DATELINE.sub(_blank, text)
    return _THREAD_NUMBER.sub(_blank, text)


def dateline_places(text: str) -> list[str]:
    """The places of the wire dateline opening `text`, as written ("SOCHI/MOSCOW. The head of
    state said" -> ["Sochi", "Moscow"]): the words in capitals before the first comma, full
    stop, bracket or dash; none where the text opens otherwise ("NATO: ...", "Key takeaways")."""
    m = _DATELINE_PLACES.match(text.lstrip())
    if m is None:
        return []
    return [p.strip().title() for p in m.group(1).split("/") if p.strip()]


# "MOSCOW, ...", "SOCHI/MOSCOW. ...", "ST. PETERSBURG, ...", "KYIV (Reuters) - ...", "KYIV - ...".
# Looser than _DATELINE, which blanks text and so ends a dateline at a full stop only after a
# date or an agency: "MOSCOW. The question of ..." places the story without being blanked.
_DATELINE_PLACES = re.compile(
    r"((?:ST\. )?[A-Z][A-Z'\-]+(?:[ /][A-Z][A-Z'\-]+){0,3})(?:[,.] | ?[(]| [-–—])"
)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


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
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        # split at its hyphens, "in" becomes a preposition and the name after it its object:
        # "Ukrainian Commander-in-Chief Oleksandr Syrskyi stated" had "Ukrainian Commander"
        # speak
        for title in ONE_WORD_TITLES:
            for form in {title, title.lower(), title.title()}:
                tokenizer.add_special_case(form, [{ORTH: form}])
    return nlp
