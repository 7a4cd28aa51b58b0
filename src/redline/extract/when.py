"""When a statement was made: the date phrase on the cue, resolved against publication."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser
from spacy.tokens import Token

DATE_WORDS = {
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "recently",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "month",
    "year",
    "weekend",
}
WHEN_LABELS = ("DATE", "TIME")  # the entity labels that say when
TIME_DEPS = {"prep", "npadvmod", "advmod", "tmod", "obl", "pobj"}
_VAGUE = re.compile(r"^(?:earlier|later|late|early|on|in|at|during|since)\s+", re.I)


def date_phrase(cue: Token, content: set[int]) -> str | None:
    """The words on the cue verb (never inside the content) that say when it was said."""
    for child in cue.children:
        if child.i in content or child.dep_ not in TIME_DEPS:
            continue
        sub = list(child.subtree)
        if any(t.i in content for t in sub):
            # "said the same day that Moscow was open": the parser hangs the content on the
            # day; the date words before the content still say when
            first = min(t.i for t in sub if t.i in content)
            if child.i > first:
                continue
            sub = [t for t in sub if t.i < first]
        date_toks = [t for t in sub if t.ent_type_ in WHEN_LABELS]
        if date_toks:
            # one run of date words, a day's before a time's: "in an evening address on Nov.
            # 26" is "Nov. 26", not "evening address on Nov. 26"
            runs: list[list[Token]] = []
            for t in date_toks:
                if runs and t.i == runs[-1][-1].i + 1:
                    runs[-1].append(t)
                else:
                    runs.append([t])
            run = next((r for r in runs if any(t.ent_type_ == "DATE" for t in r)), runs[0])
            start, end = run[0].i, run[-1].i
            words = cue.doc[start : end + 1].text
            if child.lower_ in ("earlier", "later") and child.i < start:
                words = f"{child.text} {words}"
            return words
        if child.lower_ in DATE_WORDS and child.dep_ in ("npadvmod", "advmod", "tmod"):
            return " ".join(t.text for t in sub)
    return None


_WEEK_OR_MORE = re.compile(
    r"\b(?:last|this|past|previous|earlier this|later this|next) (?:week|month|year|weekend|spring|summer|autumn|winter)\b|"
    r"\brecent(?:ly)?\b|\bweeks? ago\b|\bmonths? ago\b",
    re.I,
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DURATION = (
    r"(?:for\s+)?(?:(?:about|some|nearly|almost|roughly|around|over|more than|less than)\s+)?"
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s+"
    r"(?:hours?|minutes?|days?|weeks?|months?|years?)"
)
# a month alone ("May", "mid-May 2024"), a year alone ("2014") or a length of time ("three
# hours", "about a day")
_NO_DAY = re.compile(
    rf"^(?:(?:mid-?)?(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?|\d{{4}}|{_DURATION})$", re.I
)

# a range of days in one month ("January 23-24", "15-16 May"): the day it began, which
# dateparser would read as a day and a year ("23-24" as the 23rd of 2024)
_DAY_RANGE = re.compile(
    rf"\b(?P<month>(?:{_MONTHS})\.?\s*)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*[-–—]\s*"
    r"\d{1,2}(?:st|nd|rd|th)?(?![\d.:/–-])|"
    r"(?<![\w.–-])(?P<first>\d{1,2})(?:st|nd|rd|th)?\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?"
    rf"(?=\s+(?:{_MONTHS})\b)",
    re.I,
)
_HAS_MONTH = re.compile(rf"\b(?:{_MONTHS})\b", re.I)


def is_duration(phrase: str) -> bool:
    """ "three hours", "for two days": how long something lasted, not when."""
    return re.fullmatch(_DURATION, phrase.strip(), re.I) is not None


# "on Friday", "Friday morning" (dateparser reads "Friday morning" as a week before)
_SHORT_DAYS = "mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
_WEEKDAY = re.compile(
    r"^(?:on\s+)?(" + "|".join(WEEKDAYS) + "|" + _SHORT_DAYS + r")\.?"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.I,
)
# a weekday as threads and digests shorten it ("Peskov, Thu:", "in New York on Wed,", "Wed
# morning"), which the entity recogniser does not take for a date: capitalised, and set off
# as a day is, after a comma or opening a line, or after "on" and before no name ("Sat" and
# "Sun", names and newspapers as often as days, are left out)
_WORKDAY = r"(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri)"
_SHORT_DAY = re.compile(
    rf"(?:(?<=, )|(?<=\()|(?<=^)){_WORKDAY}\.?"
    r"(?=\s*[,:;)]|\s+(?:morning|afternoon|evening|night)\b)|"
    rf"(?<=\bon ){_WORKDAY}\b(?![\w-]|\.?\s+[A-Z])|"
    r"(?<=, )(?:Sat|Sun)(?=:)",  # "Peskov, Sat:" (not "Sun, who met Lavrov,")
    re.M,
)
# a channel's time stamp heading a post: "[22.03, 10:05]" (day, month, time)
_STAMP = re.compile(r"\[(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?,?\s+\d{1,2}:\d{2}\]")
# a post's opening before its stamp: its number, if any ("7. [25.03, 16:50] ...")
_POST_NUMBER = re.compile(r"\s*(?:\d{1,3}[./)]\s*)?")


def is_short_day(word: str) -> bool:
    """ "Thu", "Wed.": a weekday as a thread shortens it ("Budanov, Fri: ...")."""
    return re.fullmatch(rf"{_WORKDAY}\.?", word) is not None


def post_stamp(text: str, start: int, end: int) -> str | None:
    """The time stamp that opens the post starting at `start` ("7. [25.03, 16:50] Sybiha
    at a briefing: ..."), before `end`; `resolve` reads it."""
    number = _POST_NUMBER.match(text, start, end)
    stamp = _STAMP.match(text, number.end() if number else start, end)
    return stamp.group() if stamp else None


def short_days(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
    """Where `text[start:end]` gives a day in a digest's short forms (`_SHORT_DAY`,
    `_STAMP`), and the words, in order: `resolve` reads them."""
    end = len(text) if end is None else end
    found = [(m.start(), m.group()) for m in _SHORT_DAY.finditer(text, start, end)]
    found += [(m.start(), m.group()) for m in _STAMP.finditer(text, start, end)]
    return sorted(found)


def _stamped(m: re.Match[str], published: date | None) -> date | None:
    """The day of a "[22.03, 10:05]" stamp: the latest such day up to publication where it
    gives no year."""
    day, month = int(m.group(1)), int(m.group(2))
    year = m.group(3)
    if year:
        years = [int(year) + (2000 if len(year) == 2 else 0)]
    elif published is not None:
        years = list(range(published.year, published.year - 5, -1))  # "[29.02, ...]"
    else:
        return None
    for y in years:
        try:
            found = date(y, month, day)
        except ValueError:
            continue  # "[31.02, ...]": no such day; "[29.02, ...]": not this year
        if published is None or found <= published:
            return found
    return None


def resolve(phrase: str, published: date | None) -> date | None:
    """A date phrase as a calendar date; relative ones need the publication date.

    A bare weekday is the latest such day up to publication, the day itself included: news
    copy dated Wednesday says "on Wednesday" for that same day.
    """
    text = phrase.strip()
    if _HAS_MONTH.search(text):
        # "January 23-24", "23-24 January": the 23rd
        text = _DAY_RANGE.sub(lambda m: m["first"] or m["month"] + m["day"], text)
    stamp = _STAMP.fullmatch(text)
    if stamp:
        return _stamped(stamp, published)
    if _WEEK_OR_MORE.search(text):
        return None  # "last week", "earlier this month": no day to give; the phrase is kept
    if _NO_DAY.match(_VAGUE.sub("", text)):
        return None  # "in May", "three hours": no day to give (dateparser makes one up)
    weekday = _WEEKDAY.match(text) or _WEEKDAY.match(_VAGUE.sub("", text))  # "early Saturday"
    if weekday:
        if published is None:
            return None
        named = [d[:3] for d in WEEKDAYS].index(weekday.group(1)[:3].lower())
        back = (published.weekday() - named) % 7
        return published - timedelta(days=back)
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    for candidate in (text, _VAGUE.sub("", text), _VAGUE.sub("", text).replace("this ", "")):
        if not candidate:
            continue
        if published is None and not re.search(r"\b\d{4}\b", candidate):
            return None  # relative to nothing: better no date than a wrong one
        parsed = dateparser.parse(candidate, languages=["en"], settings=settings)
        if parsed is not None:
            day = parsed.date()
            if published is not None and day > published:
                return None
            return day
    return None


_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_AFTER = re.compile(
    rf"^(?:(?P<n>\d{{1,2}}|{'|'.join(_NUMBERS)}) "
    r"(?P<unit>days?|weeks?) (?P<dir>later|after(?:wards)?|earlier|before)|"
    r"the (?P<next>next|following) day|the day (?P<before>before)|"
    r"(?P<same>(?:on )?(?:the|that) same (?:day|morning|afternoon|evening)|"
    r"later (?:that|the same) day|hours later))$",
    re.I,
)


def relative_to(phrase: str, anchor: date | None) -> date | None:
    """ "A day later", "six days later", "the next day", "two weeks earlier", "the same day": a
    date counted from the last date the text gave (`anchor`), not from publication."""
    m = _AFTER.match(phrase.strip())
    if m is None or anchor is None:
        return None
    if m.group("same"):
        return anchor
    if m.group("next"):
        return anchor + timedelta(days=1)
    if m.group("before"):
        return anchor - timedelta(days=1)
    n = int(m.group("n")) if m.group("n").isdigit() else _NUMBERS[m.group("n").lower()]
    days = n * (7 if m.group("unit").lower().startswith("week") else 1)
    sign = 1 if m.group("dir").lower().startswith(("later", "after")) else -1
    return anchor + timedelta(days=sign * days)
