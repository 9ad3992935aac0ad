"""Finding the village/community (and grid) a hotline record is about, with a confidence.

The gazetteer is the region tree's own names (each village's full name, and its short name without
村/社区/居委会; each township's; each grid's) and the place names staff taught it (``PlaceAlias``: roads,
estates, old names, learnt when a record's place is confirmed). The record's address is read first, then
its text. A record found with enough confidence counts by place at once; the rest go to the review queue.

Pure data in, decisions out: ``Gazetteer`` is built from plain tuples so the matching is tested and
benchmarked without a database.
"""

import re
from dataclasses import dataclass

# At or above this confidence a place counts without review.
MATCH_AT = 0.75

# Suffixes of region names; the short name (凤溪 of 凤溪村) is matched too, with less confidence.
SUFFIXES = ("居民委员会", "村民委员会", "居委会", "村委会", "社区", "街道", "村", "镇", "乡")
# Place-like phrases in an address, learnt as aliases when staff confirm a record's place.
PLACE_TERM = re.compile(
    r"([\u4e00-\u9fa5]{2,6}(?:小区|花园|家园|公寓|大厦|广场|新村|新城|市场|小学|中学|学校|大道|路|街(?!道)|巷|苑))"
)
# Words that end a place phrase's left side: what comes before them is not part of the name.
SEPARATORS = re.compile(r"[旁边近对附的在与和及、，,。；;：:\s\d栋号楼层室单元]")

# Confidence by what was found.
GRID_IN_VILLAGE = 0.95
FULL_NAME_WITH_TOWNSHIP = 0.95
FULL_NAME_UNIQUE = 0.9
ALIAS_UNIQUE = 0.85
FULL_NAME_AMBIGUOUS = 0.5
SHORT_NAME = 0.6
TOWNSHIP_ONLY = 0.3


@dataclass(frozen=True)
class Place:
    pk: int
    name: str
    level: str  # "township", "village", "grid" (orgs.states.RegionLevel values)
    parent_pk: int | None


@dataclass(frozen=True)
class Match:
    region_pk: int
    confidence: float
    found: str  # the words that decided it, for the review page

    @property
    def is_sure(self) -> bool:
        return self.confidence >= MATCH_AT


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


class Gazetteer:
    """Region names and aliases of one district, compiled into one pattern (longest names first)."""

    def __init__(self, places: list[Place], aliases: list[tuple[str, int]] = ()):
        self.places = {p.pk: p for p in places}
        self.names: dict[str, set[int]] = {}
        self.kind: dict[str, str] = {}
        for place in places:
            self._add(place.name, place.pk, "full")
            if place.level != "grid" and (short := short_name(place.name)):
                self._add(short, place.pk, "short")
        for name, pk in aliases:
            if pk in self.places and len(name) >= 2:
                self._add(name, pk, "alias")
        words = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def _add(self, name: str, pk: int, kind: str) -> None:
        if self.kind.get(name) == "full" and kind != "full":
            return  # a full name is never weakened by another region's short name
        if kind == "full" and self.kind.get(name) not in (None, "full"):
            self.names[name] = set()
        self.names.setdefault(name, set()).add(pk)
        self.kind[name] = kind

    def _township_of(self, pk: int) -> int | None:
        place = self.places[pk]
        while place.level not in ("township",) and place.parent_pk in self.places:
            place = self.places[place.parent_pk]
        return place.pk if place.level == "township" else None

    def _village_of(self, pk: int) -> int | None:
        place = self.places[pk]
        if place.level == "grid":
            return place.parent_pk
        return pk if place.level == "village" else None

    def match(self, *texts: str) -> Match | None:
        """The best place in the first of ``texts`` (the address, then the text) that names one."""
        for text in texts:
            if text and self.pattern is not None and (found := self._match(text)):
                return found
        return None

    def _match(self, text: str) -> Match | None:
        hits = [(m.group(0), self.names[m.group(0)]) for m in self.pattern.finditer(text)]
        if not hits:
            return None
        townships = {pk for word, pks in hits for pk in pks if self.places[pk].level == "township"}
        villages = {pk for word, pks in hits for pk in pks if self.places[pk].level == "village"}
        best: Match | None = None
        for word, pks in hits:
            kind = self.kind[word]
            for pk in pks:
                candidate = self._score(word, kind, pk, pks, townships, villages)
                if candidate and (best is None or candidate.confidence > best.confidence):
                    best = candidate
        return best

    def _score(self, word, kind, pk, pks, townships, villages) -> Match | None:
        place = self.places[pk]
        if place.level == "township":
            return Match(pk, TOWNSHIP_ONLY, word)
        in_named_township = self._township_of(pk) in townships
        if place.level == "grid":
            village = self._village_of(pk)
            if village in villages or (len(pks) == 1 and kind == "full"):
                return Match(pk, GRID_IN_VILLAGE, word)
            return Match(pk, FULL_NAME_AMBIGUOUS, word)
        if kind == "full":
            if in_named_township:
                return Match(pk, FULL_NAME_WITH_TOWNSHIP, word)
            return Match(pk, FULL_NAME_UNIQUE if len(pks) == 1 else FULL_NAME_AMBIGUOUS, word)
        if kind == "alias":
            return Match(pk, ALIAS_UNIQUE if len(pks) == 1 or in_named_township else FULL_NAME_AMBIGUOUS, word)
        return Match(pk, SHORT_NAME + (0.2 if in_named_township and len(pks) == 1 else 0), word)


def place_terms(text: str, known: "Gazetteer | None" = None) -> list[str]:
    """Road, estate and similar names in an address (to learn as aliases), longest first, without repeats.

    The region names the gazetteer knows are cut out first, so 东湖街道阳光花园 gives 阳光花园."""
    text = text or ""
    if known is not None and known.pattern is not None:
        text = known.pattern.sub("|", text)
    terms = {}
    for part in SEPARATORS.split(text.replace("|", " ")):
        for m in PLACE_TERM.finditer(part):
            terms[m.group(1)] = None
    return sorted(terms, key=len, reverse=True)
