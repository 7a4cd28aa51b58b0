"""Issue coding from the taxonomy (data/taxonomy.toml): which issues, and for or against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from redline.coding.stance import INVERTED_SHOULD, NEG_BEFORE
from redline.data_files import load_toml
from redline.errors import ConfigError

OTHER = "other"


@dataclass(slots=True)
class Issue:
    id: str
    label: str
    description: str
    cues: list[str] = field(default_factory=list)
    not_cues: list[str] = field(default_factory=list)
    direction: str = ""
    toward: list[str] = field(default_factory=list)
    away: list[str] = field(default_factory=list)
    plover: str = ""
    mode: str = ""
    default: int = 0
    examples: list[str] = field(default_factory=list)
    _cue_re: re.Pattern[str] | None = None
    _not_re: re.Pattern[str] | None = None
    _toward_re: re.Pattern[str] | None = None
    _away_re: re.Pattern[str] | None = None
    _verdict_re: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        if any(c.startswith("!") for c in self.cues):
            raise ConfigError(f"issue {self.id!r}: a verdict (!) is a direction word, not a cue")
        self._cue_re = _words(self.cues)
        self._not_re = _words(self.not_cues)
        self._toward_re = _words([w.removeprefix("!") for w in self.toward])
        self._away_re = _words([w.removeprefix("!") for w in self.away])
        self._verdict_re = _words(
            [w.removeprefix("!") for w in (*self.toward, *self.away) if w.startswith("!")]
        )

    def _cued(self, text: str) -> list[re.Match[str]]:
        """The cues in the text, but for those inside a phrase of `not_cues` ("legitimate
        target" names no question of legitimacy)."""
        found = list(self._cue_re.finditer(text)) if self._cue_re else []
        if found and self._not_re is not None:
            spans = [(m.start(), m.end()) for m in self._not_re.finditer(text)]
            found = [m for m in found if not any(s <= m.start() < e for s, e in spans)]
        return found

    def hits(self, text: str) -> int:
        return len(self._cued(text))

    def first(self, text: str) -> int:
        """Where the text first names the issue (its length when it does not)."""
        found = self._cued(text)
        return found[0].start() if found else len(text)

    def explicit(self, text: str) -> bool:
        """Whether the text has a direction word for this issue (not just its name)."""
        return bool(
            (self._toward_re and self._toward_re.search(text))
            or (self._away_re and self._away_re.search(text))
        )

    def direction_of(
        self,
        text: str,
        *,
        skip: tuple[int, int] | None = None,
        refusal: bool = False,
        conceding: bool = False,
        threat: bool = False,
    ) -> int:
        """+1 when the words argue toward the issue's direction, -1 away from it.

        A direction word under a negation counts for the other side ("would not deliver" argues
        away from aid going on), unless the negation is in `skip`, the words that made the
        stance ("will not lift": the rejection already carries the "not"). With `refusal` (the
        text's own words reject or deny), its other negations and its verdicts (direction
        words marked "!" in the taxonomy: "impossible", "unacceptable") are that refusal said
        again, not what is refused: "elections are impossible, and I will not hold them" is
        one refusal of holding elections. With no direction word, the issue's `default`:
        naming "talks" is naming talks going ahead (+1), naming "sanctions" is naming
        sanctions in force (-1), territory says nothing (0). With `conceding`, the words in
        `skip` are what is given up ("will no longer block" sanctions), of no direction
        themselves: what follows them says what is conceded. With `threat`, a negation in
        the threat's condition is the refusal threatened against: "new sanctions if Moscow
        rejects the ceasefire" argues for the ceasefire.
        """
        verdicts = (
            [(m.start(), m.end()) for m in self._verdict_re.finditer(text)]
            if refusal and self._verdict_re
            else []
        )
        toward = away = set_aside = 0
        for pattern, sign in ((self._toward_re, 1), (self._away_re, -1)):
            for m in pattern.finditer(text) if pattern else ():
                if (
                    (sign < 0 or conceding)
                    and skip is not None
                    and skip[0] <= m.start()
                    and m.end() <= skip[1]
                ):
                    continue  # "no basis" made the stance and must not count again
                if (m.start(), m.end()) in verdicts:
                    continue  # "rejected ... as unacceptable": the rejection, said again
                if _CONTRAST.search(text, 0, m.start()) or _rewarded(text, m.start()):
                    # "a full ceasefire, not a pause": what it is not, beside what it is,
                    # counts only where nothing else does ("a tribunal, not an exchange");
                    # so does what a condition is for ("the precondition for lifting
                    # sanctions is a withdrawal" asks for the withdrawal, not the lifting)
                    set_aside -= sign
                    continue
                # a negated word counts for the other side
                negated = negated_at(text, m.start(), skip) and (
                    # under a refusal, a negation is the same refusal said again, except in
                    # a condition: "impossible as long as Russia does not stop the war"
                    not refusal or bool(_CONDITION_BEFORE.search(text, 0, m.start()))
                )
                lacked = _lacking(text, m.start(), skip, refusal)
                if lacked:
                    negated = not negated
                condition = _threat_condition(text, m.start()) if threat else None
                if condition is not None:
                    # the threat is made against what its condition tells of: "if the West
                    # sends long-range missiles" argues against them, "if it does not accept
                    # the ceasefire" for it; where the condition tells of the thing refused
                    # ("if Moscow rejects the ceasefire", "if the truce breaks down"), the
                    # refusal and the threat against it cancel, and the threat is for it
                    if lacked or not _REFUSING.search(condition):
                        negated = not negated
                elif negated and threat and _CONDITION_BEFORE.search(text, 0, m.start()):
                    negated = False
                if (sign > 0) != negated:
                    toward += 1
                else:
                    away += 1
        if not (toward or away) and set_aside:
            return 1 if set_aside > 0 else -1
        if away and away >= toward:
            return -1
        if toward:
            return 1
        named_in_threat = self.threatened(text) if threat else 0
        if named_in_threat:
            # "would face enormous risks if they supplied F-16s" is against the aid; "new
            # sanctions if Moscow keeps blocking the grain deal" is for the deal
            return named_in_threat * self.default
        return self.default if self.hits(text) else 0

    def judged(self, text: str) -> bool:
        """Whether the text asks a question that passes one of the issue's verdicts on it
        ("what is there to discuss?", "what negotiations can there be"): a refusal put as a
        question, whoever's stance it is in."""
        return self._verdict_re is not None and any(
            m.group().lower().startswith(("what ", "how ", "why "))
            or _QUESTION.match(text, m.end())
            for m in self._verdict_re.finditer(text)
        )

    def threatened(self, text: str) -> int:
        """Where every word of the text on this issue (a cue or a direction word) lies in the
        condition of a threat: -1 when the threat is made against what they name ("grave
        risks if Oslo supplied F-16s"), +1 when the condition tells of it refused ("if Moscow
        keeps blocking the grain deal"); 0 where any lies outside."""
        found = [
            m
            for pattern in (self._cue_re, self._toward_re, self._away_re)
            for m in (pattern.finditer(text) if pattern else ())
        ]
        conditions = [_threat_condition(text, m.start()) for m in found]
        if not found or None in conditions:
            return 0
        return 1 if any(_REFUSING.search(c) for c in conditions if c) else -1


# "..., not a pause", "..., not an exchange": a variant set aside beside what is said
_CONTRAST = re.compile(
    r"(?:\w[\"”’'»]?, not|\brather than|\binstead of) (?:a |an |the )?(?:[\w-]+ )?$", re.I
)
# what a condition is set for: "the precondition for lifting sanctions", "as a condition for
# any talks" (not "create the conditions for" or "the right conditions for", which work
# toward it, nor "the conditions of the ceasefire", its terms)
_REWARD = re.compile(
    r"(?<![\w-])(?P<before>(?:[\w-]+\s+){0,2})(?:pre)?conditions?\s+for\s+"
    r"(?:any\s+|the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?$",
    re.I,
)
_ENABLING = re.compile(r"\b(?:creat\w*|right|necessary|favou?rable|good|conducive)\b", re.I)


def _rewarded(text: str, at: int) -> bool:
    """Whether the word at `at` is what a condition is set for (see `_REWARD`)."""
    m = _REWARD.search(text, max(0, at - 120), at)
    return m is not None and not _ENABLING.search(m.group("before"))


# a clause of condition or time running up to a word: its negation is its own
_CONDITION_BEFORE = re.compile(
    r"\b(?:if|unless|until|as long as|so long as|while|because|when|once)\b[^,;.:!?]*$", re.I
)


# a full stop inside an abbreviation ("the U.S.", "E.U."), which ends no clause; its last
# one does where a sentence opens after it ("... from the U.S. We still want ...")
_ABBREVIATION_DOT = (
    r"(?:(?<=\b[A-Z])\.(?=[A-Z]\b|[A-Z]\.)|(?<=\b[A-Z]\.[A-Z])\.(?!\s+(?-i:We|I|It|They|He|She|"
    r"The|This|That|These|Those|There|But|And|So|Yet|In|On|At|A|An|Our|His|Her|Their)\b))"
)
# a threat's condition running up to a word: what the threat is made against ("unless" and
# "until" name what it asks for instead); not "even if", "only if", "as if", nor an "if" that
# asks whether ("would see if a ceasefire can hold"), nor "as long as it takes"
_THREAT_IF = re.compile(
    r"(?<!\beven\s)(?<!\bonly\s)(?<!\bas\s)(?<!\bsee\s)(?<!\bask\s)(?<!\bknow\s)"
    r"(?<!\bwonder\s)(?<!\bdecide\s)(?<!\bcheck\s)"
    r"\b(?:if|as long as(?! it takes)|so long as|"
    + INVERTED_SHOULD
    + r")\b(?:[^,;.:!?]|"
    + _ABBREVIATION_DOT
    + r")*$",
    re.I,
)
# the threat itself, in the condition's sentence: a penalty ("new sanctions", "will respond",
# "grave risks", "will veto"); "If Kyiv's troops leave, the fighting will stop" is a promise
_PENALTY = re.compile(
    r"\b(?:sanction\w*|consequences?|respon(?:d|ds|se|ses)|retaliat\w*|hit|risks?|measures|"
    r"strikes?(?! (?:a|the) (?:deal|bargain|balance|chord|note))|"
    r"(?:heavy|high|steep|terrible|painful|dear|huge) price|pay (?:for|dearly)|"
    r"punish\w*|answer|tariffs?|countermeasures?|targets?|escalat\w*|block|veto|isolat\w*|"
    r"cut off|suffer|regret|by force)\b",
    re.I,
)
# what the other side is said to do to a thing in that condition: refuse it ("if Moscow keeps
# blocking the grain deal", "if Kyiv violates the truce", "if the truce breaks down")
_REFUSING = re.compile(
    r"\b(?:refus|reject|block|oppos|obstruct|sabotag|derail|violat|breach|wreck|undermin|"
    r"fail|ignor|scrap)\w*|\b(?:break\w*|broke|broken)(?! through)\b|\bwalk\w* away|"
    r"\b(?:tear|tore|torn) up|\bcollaps\w*",
    re.I,
)
# a verdict put as a question: what follows it up to the question mark
_QUESTION = re.compile(r"[^.;:!?]*\?")


# "without (any) firm ...", "unless it came with ...": the word is what is lacking or awaited
_LACKING_BEFORE = re.compile(r"\b(?:without(?:\s+[\w-]+){0,2}|unless\b[^,;.:!?]*)\s+$", re.I)
# "(a settlement that) failed to ...", "(as long as Kyiv) refuses to ...": what is not done
_FAILING_BEFORE = re.compile(
    r"(?P<rel>\b(?:that|which|who)\s+(?:\w+\s+)?)?"
    r"\b(?:fail|fails|failed|failing|refuse|refuses|refused|refusing)\s+to(?:\s+\w+ly)?\s+$",
    re.I,
)


def _threat_condition(text: str, at: int) -> str | None:
    """The whole condition a threat sets, running over `at` ("would face new sanctions if
    Moscow rejects the ceasefire"), where its sentence names the penalty outside it; or None."""
    m = _THREAT_IF.search(text, 0, at)
    if m is None:
        return None
    end = _CLAUSE_END.search(text, at)
    stop = end.start() if end else len(text)
    starts = [b.end() for b in _SENTENCE_BREAK.finditer(text, 0, m.start())]
    sentence_start = starts[-1] if starts else 0
    after = _SENTENCE_BREAK.search(text, stop)
    outside = text[sentence_start : m.start()] + " " + text[stop : after.start() if after else None]
    return text[m.start() : stop] if _PENALTY.search(outside) else None


_CLAUSE_END = re.compile(r"[,;:!?]|(?!" + _ABBREVIATION_DOT + r")\.")
# where a sentence ends: not after "Mr.", "U.S." and the like
_SENTENCE_BREAK = re.compile(
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bGen)(?<!\bSen)(?<!\bRep)"
    r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])[.!?][\"”’')]*\s+"
)


def _lacking(text: str, at: int, skip: tuple[int, int] | None, refusal: bool) -> bool:
    """Whether the direction word at `at` is what a thing lacks or waits for, wanted against
    it: "a pause without guarantees", "not agree unless it came with guarantees", "any
    settlement that fails to recognise", "as long as Kyiv refuses to recognise". Not where
    those words made the stance ("we refuse to recognise" is the refusal itself), nor, under
    a refusal, a second refusal said of the speaker's side ("rejected the proposal and
    refused to meet"): only one that tells of the refused thing or of a condition."""
    for pattern in (_LACKING_BEFORE, _FAILING_BEFORE):
        m = pattern.search(text, 0, at)
        if m is None or (skip is not None and m.start() < skip[1] and m.end() > skip[0]):
            continue
        if (
            pattern is _FAILING_BEFORE
            and refusal
            and not m.group("rel")
            and not _CONDITION_BEFORE.search(text, 0, m.start())
        ):
            continue
        return True
    return False


_NOT_ONLY = re.compile(r"not (?:just|only|merely|simply)\b", re.I)


def negated_at(text: str, at: int, skip: tuple[int, int] | None) -> bool:
    """A negation just before a direction word, in the same clause: "not deliver", "won't
    lift", "never recognise", "no longer supply"."""
    window = text[max(0, at - 40) : at]
    m = NEG_BEFORE.search(window)
    if m is None or re.search(r"[,;:.!?]", window[m.start() :]):
        return False
    if _NOT_ONLY.match(window, m.start()):
        return False  # "not just a ceasefire": more than it, not against it
    start = at - len(window) + m.start()
    # "will not lift", "is not seeking relief": the negation is the stance's own
    return skip is None or not (skip[0] < at and skip[1] > start)


def _words(cues: list[str]) -> re.Pattern[str] | None:
    """Cues match at word starts, case-insensitively: "sanction" finds "sanctions". A cue
    ending in "$" is a whole word: "pow$" finds "POW", not "power"."""
    if not cues:
        return None
    alts = sorted(
        (
            re.escape(c[:-1].lower()) + r"(?!\w)" if c.endswith("$") else re.escape(c.lower())
            for c in cues
        ),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + ")", re.IGNORECASE)


class Taxonomy:
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = {i.id: i for i in issues}
        if OTHER not in self.issues:
            self.issues[OTHER] = Issue(OTHER, "Other", "Anything else.")

    @classmethod
    def load(cls, path: Path | None = None) -> Taxonomy:
        raw = load_toml(path) if path else load_toml("taxonomy.toml")
        refusals = ["!" + w for w in raw.get("refusals", [])]
        try:
            issues = [
                Issue(
                    id=e["id"],
                    label=e["label"],
                    description=e.get("description", ""),
                    cues=list(e.get("cues", [])),
                    not_cues=list(e.get("not_cues", [])),
                    direction=e.get("direction", ""),
                    toward=list(e.get("toward", [])),
                    # "off the table" refuses what the issue's name alone stands for
                    away=[*e.get("away", []), *(refusals if e.get("default", 0) else [])],
                    plover=e.get("plover", ""),
                    mode=e.get("mode", ""),
                    default=int(e.get("default", 0)),
                    examples=list(e.get("examples", [])),
                )
                for e in raw.get("issue", [])
            ]
        except KeyError as err:
            raise ConfigError(f"taxonomy: an issue lacks {err}") from err
        return cls(issues)

    def get(self, issue_id: str) -> Issue | None:
        return self.issues.get(issue_id)

    def code(self, text: str) -> list[str]:
        """Issues a text is about, most strongly cued first, then first named; ["other"]
        when none."""
        # equally cued: the one named first leads ("a Taurus strike on Russian territory" is on
        # arms first); the taxonomy's order had put territory first in every tie. Primary
        # issue on trainset/contradictions 67.2 -> 69.8, trainset/stance 67.7 -> 68.5
        scored = [(i.hits(text), i.first(text), i.id) for i in self.issues.values()]
        found = [iid for n, _, iid in sorted(scored, key=lambda x: (-x[0], x[1])) if n > 0]
        return found or [OTHER]

    def names(self, text: str) -> bool:
        """Whether the text names an issue, or a subject the taxonomy files under "other" (its
        cues): a remark on the grain deal is on something, though on none of the issues."""
        return any(i.hits(text) for i in self.issues.values())
