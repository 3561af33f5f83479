"""The Russian plural: one form for 1, 21, 101; another for 2–4, 22–24; a third for the rest.

>>> count(1, "школа", "школы", "школ"), count(3, "школа", "школы", "школ")
('1 школа', '3 школы')
>>> count(68, "школа", "школы", "школ"), count(111, "школа", "школы", "школ")
('68 школ', '111 школ')
"""

from __future__ import annotations


def plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the Russian plural form: plural(21, "школа", "школы", "школ") → «школа»."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«68 школ», «1 муниципалитет», «3 выезда»."""
    return f"{n} {plural(n, one, few, many)}"
