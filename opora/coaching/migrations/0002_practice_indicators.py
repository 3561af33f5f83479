"""The indicators of effective practice every listed school rates itself on exist from the
start: reference data, seeded here once (never on a page's GET)."""

from django.db import migrations

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


def create(apps, schema_editor):
    PracticeIndicator = apps.get_model("coaching", "PracticeIndicator")
    for order, (code, area, title) in enumerate(INDICATORS, start=1):
        PracticeIndicator.objects.get_or_create(
            code=code, defaults={"order": order, "area": area, "title": title}
        )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
