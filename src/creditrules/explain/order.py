"""The order in which an explanation lists the law: by the rank of the instrument, then by
article.

Ranks follow the hierarchy of ``model/ranks.yaml``: a rank is listed after every rank
declared above it (so 国务院规范性文件 comes before 部门规章), and ranks the hierarchy does
not order keep the order in which the file lists them. Articles are compared by their
numbers (第九条 before 第十二条, 第十二条第一款 before 第十二条第三款, （一） before （二）),
read from the Chinese numerals or digits in the article as written.
"""

from __future__ import annotations

import re
from functools import cache

from creditrules.model.rank import hierarchy

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+|[0-9]+")


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral (一百一十九 → 119, 十二 → 12) or of ASCII digits."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + digit


def article_key(article: str) -> tuple[tuple[int, ...], str]:
    """Sort key of an article as written: the numbers in it, in order, then the text."""
    return tuple(chinese_number(m) for m in _NUMBER.findall(article)), article


@cache
def rank_order() -> tuple[str, ...]:
    """Every rank, higher before lower; unordered ranks in the order ranks.yaml lists them."""
    h = hierarchy()
    left = list(h.ids)
    out: list[str] = []
    while left:
        pick = next(r for r in left if not any(h.above(o, r) for o in left if o != r))
        out.append(pick)
        left.remove(pick)
    return tuple(out)


def rank_key(rank: str | None) -> int:
    """Position of a rank in ``rank_order``; an unknown or missing rank comes last."""
    order = rank_order()
    return order.index(rank) if rank in order else len(order)
