"""A school's plan that names people, for the tests of adding an executor person from the
roadmap import's preview (wordings our own).

Example: ``people_plan()`` — «План работы МБОУ «СОШ № 5» … на 2024 год» with three events whose
«Ответственные» are «Корнилова Е.Д., заместитель директора по УВР», «Е.Д. Корнилова; ОО» and
«учитель математики Лаптев С.Г.».
"""

from __future__ import annotations

from opora.testing.roadmap_corpus import word

PLAN_ROWS = [
    ["№", "Мероприятие", "Сроки", "Ответственные"],
    ["1", "Входная диагностика", "сентябрь 2024", "Корнилова Е.Д., заместитель директора по УВР"],
    ["2", "Педагогический совет", "ноябрь 2024", "Е.Д. Корнилова; ОО"],
    ["3", "Неделя математики", "декабрь 2024", "учитель математики Лаптев С.Г."],
]


def people_plan() -> bytes:
    return word(["План работы школы на 2024 год"], PLAN_ROWS)
