"""Where a statement was made: the outlet told, the interview, the conference, the channel."""

from __future__ import annotations

from spacy.tokens import Token

VENUE_NOUNS = {
    "interview",
    "conference",
    "briefing",
    "summit",
    "talks",
    "meeting",
    "address",
    "speech",
    "forum",
    "session",
    "broadcast",
    "post",
    "telegram",
    "television",
    "tv",
    "channel",
    "programme",
    "program",
    "show",
    "podcast",
    "appearance",
    "rally",
    "event",
    "council",
    "assembly",
    "parliament",
    "hearing",
    "call",
    "statement",
    "video",
    "x",
    "twitter",
    "facebook",
    "message",
    "op-ed",
    "column",
    "newspaper",
    "radio",
    "debate",
    "ceremony",
    "visit",
    # where it was said: "at NATO headquarters", "at his Florida estate"
    "headquarters",
    "palace",
    "hall",
    "residence",
    "estate",
    "embassy",
    "broadcaster",  # "told public broadcaster ARD"
}
AUDIENCE = {"reporters", "journalists", "media", "press", "lawmakers", "parliament", "audience"}
VENUE_PREPS = {"in", "at", "during", "on", "to", "after", "before"}
PLACE_PREPS = {"in", "at"}
OUTLET_PREPS = {"on", "to"}
SPEAK_VERBS = {"speak", "address", "write", "post", "appear", "talk"}


def venue_phrase(cue: Token, content: set[int], subject: Token | None = None) -> str | None:
    """A short venue phrase from the cue's own modifiers, or None: "told Fox News", "said at a
    news conference", "wrote on Truth Social", "told a briefing", "told reporters at NATO
    headquarters", and a "speaking on Rossiya-1" hung on the cue or on its `subject`."""
    candidates = list(cue.children)
    speaking = [c for c in cue.children if c.dep_ == "advcl"]
    if subject is not None:
        speaking += [c for c in subject.children if c.dep_ == "acl"]
    for child in speaking:
        if child.lemma_ in SPEAK_VERBS:
            candidates.extend(child.children)
    for child in list(candidates):
        if child.lower_ in AUDIENCE or child.lemma_.lower() in AUDIENCE:
            # "told reporters at NATO headquarters": where the audience was
            candidates.extend(c for c in child.children if c.dep_ == "prep")
    for child in candidates:
        if child.i in content or any(t.i in content for t in child.subtree):
            continue
        if _is_told(cue, child):
            return _text(child)
        if child.dep_ == "prep" and child.lower_ in VENUE_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (
                pobj.lemma_.lower() in VENUE_NOUNS
                or pobj.lower_ in VENUE_NOUNS
                # "said in Istanbul", "told reporters at the Elysee"
                or (child.lower_ in PLACE_PREPS and pobj.ent_type_ in ("GPE", "FAC"))
                # "stated on Fox News", "speaking to Sky News": an outlet by name
                or (child.lower_ in OUTLET_PREPS and _outlet(pobj))
            ):
                return _text(pobj)
    return None


# words that make a name an outlet or a platform ("Fox News", "Truth Social", "Rossiya-1")
OUTLET_WORDS = {
    "news", "tv", "television", "radio", "channel", "social", "times", "post", "journal",
    "herald", "gazette", "telegraph", "guardian", "tribune", "daily", "broadcast",
    "broadcaster", "network", "media", "press", "agency", "x", "telegram", "facebook",
    "twitter", "instagram", "youtube", "bbc", "cnn", "msnbc", "abc", "cbs", "nbc", "ard",
    "zdf", "tass", "ria", "interfax", "rossiya", "izvestia", "kommersant", "ukrinform",
}  # fmt: skip


def _outlet(tok: Token) -> bool:
    """A named outlet or platform ("Fox News", "Truth Social", "Rossiya-1", "ARD"): a proper
    noun whose name has an outlet's word or a channel number. Not a person, place, holiday or
    topic ("to Trump", "on Kursk", "on Orthodox Easter", "on NATO")."""
    if tok.pos_ != "PROPN" or tok.ent_type_ in ("PERSON", "DATE", "EVENT"):
        return False  # (the parse may call "Truth Social" a place: its words decide)
    words = {w for t in tok.subtree for w in t.lower_.split("-")}
    return bool(words & OUTLET_WORDS) or tok.text[-1].isdigit()


def _is_told(cue: Token, child: Token) -> bool:
    """The outlet or the occasion "told": "told Fox News", "told the BBC", "told a news
    conference"; not a plain audience."""
    if child.dep_ not in ("dobj", "dative") or cue.lemma_ != "tell":
        return False
    if child.lemma_.lower() in VENUE_NOUNS and child.lemma_.lower() != "parliament":
        return True  # "told a briefing", "told a closed meeting of lawmakers"
    if child.lower_ in AUDIENCE or child.lemma_.lower() in AUDIENCE:
        return False  # "told reporters" says who heard it, not where it was said
    return child.ent_type_ in ("ORG", "PERSON", "WORK_OF_ART", "GPE") or child.pos_ == "PROPN"


def _text(tok: Token) -> str:
    words = list(tok.subtree)
    while words and (words[0].dep_ in ("det", "poss", "punct") or words[0].is_punct):
        words.pop(0)
    while words and words[-1].is_punct:
        words.pop()
    return tok.doc[words[0].i : words[-1].i + 1].text if words else tok.text
