"""Files as users upload them (CSV in either encoding, XLSX from Excel) and a snapshot of
everything the registry import may write, for the import and bad-input tests."""

from __future__ import annotations

import csv
import io

import openpyxl

from opora.registry.models import Municipality, School, SchoolPassport

HEADERS = ["Код ОО", "Наименование", "Муниципалитет", "Вид ОО", "Обучающихся", "Доля ОВЗ"]


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    """A CSV as Excel saves it: «Код ОО;Наименование;…» in UTF-8 or Windows-1251."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def written() -> dict[str, int]:
    """Row counts of everything an import could touch, audit trail included."""
    return {
        "schools": School.objects.count(),
        "passports": SchoolPassport.objects.count(),
        "municipalities": Municipality.objects.count(),
        "school history": School.history.count(),
        "passport history": SchoolPassport.history.count(),
    }
