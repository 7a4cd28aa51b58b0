"""Who a speaker mention names: "he", "the minister", "Lavrov" -> the named person in the text.

Works inside one document. What the text cannot settle ("Russia's top diplomat" with no name
nearby) is left to the actor registry in the coding stage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from redline.models import INSTITUTIONS

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
PLURAL_PRONOUNS = {"they", "we"}
TITLE_WORDS = {
    "president",
    "minister",
    "foreign",
    "prime",
    "secretary",
    "general",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chancellor",
    "ambassador",
    "envoy",
    "special",
    "deputy",
    "defence",
    "defense",
    "head",
    "chief",
    "commander-in-chief",
    "ceo",
    "commissioner",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "senator",
    "rep",
    "gen",
    "lt",
    "col",
    "adm",
    "state",
    "vice",
    "first",
    "lady",
    "pope",
    "king",
    "crown",
    "prince",
    "sheikh",
    "emir",
    "chairman",
    "chair",
    "speaker",
    "director",
    "advisor",
    "adviser",
    "aide",
    "official",
    "press",
    "national",
    "security",
    "mayor",
    "governor",
    "commander",
    "marshal",
    "former",
    "acting",
    "top",
    "senior",
}
SYNONYMS = {
    "diplomat": {"foreign", "diplomat", "secretary"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson", "press", "secretary"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson", "press"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson", "press"},
    "leader": {"president", "leader", "minister", "chancellor"},
    "chief": {"chief", "head", "general", "director", "secretary"},
    "envoy": {"envoy", "special", "representative"},
    # "the delegate" is who led or sat in the delegation named before; "the Kremlin
    # representative" its spokesman as often as an envoy (see `BY_ROLE_ONLY`)
    "delegate": {"delegate", "delegation", "negotiator"},
    "representative": {"representative", "envoy", "spokesman", "spokeswoman", "spokesperson"},
    "minister": {"minister"},
    "president": {"president"},
}
# descriptions that name a person only through the registry's roles, never through the words
# the text puts near a name: "Zelensky said his delegation would go" does not make him "the
# delegate", nor "US envoy Steve Witkoff met Putin" Putin "the representative"
BY_ROLE_ONLY = {"delegate", "representative"}
# a summit's documents, which speak for the bloc that met (see `SpeakerResolver._bloc_of`)
SUMMIT_DOCUMENTS = {"communique", "communiqué", "declaration"}
_BLOC = re.compile(
    r"\b(?:NATO|the (?:North )?Atlantic [Aa]lliance|the alliance|the EU|the European Union|"
    r"the bloc|the G7|G7|the Group of Seven|the G20|G20)\b"
)
# the generic words for a bloc, and what must have named it before
_NAMED_BLOC = {
    "the alliance": re.compile(r"\bNATO\b|\bNorth Atlantic\b"),
    "the bloc": re.compile(r"\bEU\b|\bEuropean Union\b"),
}
_OTHER_BLOCS = re.compile(
    r"\b(?:CSTO|Collective Security Treaty|BRICS|SCO|Shanghai Cooperation|Eurasian|CIS)\b"
)
NEARBY_TOKENS = 120  # how far back a pronoun's or a document's speaker may be
# what a body or person issues, speaking through it: "the statement said", "the readout says"
DOCUMENT_NOUNS = {
    "statement",
    "communique",
    "communiqué",
    "readout",
    "memorandum",
    "memo",
    "post",
    "letter",
    "declaration",
    "bulletin",
    "release",
    "transcript",
    "decree",
    "document",
}
# what makes a document, and what only handles it ("which Kyiv rejected", "seen by Reuters")
MAKING_VERBS = {
    "adopt",
    "agree",
    "approve",
    "circulate",
    "compile",
    "draft",
    "hand",
    "issue",
    "prepare",
    "present",
    "publish",
    "put",
    "release",
    "send",
    "sign",
    "submit",
    "table",
    "write",
}
# a document named again by a general word ("The Russian memorandum ... the document says"):
# the document named before, whatever it was called
DOCUMENT_ANAPHORS = {"document"}
BODY_NOUNS = {
    "institute",
    "ministry",
    "office",
    "council",
    "agency",
    "service",
    "committee",
    "centre",
    "center",
    "fund",
    "commission",
    "department",
}
NAME_LABELS = {"PERSON"}
NAME_PARTICLES = {
    "von",
    "der",
    "van",
    "de",
    "den",
    "del",
    "bin",
    "al",
    "la",
    "le",
    "du",
    "da",
    "ibn",
    "ter",
}
BODY_LABELS = {"ORG", "GPE", "NORP", "FAC"}


@dataclass(slots=True)
class Named:
    """A name in the text with the words around it that say what the person is."""

    start: int
    name: str
    label: str
    context: set[str]
    subject: bool = False


class SpeakerResolver:
    """Resolves speaker mentions to names, walking the document in order."""

    def __init__(
        self,
        sdoc: SpacyDoc,
        *,
        gender: Callable[[str], str | None] | None = None,
        person: Callable[[str], bool | None] | None = None,
        roles: Callable[[str], set[str]] | None = None,
        sent: Callable[[Token], SpacySpan] | None = None,
        quoted: Container[int] = (),
        reported: Container[int] = (),
    ) -> None:
        self.sdoc = sdoc
        # tokens of what is said or asked (inside quotation marks, or a question put to a
        # speaker): a name there is no antecedent for the writer's "he" ('"... as long as
        # Putin is the president," he said') while another name is
        self.quoted = quoted
        # tokens of what anyone is reported to have said: a subject there ('he said that
        # Zelensky is "the legitimate president"') is no subject of the writer's story
        self.reported = reported
        self.sent = sent or (lambda tok: tok.sent)
        self.gender = gender or (lambda name: None)
        self.person = person or (lambda name: None)
        self.roles = roles or (lambda name: set())
        self.named: list[Named] = []
        for ent in self._joined_ents:  # "Chinese" + "Foreign Ministry" named as one
            if ent.label_ in NAME_LABELS | BODY_LABELS:
                name = clean_name(ent.text)
                if name:
                    # a person the parser took for a place ("Nebenzia was asked") counts too
                    one = ent.label_ == "PERSON" or self.person(name) is True
                    # a sentence's subject, not one of a clause inside a noun phrase ("Lavrov,
                    # who entered after Zelensky had left, dismissed ..."): no antecedent
                    subject = (
                        one
                        and (_of_subject(ent.root) or _subject_misparsed(ent))
                        and not any(a.dep_ in ("relcl", "acl") for a in ent.root.ancestors)
                    )
                    self.named.append(
                        Named(ent.start, name, ent.label_, self._context(ent.root), subject)
                    )
        self.spoken: list[tuple[int, str]] = []  # (token index, name) of earlier speakers
        self.bodies: set[str] = set()  # names an "it" went to: not a "he" or a "she"
        # (token index, head word) of the unnamed ("a senior official"), for "the official"
        self.unnamed: list[tuple[int, str]] = []
        self._making: set[int] = set()  # documents whose maker is being looked for

    def _context(self, tok: Token) -> set[str]:
        words = {
            t.lemma_.lower() for t in self.sent(tok) if abs(t.i - tok.i) <= 6 and not t.is_punct
        }
        for c in tok.children:
            if c.dep_ == "appos":
                words |= {t.lemma_.lower() for t in c.subtree}
        if tok.dep_ == "appos":
            words |= {t.lemma_.lower() for t in tok.head.subtree}
        return words

    def note_speaker(self, at: int, name: str) -> None:
        self.spoken.append((at, name))

    def resolve(self, subject: Token, mention: set[int], verb: Token | None = None) -> str | None:
        """The name a subject refers to, or None when the text does not say; `verb` is the
        cue verb the subject speaks by, where there is one."""
        if subject.pos_ == "ADP":
            # a source drawn as "per Medinsky", "via Peskov": the one it names
            subject = next((c for c in subject.children if c.dep_ == "pobj"), subject)
        if (
            subject.tag_ in ("WP", "WDT")
            and subject.head.dep_ == "relcl"
            and subject.head.head.i < subject.i
            and verb in (None, subject.head)
        ):
            # "Viktor Orban, who had promised on December 7 that ...", "the United States,
            # which announced ...": the one the clause is about. Not for a cue the clause
            # does not govern ("Dmitriev, who told Fox News that ..., highlighting the
            # Kremlin's contradictory messaging": the writer's aside as likely as his)
            antecedent = subject.head.head
            return self.resolve(
                antecedent, {t.i for t in antecedent.subtree if t.i <= antecedent.i}
            )
        toks = [self.sdoc[i] for i in sorted(mention)]
        lower = subject.lower_
        if lower in PRONOUN_GENDER or lower in PLURAL_PRONOUNS:
            return self._pronoun(subject)
        if lower == "it":
            return self._body_antecedent(subject.i)
        aged = AGED.fullmatch(self.sdoc[toks[0].i : toks[-1].i + 1].text) if toks else None
        if aged:
            # "The 79-year-old said": news copy's way to name again the person just spoken of,
            # or the one the text gave that age ("Ksenia Karelina, a 33-year-old dual national")
            return self._aged(aged.group(1), toks[0].i) or self._antecedent(
                subject.i, None, plural=False
            )
        if _is_document(subject):
            return self._issuer(subject, toks)
        name = self._name_in(toks, head=subject.i)
        if name is None and subject.text[:1].isupper() and self.person(subject.text) is True:
            # "Trump later wrote": a name the tagger read as a word ("trump"), not a
            # description of whoever has "Trump" among their roles (his vice president)
            return self._expand(subject.text, subject.i)
        if name and name.lower() in BODY_NOUNS:
            # "The Institute assesses": a kind of body, capitalised; the one named last
            return self._by_description(subject, toks) or name
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        if subject.lower_ in OWN_WORDS and subject.pos_ == "NOUN" and owner is not None:
            # "[08:14] Putin's offer, in his own words: ...": his words speak for him
            return self.resolve(owner, {t.i for t in owner.subtree if t.tag_ != "POS"})
        if name and subject.pos_ != "PROPN" and self._only_possessor(toks, subject):
            # "Zelensky's chief of staff", "Ukraine's top negotiator": not Zelensky, not Ukraine
            return self._by_description(subject, toks)
        if subject.lower_ in PERSON_NOUNS:
            # "Russia's Permanent Representative to the UN, Vasily Nebenzya": a title the
            # parser takes for a name, with the name set off after it
            appended = self._appended_name(toks, subject)
            if appended:
                return self._expand(appended, subject.i)
            after_body = self._name_after_body(toks, subject)
            if after_body:
                return self._expand(after_body, subject.i)
        if name and subject.pos_ == "PROPN":
            return self._expand(name, subject.i)
        for c in subject.children:
            if c.dep_ == "appos":
                if verb is None and any(
                    t.text == ":" for t in self.sdoc[subject.i : c.left_edge.i]
                ):
                    # a digest label's words after its colon, which the parser may hang on
                    # the label as an apposition, are what was said, not who said it
                    continue
                inner = self._name_in(list(c.subtree), persons_only=True)
                if inner:
                    return self._expand(inner, subject.i)
        if name:
            return self._expand(name, subject.i)
        if subject.pos_ == "NOUN" and subject.lower_ not in PERSON_NOUNS:  # read above if so
            appended = self._appended_name(toks, subject)
            if appended:
                return self._expand(appended, subject.i)
        if subject.pos_ == "NOUN" and toks and toks[0].lower_ in INDEFINITE:
            # "A senior European diplomat in Kyiv, who asked not to be named": someone the
            # text does not name, not the foreign minister named before
            body = self._spoken_for(subject)
            if body is None:
                self.unnamed.append((subject.i, subject.lemma_.lower()))
            return body
        if subject.pos_ in ("NOUN", "PROPN"):
            named = self._by_description(subject, toks)
            if named and self._unnamed_since(subject, named):
                return None  # "A senior European diplomat said ... the diplomat added"
            return named or self._spoken_for(subject) or self._owned_body(toks, subject)
        return None

    @staticmethod
    def _owned_body(toks: list[Token], subject: Token) -> str | None:
        """A body the text writes in lower case with the country it belongs to ("China's
        foreign ministry", "the Russian transport ministry"): that phrase, without its article,
        is its name (an "it" after it is that body)."""
        if subject.lower_ not in INSTITUTIONS:
            return None
        words = [t for t in toks if t.i <= subject.i]
        if not any(t.ent_type_ in ("GPE", "NORP") for t in words):
            return None
        while words and words[0].pos_ == "DET":
            words.pop(0)
        # as written, possessive included ("Ukraine's southern military command")
        return subject.doc[words[0].i : subject.i + 1].text if words else None

    def _unnamed_since(self, head: Token, name: str) -> bool:
        """Whether an unnamed speaker of the same kind ("a senior European diplomat") spoke
        after the last mention of `name`, nearby: "the diplomat" is that one."""
        lemma = head.lemma_.lower()
        last = max(
            (n.start for n in self.named if _one_name(n.name, name) and n.start < head.i),
            default=-1,
        )
        return any(
            last < at < head.i and kind == lemma and head.i - at < 2 * NEARBY_TOKENS
            for at, kind in self.unnamed
        )

    def _pronoun(self, pronoun: Token) -> str | None:
        """Who "he", "she", "they" or "we" is. An object pronoun is not its own clause's
        subject, and is that subject's owner where it has one: "Zelensky's press secretary
        Serhiy Nykyforov quoted him" is Zelensky."""
        lower = pronoun.lower_
        gender, plural = PRONOUN_GENDER.get(lower), lower in PLURAL_PRONOUNS
        subj = _clause_subject(pronoun)
        if subj is None:
            # "Putin, he said, has never questioned ...": not who the words are about
            host = _host_subject(pronoun)
            about = self._name_of(host) if host is not None else None
            besides = self._expand(about, host.i) if about and host is not None else None
            return self._antecedent(pronoun.i, gender, plural=plural, besides=besides)
        owner = self._name_of(
            next((t for t in subj.subtree if t.dep_ == "poss" and t.i < subj.i), None)
        )
        if owner and self._agrees(owner, gender, plural):
            return owner
        besides = self._name_of(subj) or self._name_in(list(subj.subtree), persons_only=True)
        return self._antecedent(
            pronoun.i,
            gender,
            plural=plural,
            besides=self._expand(besides, subj.i) if besides else None,
        )

    @staticmethod
    def _appended_name(toks: list[Token], subject: Token) -> str | None:
        """The name set off after a description's last comma ("Russia's envoy to the UN,
        Vasily Nebenzia"): the parser hangs it on the place or body the description ends
        with, so it is no apposition of the head noun. Where another person is described
        after the head ("an aide to Russia's president, Vladimir Putin", "a spokesman for the
        governor of Mykolaiv, Vitaliy Kim"), the name is theirs, not the speaker's."""
        if not toks:
            return None
        if any(
            t.i > subject.i and t.pos_ in ("NOUN", "PROPN") and t.lower_ in PERSON_NOUNS
            for t in toks
        ):
            return None
        span = list(toks[0].doc[toks[0].i : toks[-1].i + 1])  # the commas the mention skips
        while span and span[-1].is_punct:
            span.pop()
        commas = [n for n, t in enumerate(span) if t.text == ","]
        if not commas:
            return None
        run = [t for t in span[commas[-1] + 1 :] if not t.is_punct]
        if not run or run[-1].dep_ != "appos" or any(t.pos_ != "PROPN" for t in run):
            return None
        if any(t.lower_ in TITLE_WORDS for t in run):
            return None
        text = " ".join(t.text for t in run)
        return clean_name(text) if _name_shaped(text) else None

    def _name_after_body(self, toks: list[Token], subject: Token) -> str | None:
        """The name that ends a title's phrase right after the body or country it serves
        ("Commander-in-Chief of the Ukrainian Armed Forces Valerii Zaluzhnyi"): the parser
        hangs it under the preposition, so it is no name the title heads. Not a name after
        another title ("an aide to President Vladimir Putin") or after a preposition ("a
        spokesman for Vladimir Putin"): that person is someone else."""
        if not toks or toks[-1].i <= subject.i:
            return None
        if any(t.i > subject.i and t.lower_ in PERSON_NOUNS for t in toks):
            # "a spokesman for the Commander-in-Chief of the Armed Forces ... Oleksandr
            # Syrskyi": the name is the person served
            return None
        ids = {t.i for t in toks}
        name = self._trailing_name(toks[-1].i, ids)
        if name is None:
            return None
        before = self.sdoc[toks[-1].i - len(name.split())]
        if before.i == subject.i and subject.pos_ == "NOUN":
            # "His Ukrainian counterpart Rustem Umerov": the parser split the title from the
            # name that follows it
            return clean_name(name)
        if before.i <= subject.i or before.ent_type_ not in ("ORG", "GPE", "NORP"):
            return None
        return clean_name(name)

    def _name_in(
        self, toks: list[Token], *, persons_only: bool = False, head: int | None = None
    ) -> str | None:
        ids = {t.i for t in toks}
        labels = NAME_LABELS if persons_only else NAME_LABELS | BODY_LABELS
        ents = [
            e
            for e in self._joined_ents
            if e.label_ in labels
            and e.label_ != "NORP"
            and e.start in ids
            and e.root.i in ids
            and e.end - 1 in ids
            and (head is None or e.start <= head < e.end)
        ]
        # the entity the phrase is headed by wins ("Kremlin spokesman Dmitry Peskov": Peskov),
        # then people before bodies
        ents.sort(
            key=lambda e: (max(ids) not in range(e.start, e.end), e.label_ not in NAME_LABELS)
        )
        for ent in ents:
            name = clean_name(ent.text)
            if name:
                return self._owned(ent, name, ids)
        proper = [
            t
            for t in toks
            if t.pos_ == "PROPN"
            and t.text[:1].isupper()  # "the Russian transport ministry": no name in lower case
            and t.lower_ not in TITLE_WORDS
            and t.dep_ != "poss"
            and t.head.dep_ != "poss"
            # a person's name only: not "Ukraine" in an apposition the parser makes of a
            # list ("the head of state stressed, naming ... a neutral status for Ukraine"),
            # unless the registry knows the word for a person's ("Nebenzia", tagged a place)
            and not (
                persons_only and t.ent_type_ in _NOT_PERSON and self.person(t.text) is not True
            )
        ]
        if head is not None and self.sdoc[head].pos_ != "PROPN":
            return None
        if head is not None:
            run = self._trailing_name(head, ids)
            if run:
                return run
        tops = [t for t in proper if t.head.i not in {x.i for x in proper}]
        if proper and tops and tops[0].i == max(t.i for t in proper):
            # "Ambassador to Germany Sergei Nechaev": the place before the name is not in it
            while len(proper) > 1 and proper[0].ent_type_ in ("GPE", "NORP"):
                proper.pop(0)
            return clean_name(" ".join(t.text for t in proper))
        return None

    def _owned(self, ent: SpacySpan, name: str, ids: set[int]) -> str:
        """A body's name with the country that owns it in the mention: "Russia's Defence
        Ministry" (a registry alias), not a "Defence Ministry" of no country."""
        if ent[-1].lower_ not in INSTITUTIONS or ent.start < 2:
            return name
        mark, owner = self.sdoc[ent.start - 1], self.sdoc[ent.start - 2]
        if mark.tag_ != "POS" or owner.i not in ids or owner.ent_type_ not in ("GPE", "NORP"):
            return name
        place = next((e for e in self.sdoc.ents if e.start <= owner.i < e.end), None)
        return f"{place.text if place is not None else owner.text}'s {name}"

    @cached_property
    def _joined_ents(self) -> list[SpacySpan]:
        """The document's entities, with a person's name joined over particles to the name word
        after it ("Ursula von der" PERSON + "Leyen" GPE, "Ursula von" + "der" + "Leyen": one
        person). Worked out once per document: every mention looks through them."""
        out: list[SpacySpan] = []
        for e in self.sdoc.ents:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.label_ == "NORP"
                and prev.end == e.start
                and e.label_ == "ORG"
                and e[-1].lower_ in INSTITUTIONS
            ):
                # "Chinese" + "Foreign Ministry": one body, the Chinese Foreign Ministry
                out[-1] = SpacySpan(self.sdoc, prev.start, e.end, label="ORG")
                continue
            if (
                prev is not None
                and prev.label_ == "ORG"
                and prev.end == e.start
                and e.label_ in ("GPE", "ORG")
                and (prev[-1].lower_ == "of" or prev[-2:].text.lower() == "of the")
            ):
                # "The Foreign Ministry of the" + "PRC": the parser's body stops short of its
                # country
                out[-1] = SpacySpan(self.sdoc, prev.start, e.end, label="ORG")
                continue
            gap: list[Token] = list(self.sdoc[prev.end : e.start]) if prev is not None else []
            if (
                prev is not None
                and prev.label_ in NAME_LABELS
                and all(t.lower_ in NAME_PARTICLES for t in gap)
                and (len(gap) > 0 or self.sdoc[prev.end - 1].lower_ in NAME_PARTICLES)
                and self.sdoc[e.start].pos_ == "PROPN"
            ):
                out[-1] = SpacySpan(self.sdoc, prev.start, e.end, label=prev.label_)
                continue
            out.append(e)
        return sorted([*out, *self._untagged_people(out)], key=lambda e: e.start)

    def _untagged_people(self, ents: list[SpacySpan]) -> list[SpacySpan]:
        """People the registry knows whose names the tagger left out of every entity
        ("Defence Minister Rustem Umerov struck a different note": no entity at all), as
        PERSON spans: the proper nouns a name's last word heads, titles left out."""
        covered = {i for e in ents for i in range(e.start, e.end)}
        out: list[SpacySpan] = []
        for tok in self.sdoc:
            if tok.pos_ != "PROPN" or tok.dep_ == "compound" or tok.i in covered:
                continue
            start = tok.i
            while (
                start > 0
                and (prev := self.sdoc[start - 1]).pos_ == "PROPN"
                and prev.dep_ == "compound"
                and prev.head.i == tok.i
                and prev.i not in covered
                and prev.lower_ not in TITLE_WORDS | PERSON_NOUNS
            ):
                start -= 1
            if self.person(self.sdoc[start : tok.i + 1].text) is True:
                out.append(SpacySpan(self.sdoc, start, tok.i + 1, label="PERSON"))
        return out

    def _only_possessor(self, toks: list[Token], subject: Token) -> bool:
        """Every name in the mention sits in a possessive in front of its head noun."""
        names = [t for t in toks if t.ent_type_ in NAME_LABELS | BODY_LABELS]
        return bool(names) and all(
            any(a.dep_ == "poss" and a.head.i == subject.i for a in (t, *t.ancestors))
            for t in names
        )

    def _trailing_name(self, head: int, ids: set[int]) -> str | None:
        """The name ending at the head: "... Deputy Chairperson Dmitry Medvedev" -> Dmitry
        Medvedev; particles stay ("Ursula von der Leyen")."""
        words: list[str] = []
        i = head
        # "the UN Vasily Nebenzia" tagged a body: a surname the registry knows for a person's
        # keeps the capitalised word before it
        known = self.person(self.sdoc[head].text) is True
        while i in ids and i >= 0:
            tok = self.sdoc[i]
            if (
                tok.pos_ == "PROPN"
                and tok.lower_ not in TITLE_WORDS | PERSON_NOUNS
                and (
                    tok.ent_type_ not in ("NORP", "GPE", "ORG")
                    or (known and tok.is_title and len(words) < 2)
                )
            ) or (tok.lower_ in NAME_PARTICLES and words):
                words.insert(0, tok.text)
            else:
                break
            i -= 1
        while words and words[0].lower() in NAME_PARTICLES:
            words.pop(0)
        return " ".join(words) if len(words) >= 2 else None

    def _expand(self, name: str, before: int) -> str:
        """A surname alone becomes the fuller name used earlier in the text."""
        if " " in name:
            return name
        for n in reversed(self.named):
            if n.start < before and n.name.endswith(" " + name) and n.label == "PERSON":
                return n.name
        for n in self.named:
            if n.name.endswith(" " + name):
                return n.name
        return name

    def _antecedent(
        self, at: int, gender: str | None, *, plural: bool, besides: str | None = None
    ) -> str | None:
        """Who a pronoun at `at` refers to; not `besides`, the subject of the clause whose
        object it is ("Nykyforov quoted him as saying": not Nykyforov)."""
        sent_start = self.sent(self.sdoc[at]).start
        # the latest speaker, or a person who was the subject of a sentence since: "Biden met
        # Zelensky. Zelensky thanked him. He said ..." is Zelensky. A subject inside what
        # someone was reported to say ("Trump said that Zelensky is ...") comes second: the
        # story's own subjects and speakers first, then the reported ones ("Zakharova said
        # Lavrov would go. He said ..." is Lavrov), before any name at all
        subjects = [n for n in self.named if n.subject and n.start not in self.quoted]
        for told in (False, True):
            recent = sorted(
                [
                    *(self.spoken if not told else ()),
                    *((n.start, n.name) for n in subjects if (n.start in self.reported) == told),
                ],
                reverse=True,
            )
            for i, name in recent:
                if i < at and not _one_name(name, besides) and self._agrees(name, gender, plural):
                    if sent_start - i < NEARBY_TOKENS:
                        return self._expand(name, i)  # "Trump" is the "Donald Trump" before
                    break
        for outside in (True, False):  # a name quoted only where there is no other
            for n in reversed(self.named):
                if (
                    n.start < at
                    and not _one_name(n.name, besides)
                    and not (outside and n.start in self.quoted)
                    and (n.label == "PERSON") != plural
                    and self._agrees(n.name, gender, plural)
                ):
                    return n.name
        return None

    def _name_of(self, tok: Token | None) -> str | None:
        """The name of the entity a token is part of, if any."""
        ent = next(
            (e for e in self._joined_ents if tok is not None and e.start <= tok.i < e.end), None
        )
        return clean_name(ent.text) if ent is not None else None

    def _aged(self, years: str, at: int) -> str | None:
        """Who an earlier "N-year-old" of the same age describes, in apposition to a name
        ("Ksenia Karelina, a 33-year-old dual national"), if the text gives one."""
        for i in range(at - 1, -1, -1):
            if self.sdoc[i].text != years or self.sdoc[i + 1 : i + 3].text != "-year":
                continue
            head = self.sdoc[i]
            for _ in range(4):  # up to the apposition, then the name it describes
                if head.dep_ == "appos":
                    near = [
                        n
                        for n in self.named
                        if head.head.i - 4 < n.start <= head.head.i
                        and (n.label == "PERSON" or self.person(n.name) or _name_shaped(n.name))
                    ]
                    return near[-1].name if near else None
                if head.head.i == head.i:
                    break
                head = head.head
            return None
        return None

    def _body_antecedent(self, at: int) -> str | None:
        """ "It said", "It denied": the body (a ministry, a government, an agency) that spoke
        last nearby, else the organisation named last nearby; None when there is none."""
        start = self.sent(self.sdoc[at]).start
        persons = {n.name for n in self.named if n.label in NAME_LABELS}
        for i, name in sorted(self.spoken, reverse=True):  # noted in statement order
            if i >= at:
                continue
            if start - i >= NEARBY_TOKENS:
                break
            if self.person(name) is False or (self.person(name) is None and name not in persons):
                self.bodies.add(name)
                return name
        for n in reversed(self.named):
            if n.start < at and start - n.start < NEARBY_TOKENS and n.label == "ORG":
                self.bodies.add(n.name)
                return n.name
        return None

    def _agrees(self, name: str, gender: str | None, plural: bool) -> bool:
        if gender is not None and name.split()[-1].lower() in DOCUMENT_NOUNS:
            return False  # "According to the Kremlin readout, ... He also": no document is a "he"
        if plural:
            return " " not in name or name.lower().startswith("the ")
        if gender is not None and (self.person(name) is False or name in self.bodies):
            return False  # "he" is not Moscow, nor Zaporizhzhia
        if gender is not None and self.person(name) is None and self._body_named(name):
            return False  # nor Reuters, nor "the ministry", which the text names as bodies
        if gender is None:
            return True
        known = self.gender(name)
        return known is None or known == gender

    def _body_named(self, name: str) -> bool:
        """A name the text gives only to a body (an organisation, or a lower-case noun such
        as "ministry"), never to a person."""
        if name[:1].islower():
            return True
        labels = {n.label for n in self.named if n.name == name}
        return bool(labels) and "PERSON" not in labels

    def _issuer(self, doc: Token, toks: list[Token]) -> str | None:
        """Who speaks through a document ("the statement said", "Russia's memorandum says",
        "His post says", "Same post says"): a name in the mention ("a statement from the
        Ukrainian Foreign Ministry", "the Kremlin readout"), or its owner's pronoun, else the
        speaker quoted last, nearby, else the person or body named last, nearby: who issued
        it."""
        name = self._name_in([t for t in toks if t.i != doc.i])
        if name:
            return name
        for c in doc.children:
            lower = c.lower_
            if c.dep_ == "poss" and (lower in PRONOUN_GENDER or lower in ("their", "our")):
                gender = PRONOUN_GENDER.get(lower)
                return self._antecedent(doc.i, gender, plural=gender is None)
        made = self._made_by(doc)
        if made:
            return made
        start = self.sent(doc).start
        anaphor = doc.lemma_.lower() in DOCUMENT_ANAPHORS
        for before in reversed(self.sdoc[max(0, start - NEARBY_TOKENS) : doc.i]):
            if before.pos_ != "NOUN":
                continue
            if before.lemma_ == doc.lemma_ or (
                anaphor and before.lemma_.lower() in DOCUMENT_NOUNS - DOCUMENT_ANAPHORS
            ):
                # "Kremlin readout of Tuesday's call: ... , the readout says": the one it named
                owner = [
                    t
                    for c in before.lefts
                    if c.dep_ not in ("det", "nummod", "punct", "amod")
                    for t in c.subtree
                ]
                issuer = self._name_in(owner) if owner else None
                if issuer and issuer.lower() not in PLATFORMS:
                    return issuer  # not "a Telegram post": where, not whose
                made = self._made_by(before)
                if made:
                    return made
                introduced = True
                break
        else:
            introduced = False
            if anaphor:
                return None  # "the document" with none named before: not the last speaker's
        if doc.lemma_.lower() in SUMMIT_DOCUMENTS and not introduced:
            # "The communique adopted hours later states that the alliance will ...": a
            # summit's text, not brought in before ("Putin and Xi signed a declaration"),
            # speaks for the bloc it names so, not for the last speaker
            bloc = self._bloc_of(doc)
            if bloc:
                return bloc
        earlier = [name for at, name in self.spoken if at < doc.i and start - at < NEARBY_TOKENS]
        if earlier:
            return earlier[-1]
        named = [
            n.name
            for n in self.named
            if n.start < doc.i and start - n.start < NEARBY_TOKENS and n.label in ("PERSON", "ORG")
        ]
        return named[-1] if named else None

    def _bloc_of(self, doc: Token) -> str | None:
        """The bloc a summit's document speaks of as the subject of what it says ("states
        that the alliance will ...", "said NATO would invite"), as such texts speak of their
        makers; not one it speaks about ("opposed NATO expansion", "would respond if the
        alliance expanded"). "The alliance" and "the bloc" are NATO and the EU only where the
        text has named them and no other bloc before."""
        if doc.dep_ not in ("nsubj", "nsubjpass"):
            return None
        # the first clause reported under the document's verb (the parse may root the
        # sentence at "adopted" in "The communique adopted hours later states that ...")
        said = next((t for t in doc.head.subtree if t.dep_ == "ccomp" and t.i > doc.i), None)
        subj = (
            next((c for c in said.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if said is not None
            else None
        )
        if subj is None:
            return None
        phrase = self.sdoc[subj.left_edge.i : subj.i + 1].text
        if not _BLOC.fullmatch(phrase):
            return None
        named = _NAMED_BLOC.get(phrase.lower())
        if named is not None:
            before = self.sdoc.text[: doc.idx]
            if not named.search(before) or _OTHER_BLOCS.search(before):
                return None
        return phrase

    def _made_by(self, doc: Token) -> str | None:
        """Who the text says made a document: the subject of a clause on it ("the
        memorandum, which the delegation released") or the agent of a participle ("the text
        published by the Kremlin", "the communique adopted by NATO leaders")."""
        if doc.i in self._making:
            return None  # a document made by a document made by it
        self._making.add(doc.i)
        try:
            return self._maker_of(doc)
        finally:
            self._making.discard(doc.i)

    def _maker_of(self, doc: Token) -> str | None:
        for c in doc.children:
            if c.dep_ == "relcl":
                maker = next(
                    (s for s in c.children if s.dep_ == "nsubj" and s.tag_ not in ("WDT", "WP")),
                    None,
                )
                # "which the delegation released" is often parsed as "the delegation
                # released" (a participle on the subject) inside another verb's clause
                made = maker is not None and any(
                    a.dep_ == "acl" and a.lemma_.lower() in MAKING_VERBS for a in maker.children
                )
                if not made and c.lemma_.lower() not in MAKING_VERBS:
                    continue  # "which Kyiv rejected", "which Reuters has seen": no maker of it
            elif c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in MAKING_VERBS:
                agent = next((a for a in c.children if a.dep_ == "agent"), None)
                maker = (
                    next((o for o in agent.children if o.dep_ == "pobj"), None)
                    if agent is not None
                    else None
                )
            else:
                continue  # "obtained by the Financial Times": who holds it, not who made it
            if maker is None or maker.i == doc.i or maker.lemma_.lower() in DOCUMENT_NOUNS:
                continue
            if maker.lemma_.lower() in BODY_NOUNS | {"delegation"}:
                # what a delegation releases is the delegation's, not its head's (who speaks
                # for it when it "proposes")
                body = self._body_of_country(maker)
                if body:
                    return body
            # "adopted by NATO leaders": the body its makers are named by
            words = list(maker.subtree)
            return self.resolve(maker, {t.i for t in words}) or self._name_in(words)
        return None

    def _body_of_country(self, head: Token) -> str | None:
        """ "the delegation" after "heading the Russian delegation": the body of that kind a
        country's word was given last, nearby, as written there ("Russian delegation", "Russia's
        foreign ministry")."""
        start = self.sent(head).start
        for before in reversed(self.sdoc[max(0, start - NEARBY_TOKENS) : head.i]):
            if before.lemma_.lower() != head.lemma_.lower() or before.pos_ != "NOUN":
                continue
            country = [
                c
                for c in before.lefts
                if c.dep_ in ("amod", "compound", "poss") and c.ent_type_ in ("GPE", "NORP")
            ]
            if country:
                first = min(c.left_edge.i for c in country)
                return clean_name(self.sdoc[first : before.i + 1].text)
        return None

    def _spoken_for(self, head: Token) -> str | None:
        """The body an unnamed spokesperson or analyst speaks for ("a spokesman for China's
        foreign ministry", "analysts at the Halden Institute for Conflict Studies"): the one
        the annotations, and an analyst comparing statements, take as the speaker. Not a
        person's ("a spokesman for Zelensky"). "A State Department spokesman" stays as
        written: the training sets' writers name that one so (five times), and the body only
        twice ("European Commission" for "a European Commission spokesperson")."""
        lemma = head.lemma_.lower()
        if lemma not in VOICES:
            return None
        # a spokesman speaks for, an analyst works at ("an analyst for CNN" is CNN's guest)
        preps = ("at",) if lemma in ("analyst", "researcher") else ("for", "of")
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                body = next((p for p in c.children if p.dep_ == "pobj"), None)
                if body is None or not self._body_shaped(body):
                    continue
                if not any(t.pos_ == "PROPN" for t in _phrase(body)):
                    # "a spokesman for the ministry": the ministry named before
                    return self._by_description(body, [body])
                return clean_name(_phrase(body).text)
        return None

    def _body_shaped(self, tok: Token) -> bool:
        """A body's name: a proper noun of no person, place or office ("the German
        Chancellor", "the UN Secretary-General" are people), or a body word ("ministry")."""
        if tok.ent_type_ in ("PERSON", "GPE", "NORP") or self.person(tok.text) is True:
            return False
        if set(tok.lower_.split("-")) & (TITLE_WORDS | PERSON_NOUNS):
            return False
        return tok.lower_ in INSTITUTIONS or tok.lower_ in BODY_NOUNS or tok.pos_ == "PROPN"

    def _by_description(self, head: Token, toks: list[Token]) -> str | None:
        lemma = head.lemma_.lower()
        if lemma in BODY_NOUNS:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and owner.lower_ in PRONOUN_GENDER:
                named = self._pronoun(owner)  # "His office said": the office of the one he is
            elif owner is not None and owner.pos_ == "PROPN":
                named = self._name_in(list(owner.subtree), persons_only=True)
            else:
                named = None
            if named:
                # "European Council President Charles Michel's office": his, not an office
                # named before
                return f"{named}'s {head.text}"
            # "the Institute", "the ministry": the organisation of that kind named last
            for n in reversed(self.named):
                if (
                    n.start < head.i
                    and n.label == "ORG"
                    and lemma in n.name.lower()
                    and n.name.lower() != lemma  # not an earlier "the Institute"
                ):
                    return n.name
            return None
        wanted = SYNONYMS.get(lemma, {lemma})
        by_role = lemma in BY_ROLE_ONLY
        if head.tag_ == "NNS":
            # "Kremlin representatives", "Kremlin spokesmen", "Ukrainian diplomats": some, not
            # the one named before
            return None
        places = {t.lemma_.lower().rstrip("'s") for t in toks if t.ent_type_ in ("GPE", "NORP")}
        words = {
            t.lemma_.lower()
            for t in toks
            if t.pos_ in ("NOUN", "ADJ", "PROPN") and t.ent_type_ not in ("GPE", "NORP")
        }
        # names of bodies in the mention ("a State Department spokesman", "the Commission
        # president") must fit the person too: another body's spokesman is someone else
        bodies = {
            t.lemma_.lower()
            for t in toks
            if t.pos_ == "PROPN" and t.i != head.i and t.ent_type_ not in ("GPE", "NORP", "PERSON")
        }
        # not a person the mention itself names: "Zelensky's chief of staff" is not Zelensky
        # (a commander-in-chief)
        inside = {t.i for t in toks}
        earlier = [
            n
            for n in reversed(self.named)
            if n.start < head.i and n.label == "PERSON" and n.start not in inside
        ]
        # first what the registry knows the people named earlier to be on the day ("the
        # chancellor" is Scholz in 2023), the best fit of the mention's words winning; then what
        # the text says around each name ("Hugh Hill, a doctor")
        # the story's own subjects and speakers before people merely mentioned, where the
        # words fit as well ("after a long call with Putin, the president had announced" in a
        # story about Trump)
        spoken = {name for _, name in self.spoken}
        best, best_fit = None, (0, False)
        for n in earlier:
            known = self.roles(n.name)
            if not (wanted & known) or (places and not _place_agrees(places, known | n.context)):
                continue
            if bodies and not bodies & (known | n.context):
                continue
            # a description by role alone ("the delegate") fits by the role it stands for
            fitting = (words | wanted) & known if by_role else words & known
            fit = (len(fitting), n.subject or n.name in spoken)
            if fit[0] and fit > best_fit:
                best, best_fit = n.name, fit
        if best is not None or by_role:
            return best
        for n in earlier:
            if not (wanted & n.context):
                continue
            if places and not _place_agrees(places, n.context):
                continue
            if bodies and not bodies & n.context:
                continue
            return n.name
        return None


# nouns for a person in a description ("an aide to the president"): a name after them is theirs
PERSON_NOUNS = (TITLE_WORDS - {"foreign", "prime", "general", "special", "defence", "defense"}) | {
    "aide",
    "adviser",
    "advisor",
    "governor",
    "mayor",
    "leader",
    "commander",
    "chairman",
    "chairwoman",
    "speaker",
    "official",
    "representative",
    "negotiator",
    "counterpart",
    "wife",
    "husband",
    "son",
    "daughter",
}


# entity types no person's name has (not ORG: the small model tags many Slavic names so,
# "Vasily Nebenzya", "Oleksandr Syrskyi")
_NOT_PERSON = {"GPE", "LOC", "NORP", "FAC", "DATE", "TIME"}


def _subject_misparsed(ent: SpacySpan) -> bool:
    """A person before a verb that has no subject, which the parser hung elsewhere ("On
    Friday Orban flew to Moscow": "Orban" the object of "On"), or a person the parser made
    the root of a sentence that has verbs ("Former President Donald Trump, whose hold ... has
    tightened, weighed in": the verbs hung on the clause about him)."""
    root = ent.root.sent.root
    if root.i == ent.root.i and ent.start - root.sent.start <= 3:  # after "Former President"
        # a verb with no subject of its own; not a caption's ("Vladimir Putin at a meeting of
        # the Security Council, where officials discussed the talks")
        return any(
            t.pos_ == "VERB"
            and t.dep_ not in ("relcl", "acl")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children)
            for t in root.sent
            if t.i >= ent.end
        )
    return (
        root.pos_ in ("VERB", "AUX")
        and ent.end <= root.i
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)
    )


def _name_shaped(name: str) -> bool:
    """Two or three capitalised words, none a body's ("Ksenia Karelina", which the parser may
    take for a place; not "Kharkiv" or "Azov Brigade")."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not {w.lower() for w in words} & (BODY_NOUNS | {"brigade", "regiment", "battalion"})
    )


AGED = re.compile(r"(?i)the (\d{1,3})-year-old")


def _place_agrees(places: set[str], context: set[str]) -> bool:
    stems = {p[:5] for p in places}
    ctx = {c[:5] for c in context}
    return bool(stems & ctx)


# what opens a description of someone the text does not name
INDEFINITE = {"a", "an", "one", "another"}
# where a post is put, not who puts it ("a Telegram post")
PLATFORMS = {"telegram", "x", "twitter", "facebook", "instagram", "youtube", "truth social", "vk"}
# people who speak for a body, not for themselves: unnamed, the body is the speaker
VOICES = {"spokesman", "spokeswoman", "spokesperson", "analyst", "researcher"}


def _phrase(tok: Token) -> SpacySpan:
    """A noun phrase without what a comma, a clause or an apposition adds after it ("the
    Halden Institute for Conflict Studies, which ..."): its words up to the first of those."""
    end = tok.i
    stack = [c for c in tok.children if c.i > tok.i]
    while stack:
        c = stack.pop()
        if c.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj"):
            continue
        end = max(end, c.i)
        stack.extend(c.children)
    return tok.doc[tok.left_edge.i : end + 1]


# what a person's own words and deeds are called: their owner is who the sentence is about
# ("Prigozhin's own record predates the mutiny. On May 5, he announced"), where the owner of a
# person ("Putin's top diplomat", "Trump's emissary") is not
# what a person says, written as theirs: "Putin's offer, in his own words: ..." is his
OWN_WORDS = {
    "remarks", "comments", "words", "speech", "statement", "position", "stance", "plan",
    "proposal", "offer", "message", "letter", "view", "views", "line", "account", "version",
    "claim", "claims", "threat", "promise", "pledge", "response", "reply", "answer", "warning",
    "demand", "demands", "terms", "argument",
}  # fmt: skip
OWN_DEEDS = OWN_WORDS | {
    "record", "visit", "trip", "call", "tone", "reaction", "decision", "approach", "policy",
    "move", "refusal", "silence", "criticism",
}  # fmt: skip


def _of_subject(tok: Token) -> bool:
    """A name that is its sentence's subject, or names it: in apposition to it ("the President
    of the European Council, Antonio Costa, opened a door") or owning what it said or did
    ("Prigozhin's own record predates the mutiny"; not "Zelensky's chief of staff")."""
    if tok.dep_ in ("nsubj", "nsubjpass"):
        # not of a "with" clause: "with Volodymyr Zelensky seated beside him, he sounded
        # different" is about "he"
        return not any(c.dep_ == "mark" and c.lower_ == "with" for c in tok.head.children)
    head = tok.head
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return False
    return tok.dep_ == "appos" or (tok.dep_ == "poss" and head.lower_ in OWN_DEEDS)


def _one_name(a: str, b: str | None) -> bool:
    """Whether two names are one person's, in full or by surname ("Nykyforov")."""
    return b is not None and (a == b or a.endswith(" " + b) or b.endswith(" " + a))


def _host_subject(pronoun: Token) -> Token | None:
    """The subject of the clause a parenthetical cue interrupts, where the pronoun is that
    cue's subject: "Putin" in "Putin, he said, has never questioned ..."."""
    verb = pronoun.head
    if pronoun.dep_ != "nsubj" or verb.dep_ != "parataxis":
        return None
    return next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _clause_subject(pronoun: Token) -> Token | None:
    """The subject of the clause whose object `pronoun` is ("Nykyforov quoted him"), which the
    pronoun cannot be; None for a pronoun that is no object, or a subject that is a pronoun."""
    if pronoun.dep_ not in ("dobj", "iobj"):
        return None
    subj = next((c for c in pronoun.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ in PRONOUN_GENDER or subj.lower_ in PLURAL_PRONOUNS:
        return None
    return subj


def _is_document(tok: Token) -> bool:
    """A document as a subject ("the statement", "his post"), not a name that holds such a
    word ("The Washington Post") nor another sense ("the release of the prisoners")."""
    return (
        tok.lemma_.lower() in DOCUMENT_NOUNS
        and tok.pos_ == "NOUN"
        and not tok.ent_type_
        and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
    )


def clean_name(text: str) -> str:
    """Strip titles, articles and possessives from a name as written; a body's name keeps
    its words ("the Foreign Ministry" is the Foreign Ministry, not "Ministry")."""
    words = text.replace("’s", "").replace("'s", "").split()
    lower = [w.lower().strip(" ,.") for w in words]
    # "the Foreign Ministry", "the Head of the Presidential Office", "the Foreign Ministry of
    # the PRC"
    head = lower[: lower.index("of")] if "of" in lower else lower
    body = bool(lower) and (lower[-1] in INSTITUTIONS or (bool(head) and head[-1] in INSTITUTIONS))
    while words and (words[0].lower() == "the" or (not body and words[0].lower() in TITLE_WORDS)):
        words.pop(0)
    return " ".join(words).strip(" ,.")
