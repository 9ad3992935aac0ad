"""Generated Chinese names and numbers for the demo district.

Everything comes from fixed lists (``data/names.json``) and one ``random.Random`` passed in, so
the same seed gives the same district on every machine. No list holds a real person's name: people
are a surname drawn at random with one or two given-name characters drawn at random.
"""

import random

from shangliang.demo.content import load

_NAMES = load("names")

SURNAMES = _NAMES["surnames"]
# Surnames are not equally common; the first twenty cover about half of the population.
SURNAME_WEIGHTS = [6] * 20 + [2] * (len(SURNAMES) - 20)

GIVEN_MALE = _NAMES["given_names_male"]
GIVEN_FEMALE = _NAMES["given_names_female"]

# The first three digits of mainland mobile numbers in common use.
MOBILE_PREFIXES = ("135", "136", "137", "139", "150", "151", "152", "158", "159", "182", "187", "188")
# Numbers the demo hands out by name (the resident account), never to be generated twice.
RESERVED_MOBILES = frozenset({"13800000001"})

# Two-character village names: a first character (a tree, a direction, a colour …) and a landform.
VILLAGE_HEADS = _NAMES["village_heads"]
VILLAGE_TAILS = _NAMES["village_tails"]
# Urban communities are usually named for a wish or a landmark rather than a landform.
COMMUNITY_NAMES = tuple(_NAMES["community_names"])

# Trade names for generated workplaces; several firms may share one, as in any county.
COMPANY_WORDS = tuple(_NAMES["company_words"])


class NameSource:
    """Hands out people's names, mobile numbers and place names, each at most once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._people: set[str] = set()
        self._mobiles: set[str] = set(RESERVED_MOBILES)
        self._places: set[str] = set()

    def gender(self, female_share: float = 0.35) -> str:
        return "F" if self.rng.random() < female_share else "M"

    def person(self, gender: str) -> str:
        """A new full name for a man ("M") or a woman ("F"); never the same name twice."""
        given_chars = GIVEN_FEMALE if gender == "F" else GIVEN_MALE
        while True:
            surname = self.rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
            # About a third of given names have one character, the rest two.
            length = 1 if self.rng.random() < 0.3 else 2
            name = surname + "".join(self.rng.choice(given_chars) for _ in range(length))
            if name not in self._people:
                self._people.add(name)
                return name

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def village(self) -> str:
        """A rural village name without its suffix, e.g. 柳湾."""
        return self._place(lambda: self.rng.choice(VILLAGE_HEADS) + self.rng.choice(VILLAGE_TAILS))

    def community(self) -> str:
        """An urban community name without its suffix, e.g. 锦绣."""
        return self._place(lambda: self.rng.choice(COMMUNITY_NAMES))

    def trade_name(self) -> str:
        return self.rng.choice(COMPANY_WORDS)

    def _place(self, draw) -> str:
        while True:
            name = draw()
            if name not in self._places:
                self._places.add(name)
                return name

    def reserve_place(self, name: str) -> None:
        """Keep a fixed name (a township's) from being drawn for a village as well."""
        self._places.add(name)


CHINESE_NUMERALS = _NAMES["numerals"]


def numeral(n: int) -> str:
    """1 → 一 … 10 → 十; grids and floors never go beyond ten."""
    return CHINESE_NUMERALS[n - 1]
