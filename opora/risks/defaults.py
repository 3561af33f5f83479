"""The twelve risk factors of the federal 500+ project and the region's starting rules.

The factors are the project's own; the rules are a starting point the region edits
(«Правила уровней риска»). A factor keeps the rules the region gave it: defaults are only
added to a factor that has none.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from opora.risks.models import Direction, RiskFactor, RiskRule, Source

FACTORS = [
    (
        "equipment",
        "Низкий уровень оснащения школы",
        "Нет современного оборудования, скорости интернета, учебных пространств.",
    ),
    (
        "staff_shortage",
        "Дефицит педагогических кадров",
        "Вакансии, высокая нагрузка и совместительство, нет узких специалистов.",
    ),
    (
        "competence",
        "Недостаточная предметная и методическая компетентность педагогических работников",
        "Педагоги не уверены в предмете и в методиках, не владеют формирующим оцениванием.",
    ),
    (
        "adaptivity",
        "Низкая адаптивность учебного процесса",
        "Обучение не подстраивается под разных учеников: нет дифференциации и индивидуальных траекторий.",
    ),
    (
        "pd_system",
        "Несформированность внутришкольной системы повышения квалификации",
        "Нет методических объединений, наставничества, взаимопосещения уроков.",
    ),
    (
        "failure",
        "Высокая доля обучающихся с рисками учебной неуспешности",
        "Много отметок «2» на оценочных процедурах, неуспевающих по итогам четверти.",
    ),
    (
        "motivation",
        "Низкая учебная мотивация обучающихся",
        "Ученикам неинтересно на уроках, они не видят смысла учиться.",
    ),
    (
        "language",
        "Высокая доля обучающихся с языковыми и культурными барьерами",
        "Инофоны, семьи, где дома не говорят по-русски.",
    ),
    (
        "environment",
        "Пониженный уровень качества школьной образовательной и воспитательной среды",
        "Ученики и родители не чувствуют себя в школе безопасно и комфортно.",
    ),
    (
        "special_needs",
        "Высокая доля обучающихся с ограниченными возможностями здоровья",
        "Много детей с ОВЗ при недостатке специалистов сопровождения.",
    ),
    (
        "parents",
        "Низкий уровень вовлечённости родителей",
        "Родители не участвуют в жизни школы и не следят за учёбой детей.",
    ),
    (
        "discipline",
        "Низкий уровень дисциплины в классе",
        "Шум и нарушения на уроках мешают учиться.",
    ),
]

D = Decimal
Q, P, R = Source.QUESTIONNAIRE, Source.PASSPORT, Source.RESULTS
UP, DOWN = Direction.HIGHER, Direction.LOWER

# factor code: [(source, key, option, direction, high, medium, low)]
RULES = {
    "equipment": [(Q, "equipment", "Нет", UP, D("0.5"), D("0.3"), D("0.1"))],
    "staff_shortage": [
        (P, "part_time_ratio", "", UP, D("1.4"), D("1.25"), D("1.1")),
        (Q, "vacancies", "", UP, D("3"), D("2"), D("1")),
    ],
    "competence": [(Q, "methodical_confidence", "", DOWN, D("2.5"), D("3.2"), D("3.8"))],
    "adaptivity": [(Q, "differentiation", "", DOWN, D("2.5"), D("3.2"), D("3.8"))],
    "pd_system": [(Q, "inschool_pd", "Нет", UP, D("0.5"), D("0.3"), D("0.1"))],
    "failure": [(R, "share_2", "", UP, D("0.25"), D("0.15"), D("0.08"))],
    "motivation": [(Q, "motivation", "", DOWN, D("2.5"), D("3.2"), D("3.8"))],
    "language": [(P, "share_non_native", "", UP, D("0.15"), D("0.08"), D("0.03"))],
    "environment": [(Q, "safety", "", DOWN, D("2.5"), D("3.2"), D("3.8"))],
    "special_needs": [(P, "share_special_needs", "", UP, D("0.15"), D("0.1"), D("0.05"))],
    "parents": [(Q, "involvement", "", DOWN, D("2.5"), D("3.2"), D("3.8"))],
    "discipline": [(Q, "discipline", "Часто", UP, D("0.4"), D("0.25"), D("0.1"))],
}


@transaction.atomic
def ensure_defaults() -> list[RiskFactor]:
    """The twelve factors, each created once with its default rules (a factor the region has
    edited keeps its rules, even none)."""
    existing = {f.code: f for f in RiskFactor.objects.all()}
    for order, (code, title, description) in enumerate(FACTORS, start=1):
        if code in existing:
            continue
        factor = RiskFactor.objects.create(
            code=code, order=order, title=title, description=description
        )
        existing[code] = factor
        for n, (source, key, option, direction, high, medium, low) in enumerate(
            RULES.get(code, []), start=1
        ):
            RiskRule.objects.create(
                factor=factor,
                order=n,
                source=source,
                key=key,
                option=option,
                direction=direction,
                high=high,
                medium=medium,
                low=low,
            )
    return sorted(existing.values(), key=lambda f: f.order)


def factors() -> list[RiskFactor]:
    """The factors in their order, as loaded by :func:`ensure_defaults` after migrate."""
    return list(RiskFactor.objects.order_by("order", "pk"))
