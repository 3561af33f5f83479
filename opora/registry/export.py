"""Export of school lists to Excel, with the year's passport and statuses."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from opora.core.spreadsheets import finish_table, workbook_bytes
from opora.registry.models import SchoolPassport

HEADERS = [
    "Код ОО",
    "Наименование",
    "Муниципалитет",
    "Вид ОО",
    "Адрес",
    "Руководитель",
    "ШНОР",
    "ШНСУ",
    "Обучающихся",
    "Педагогов",
    "Коэффициент совместительства",
    "Доля ОВЗ",
    "Доля инофонов",
    "Доля малоимущих",
    "Доля неполных семей",
    "Сельская",
    "Малокомплектная",
    "Удалённая",
]


def _yes(v) -> str:
    return "да" if v else "нет"


def schools_workbook(schools, year: int) -> bytes:
    """The same columns the registry import reads, so an export can be edited and re-imported."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = f"Школы {year}"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    passports = {
        p.school_id: p
        for p in SchoolPassport.objects.filter(school__in=schools.values("pk"), year=year)
    }
    for s in schools.iterator(chunk_size=2000):
        p = passports.get(s.pk)
        ws.append(
            [
                s.code,
                s.full_name,
                s.municipality.name,
                s.get_kind_display(),
                s.address,
                s.head_name,
                _yes(getattr(s, "is_low_results", False)),
                _yes(getattr(s, "is_unfavourable", False)),
                p.pupils if p else None,
                p.teachers if p else None,
                float(p.part_time_ratio) if p and p.part_time_ratio is not None else None,
                *[
                    float(getattr(p, f)) if p and getattr(p, f) is not None else None
                    for f in (
                        "share_special_needs",
                        "share_non_native",
                        "share_low_income",
                        "share_single_parent",
                    )
                ],
                *[
                    _yes(getattr(p, f)) if p else None
                    for f in ("is_rural", "is_small", "is_remote")
                ],
            ]
        )
    for i, width in enumerate([10, 50, 25, 12, 40, 25] + [8] * 12, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    finish_table(ws, 1, percent=[HEADERS.index(h) + 1 for h in HEADERS if h.startswith("Доля")])
    return workbook_bytes(wb)
