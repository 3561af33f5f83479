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
    """«68 школ», «1 муниципалитет», «3 выезда»; from five digits on the thousands are set
    apart by a no-break space, as Russian writes them: «103 152 строки», «4000 анкет»."""
    return f"{number(n)} {plural(n, one, few, many)}"


def number(n: int) -> str:
    """103152 → «103 152» (a no-break space); 4000 → «4000»: four digits stay together."""
    if isinstance(n, int) and abs(n) >= 10_000:
        return f"{n:,}".replace(",", "\u00a0")
    return str(n)
