"""Generated Chinese names and numbers for the demo district.

Everything comes from fixed lists and one ``random.Random`` passed in, so the same seed gives
the same district on every machine. No list holds a real person's name: people are a surname
drawn at random with one or two given-name characters drawn at random.
"""

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵钱严武戴孔汤"
)
# Surnames are not equally common; the first twenty cover about half of the population.
SURNAME_WEIGHTS = [6] * 20 + [2] * (len(SURNAMES) - 20)

GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志文海东晨振峰诚亮成立忠德荣兵庆松"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧洁琳颖倩红梅萍莉兰琴云丹蕾薇晶秀英欣悦瑶怡佳春月凤玉桂珍"

# The first three digits of mainland mobile numbers in common use.
MOBILE_PREFIXES = ("135", "136", "137", "139", "150", "151", "152", "158", "159", "182", "187", "188")
# Numbers the demo hands out by name (the resident account), never to be generated twice.
RESERVED_MOBILES = frozenset({"13800000001"})

# Two-character village names: a first character (a tree, a direction, a colour …) and a landform.
VILLAGE_HEADS = "柳东西南北桃杏石竹梅荷枫松柏杨槐芦莲金黄红龙凤鹤马上下前后新大高长双三五王陈周沈徐"
VILLAGE_TAILS = "湾塘桥岭坞坪山源口浦岗溪田庄林园港墩埠洲坝畈冲垟"
# Urban communities are usually named for a wish or a landmark rather than a landform.
COMMUNITY_NAMES = (
    "和平",
    "朝阳",
    "锦绣",
    "幸福",
    "阳光",
    "文昌",
    "新华",
    "建设",
    "胜利",
    "滨江",
    "翠苑",
    "金桥",
    "春江",
    "明珠",
    "紫荆",
    "嘉园",
    "清风",
    "长安",
    "康宁",
    "永安",
    "北门",
    "南门",
    "东塘",
    "西园",
    "花园",
    "月湖",
    "望江",
    "景秀",
    "华庭",
    "丰收",
    "振兴",
    "文苑",
    "和睦",
    "瑞丰",
    "梧桐",
    "凤凰",
    "青年",
    "湖滨",
)

# Trade names for generated workplaces; several firms may share one, as in any county.
COMPANY_WORDS = (
    "恒丰",
    "瑞达",
    "宏远",
    "嘉禾",
    "鼎盛",
    "华泰",
    "康源",
    "新湖",
    "汇通",
    "润泽",
    "博远",
    "兴隆",
    "远航",
    "安泰",
    "利民",
    "永盛",
)


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


CHINESE_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一 … 10 → 十; grids and floors never go beyond ten."""
    return CHINESE_NUMERALS[n - 1]
