"""The curators' activity report of a year (seed 003, event 30: «Сформирована аналитическая
справка кураторами ШНОР») — a draft for the documents layer, reading only."""

from __future__ import annotations

from django.db.models import Prefetch

from opora.coaching.models import SpanTarget, VisitStatus, WorkPlan
from opora.coaching.selectors import progress, span_progress_of
from opora.core.russian.plurals import count
from opora.documents.drafts import Draft
from opora.documents.models import DocumentKind
from opora.documents.text import heading, paragraphs, table_row
from opora.registry import requisites
from opora.registry.models import Municipality


def _plans(year: int) -> list[WorkPlan]:
    return list(
        WorkPlan.objects.filter(year=year)
        .select_related("curator", "municipality")
        .prefetch_related("targets", "visits__school", "visits__recommendations")
        .order_by("municipality__name", "curator__last_name")
    )


def activity_report_draft(year: int) -> Draft:
    """«Об анализе результатов мониторинга текущей работы кураторов ШНОР в 2026 году»: every
    plan's targets against the visits held, and what the visits found and recommended."""
    plans = _plans(year)
    held = [v for p in plans for v in p.visits.all() if v.status == VisitStatus.HELD]
    given = sum(len(v.recommendations.all()) for v in held)
    municipalities = {p.municipality_id for p in plans}
    met = sum(1 for p in plans if all(k.met for k in progress(p).kinds))
    lines = paragraphs(
        f"В {year} году кураторы школ с низкими образовательными результатами работали "
        f"по планам в {count(len(municipalities), 'муниципалитете', 'муниципалитетах', 'муниципалитетах')} "
        f"({count(len(plans), 'план', 'плана', 'планов')} работы). Проведено "
        f"{count(len(held), 'выезд', 'выезда', 'выездов')}, школам дано "
        f"{count(given, 'рекомендация', 'рекомендации', 'рекомендаций')}; плановые показатели "
        f"выполнены по {count(met, 'плану', 'планам', 'планам')} из {len(plans)}."
    )
    lines.append(heading("Выполнение планов работы"))
    lines.append(table_row("Муниципалитет", "Куратор", "Вид работы", "План", "Проведено"))
    for plan in plans:
        for k in progress(plan).kinds:
            lines.append(
                table_row(
                    plan.municipality.name,
                    plan.curator.short_name,
                    k.label,
                    str(k.target),
                    str(k.held),
                )
            )
    spans = span_progress_of(
        list(
            SpanTarget.objects.filter(year=year)
            .select_related("curator")
            .prefetch_related(
                Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
            )
            .order_by("curator__last_name", "kind", "pk")
        )
    )
    if spans:
        lines.append(heading("Цели по нескольким муниципалитетам"))
        lines.append(table_row("Муниципалитеты", "Куратор", "Вид работы", "План", "Проведено"))
        for p in spans:
            lines.append(
                table_row(
                    p.places,
                    p.target.curator.short_name,
                    p.target.get_kind_display(),
                    str(p.target.quantity),
                    str(p.held),
                )
            )
    if held:
        lines.append(heading("Итоги выездов"))
        for v in sorted(held, key=lambda v: v.held_on):
            where = v.school.short_name if v.school_id else "муниципалитет"
            lines += paragraphs(
                f"{v.held_on:%d.%m.%Y}, {v.get_kind_display()} ({where}): {v.findings}"
            )
    lines += paragraphs(
        "Итоги учитываются при планировании адресной методической поддержки школ на "
        "следующий период."
    )
    operator = requisites.regional_operator()
    return Draft(
        kind=DocumentKind.REPORT,
        organisation=operator.organisation,
        title=f"Об анализе результатов мониторинга текущей работы кураторов ШНОР в {year} году",
        body="\n".join(lines),
        place=operator.place,
    )
