"""Text normalisation applied before any matching.

NFKC folds full-width characters and the Kangxi Radicals block (⽀ → 支); it leaves most of the
CJK Radicals Supplement alone, so the simplified radicals that PDF producers emit are mapped here.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement code points that text layers use in place of ordinary characters.
RADICAL_SUPPLEMENT = str.maketrans(
    {
        "⺁": "厂",
        "⺇": "几",
        "⺊": "卜",
        "⺌": "小",
        "⺍": "小",
        "⺎": "兀",
        "⺏": "尣",
        "⺐": "尢",
        "⺒": "巳",
        "⺓": "幺",
        "⺔": "彑",
        "⺕": "彐",
        "⺖": "心",
        "⺗": "心",
        "⺘": "手",
        "⺙": "攴",
        "⺛": "旡",
        "⺜": "日",
        "⺝": "月",
        "⺞": "歺",
        "⺟": "母",
        "⺠": "民",
        "⺡": "水",
        "⺢": "水",
        "⺣": "火",
        "⺤": "爪",
        "⺥": "爪",
        "⺦": "丬",
        "⺧": "牛",
        "⺨": "犬",
        "⺩": "王",
        "⺪": "疋",
        "⺫": "目",
        "⺬": "示",
        "⺭": "示",
        "⺮": "竹",
        "⺯": "糸",
        "⺰": "纟",
        "⺱": "网",
        "⺲": "网",
        "⺳": "网",
        "⺴": "网",
        "⺵": "网",
        "⺶": "羊",
        "⺷": "羊",
        "⺸": "羊",
        "⺹": "老",
        "⺺": "肀",
        "⺻": "聿",
        "⺼": "肉",
        "⺽": "臼",
        "⺾": "艸",
        "⺿": "艸",
        "⻀": "艸",
        "⻁": "虎",
        "⻂": "衣",
        "⻃": "襾",
        "⻄": "西",
        "⻅": "见",
        "⻆": "角",
        "⻇": "角",
        "⻈": "讠",
        "⻉": "贝",
        "⻊": "足",
        "⻋": "车",
        "⻌": "辶",
        "⻍": "辶",
        "⻎": "辶",
        "⻏": "阝",
        "⻐": "金",
        "⻑": "長",
        "⻒": "镸",
        "⻓": "长",
        "⻔": "门",
        "⻕": "阝",
        "⻖": "阝",
        "⻗": "雨",
        "⻘": "青",
        "⻙": "韦",
        "⻚": "页",
        "⻛": "风",
        "⻜": "飞",
        "⻝": "食",
        "⻞": "食",
        "⻟": "食",
        "⻠": "饣",
        "⻡": "首",
        "⻢": "马",
        "⻣": "骨",
        "⻤": "鬼",
        "⻥": "鱼",
        "⻦": "鸟",
        "⻧": "卤",
        "⻨": "麦",
        "⻩": "黄",
        "⻪": "黾",
        "⻫": "齐",
        "⻬": "齐",
        "⻭": "齿",
        "⻮": "齿",
        "⻯": "龙",
        "⻰": "龙",
        "⻱": "龟",
        "⻲": "龟",
        "⻳": "龟",
    }
)

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’（）【】《》、，。：；"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_AROUND_PUNCT = re.compile(r"\s*([()（）:：,，])\s*")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def normalise(text: str | None) -> str:
    """NFKC + radical map; newlines kept (they separate wrapped lines)."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", text).translate(RADICAL_SUPPLEMENT)


def clean_label(text: str | None) -> str:
    """A label as one line: wrapped CJK fragments and justified spacing joined without spaces.

    “因 公 出 国 ( 境 ) 费\\n用” → “因公出国(境)费用”; Latin words keep their single spaces.
    """
    text = normalise(text)
    text = re.sub(r"\s*\n\s*", "\n", text).strip()
    text = re.sub(rf"(?<=[{_CJK}\d\w)）])\n(?=[{_CJK}(（])", "", text)
    text = text.replace("\n", " ")
    text = _SPACES.sub(" ", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_AROUND_PUNCT.sub(r"\1", text)
    return text.strip()


def compact(text: str | None) -> str:
    """A label with every space removed, for matching against layouts."""
    return re.sub(r"\s+", "", normalise(text))
