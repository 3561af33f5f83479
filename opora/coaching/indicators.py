"""The indicators of effective practice every listed school rates itself on: the region's
reference data. The migration ``0002_practice_indicators`` seeds them; a write that needs them
(beginning a self-analysis) tops up any that are missing — never a page's GET."""

from __future__ import annotations

INDICATORS = [
    (
        "results_analysis",
        "Управление",
        "Администрация анализирует результаты оценочных процедур и принимает по ним решения",
    ),
    (
        "vsoko",
        "Управление",
        "Внутренняя система оценки качества образования (ВСОКО) используется для управления",
    ),
    (
        "formative",
        "Преподавание",
        "Учителя используют формирующее оценивание и обратную связь на уроках",
    ),
    (
        "differentiation",
        "Преподавание",
        "Обучение дифференцировано с учётом уровня подготовки обучающихся",
    ),
    (
        "extra_classes",
        "Преподавание",
        "Организованы дополнительные занятия с обучающимися с низким уровнем подготовки",
    ),
    (
        "mentoring",
        "Кадры",
        "Работают наставничество и взаимопосещение уроков педагогами",
    ),
    (
        "deficits",
        "Кадры",
        "Педагоги повышают квалификацию по выявленным профессиональным дефицитам",
    ),
    (
        "motivation",
        "Обучающиеся и родители",
        "Обучающиеся ставят учебные цели и видят свой прогресс",
    ),
    (
        "parents",
        "Обучающиеся и родители",
        "Родители вовлечены в обсуждение результатов обучения и жизни школы",
    ),
    (
        "environment",
        "Среда и партнёрство",
        "Школьная среда безопасна и благоприятна для обучения",
    ),
    (
        "partners",
        "Среда и партнёрство",
        "Школа работает с партнёрами: школа-наставник, сетевые и социальные партнёры",
    ),
]


def ensure_indicators(model=None) -> None:
    """Create the indicators that are missing (``model``: the migration's historical one)."""
    if model is None:
        from opora.coaching.models import PracticeIndicator as model
    have = set(model.objects.values_list("code", flat=True))
    model.objects.bulk_create(
        model(code=code, order=order, area=area, title=title)
        for order, (code, area, title) in enumerate(INDICATORS, start=1)
        if code not in have
    )
