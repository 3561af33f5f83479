"""The two documents of the expertise, as drafts for the documents layer: the protocol of one
expertise (signed by its experts) and the analytical report over a year («аналитическая справка
по итогам 17 экспертиз», signed by the operator). Pure: they read, the services save.

The header is the regional operator's, from the registry (:mod:`opora.registry.requisites`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from opora.core.formatting import percent
from opora.core.russian.dates import short_date
from opora.core.russian.plurals import count, plural
from opora.documents.drafts import Draft
from opora.documents.models import DocumentKind
from opora.documents.text import chart, group_row, heading, paragraphs, sentence, table_row
from opora.expertise.consolidation import (
    Consolidated,
    PeriodAnalytics,
    analytics,
    consolidate,
    signature_name,
)
from opora.expertise.models import Expertise
from opora.expertise.selectors import load_for_view, with_everything
from opora.recommendations.catalogue import recommendation_lines
from opora.registry.requisites import regional_operator

#: A protocol with more experts than this is laid out on landscape pages.
PORTRAIT_EXPERTS = 4
#: How many criteria the report's chart shows (the most failing first).
CHART_CRITERIA = 12


def report_topic(year: int) -> str:
    """What the analytical report of ``year`` is about (it has no single source object)."""
    return f"expertise-report-{year}"


def _number(value: float | None, digits: int = 1) -> str:
    """1.5 → «1,5»; 2.0 → «2»; None → «—»."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",")


def _weight(value: Decimal | float) -> str:
    return _number(float(value), 2)


# ---------------------------------------------------------------- the protocol


def protocol_draft(expertise: Expertise) -> Draft:
    """«ПРОТОКОЛ экспертизы муниципальной программы («дорожной карты») «…»» as a draft.

    The criteria table with every expert's score and the mean, the total and the agreement,
    the experts' comments, the conclusion, the recommendations; the experts sign it.
    """
    expertise = load_for_view(expertise)
    data = consolidate(expertise)
    roadmap = expertise.roadmap
    level = "школьной программы" if roadmap.level == "school" else "муниципальной программы"
    issuer = regional_operator()
    signer = "\n\n".join(
        f"Эксперт\n{signature_name(column.assignment.expert)}" for column in data.columns
    )
    return Draft(
        kind=DocumentKind.PROTOCOL,
        organisation=issuer.organisation,
        place=issuer.place,
        title=f"экспертизы {level} («дорожной карты»)\n«{roadmap.title}»\n({roadmap.owner_label})",
        body="\n".join(_protocol_body(expertise, data)),
        signer=signer,
        landscape=len(data.columns) > PORTRAIT_EXPERTS,
    )


def _protocol_body(expertise: Expertise, data: Consolidated) -> list[str]:
    roadmap, cs = expertise.roadmap, expertise.criteria_set
    lines = [
        f"Экспертиза проведена по критериям «{cs.name}» ({cs.year} г.). Период программы: "
        f"{short_date(roadmap.period_start)} – {short_date(roadmap.period_end)}.",
        f"Эксперты: {', '.join(c.name for c in data.columns) or '—'}.",
        *_scores_table(data),
        f"Итоговый балл: {_number(data.total_mean)} из {_number(data.total_max)} "
        f"({percent(data.percent)}).",
    ]
    if data.compared:
        lines.append(
            f"Согласованность экспертов: оценки совпали по {data.agreeing} из {data.compared} "
            f"критериев ({percent(data.agreement_share)}), индекс согласованности "
            f"{_number(data.agreement_index, 2)}."
        )
        if data.disagreements:
            numbers = ", ".join(r.number for r in data.disagreements)
            lines.append(f"Расхождение оценок экспертов по критериям: {numbers}.")
    if data.failing:
        numbers = ", ".join(r.number for r in data.failing)
        lines.append(f"Критерии со средним баллом ниже половины максимального: {numbers}.")
    comments = [
        f"{row.number}. {column.short_name}: {' '.join(paragraphs(cell.comment))}"
        for row in data.rows
        for column, cell in zip(data.columns, row.cells, strict=True)
        if cell.comment
    ]
    if comments:
        lines += [heading("Комментарии экспертов"), *comments]
    lines += [heading("Заключение"), *(paragraphs(expertise.conclusion) or ["—"])]
    recommendations = recommendation_lines(expertise.recommendations)
    if recommendations:
        lines.append(heading("Рекомендации"))
        last = len(recommendations)
        lines += [
            f"{i}. {sentence(text)}{';' if i < last else '.'}"
            for i, text in enumerate(recommendations, 1)
        ]
    return lines


def _scores_table(data: Consolidated) -> list[str]:
    rows = [
        table_row(
            "№", "Критерий", "Макс. балл", "Вес", *[c.short_name for c in data.columns],
            "Средний балл",
        )
    ]  # fmt: skip
    for group, group_rows in data.groups:
        rows.append(group_row(group.title))
        for row in group_rows:
            scores = [_number(c.value, 0) if c.value is not None else "—" for c in row.cells]
            rows.append(
                table_row(
                    row.number, row.criterion.text, str(row.criterion.scale_max),
                    _weight(row.criterion.weight), *scores, _number(row.mean),
                )
            )  # fmt: skip
    totals = [_number(column.total) for column in data.columns]
    rows.append(
        table_row(
            "", "Итого (с учётом весов)", _number(data.total_max), "", *totals,
            _number(data.total_mean),
        )
    )  # fmt: skip
    return rows


# ---------------------------------------------------------------- the analytical report


def report_draft(expertises: Iterable[Expertise], year: int) -> Draft:
    """«Аналитическая справка по итогам экспертизы муниципальных программ …» as a draft.

    Over the closed expertises of ``year`` (e.g. the 17 of 2023): the chart of criteria that
    fail most often, the table of those criteria, and the totals per programme. Reads
    everything in a fixed number of queries.
    """
    pks = [e.pk for e in expertises]
    loaded = list(
        with_everything(Expertise.objects.filter(pk__in=pks)).order_by(
            "roadmap__municipality__name", "roadmap__title", "pk"
        )
    )
    data = analytics(loaded)
    years = data.years or [year]
    period = f"{years[0]} год" if len(years) == 1 else f"{years[0]}–{years[-1]} годы"
    issuer = regional_operator()
    return Draft(
        kind=DocumentKind.REPORT,
        organisation=issuer.organisation,
        place=issuer.place,
        title="по итогам экспертизы муниципальных программ и «дорожных карт» по повышению "
        f"качества образования в ШНОР и ШНСУ за {period}",
        body="\n".join(_report_body(data)),
        signer=issuer.signer,  # the operator's head, from the registry
    )


def out_of(part: int, whole: int) -> str:
    """«в 1 из 1 программы», «в 3 из 21 программы», «в 2 из 17 программ»: after «из N» the
    genitive agrees with N (singular after 1, 21 …)."""
    return f"в {part} из {whole} {plural(whole, 'программы', 'программ', 'программ')}"


def _report_body(data: PeriodAnalytics) -> list[str]:
    n = len(data.results)
    if not n:
        return ["Завершённых экспертиз за период нет."]
    failing_any = [s for s in data.criteria if s.failed]
    shares = [r.percent for r in data.results if r.percent is not None]
    average = sum(shares) / len(shares) if shares else None
    failing = len(failing_any)
    lines = [
        f"{plural(n, 'Проведена', 'Проведены', 'Проведено')} "
        f"{count(n, 'экспертиза', 'экспертизы', 'экспертиз')} "
        f"{'муниципальных программ' if n != 1 else 'муниципальной программы'}. "
        f"Средний итоговый балл — {percent(average)} от максимального. "
        "Критерий считается невыполненным, если средний балл экспертов ниже половины "
        "максимального; хотя бы в одной программе "
        f"{plural(failing, 'не выполнен', 'не выполнены', 'не выполнено')} "
        f"{count(failing, 'критерий', 'критерия', 'критериев')}."
    ]
    if failing_any:
        top = failing_any[0]
        lines.append(
            f"Чаще всего не выполняется критерий «{top.text}» — {out_of(top.failed, top.used)} "
            f"({percent(top.share)})."
        )
    shown = [s for s in data.criteria if s.used][:CHART_CRITERIA]
    lines += [
        heading("Критерии, которые не выполняются чаще всего"),
        chart("Рисунок 1. Доля экспертиз, в которых критерий не выполнен"),
        *(table_row(s.text, percent(s.share), f"{s.failed} из {s.used}") for s in shown),
        table_row("№", "Критерий", "Не выполнен", "Доля", "Средний балл, % от макс."),
    ]
    lines += [
        table_row(
            str(i), s.text, f"{s.failed} из {s.used}", percent(s.share), percent(s.mean_share)
        )
        for i, s in enumerate(data.criteria, start=1)
    ]
    lines += [
        heading("Итоги экспертиз"),
        table_row(
            "№", "Муниципалитет, программа", "Итоговый балл", "% от макс.",
            "Не выполнено критериев", "Согласованность экспертов",
        ),
    ]  # fmt: skip
    for i, result in enumerate(data.results, start=1):
        roadmap = result.expertise.roadmap
        lines.append(
            table_row(
                str(i), f"{roadmap.owner_label}: {roadmap.title}",
                f"{_number(result.total_mean)} из {_number(result.total_max)}",
                percent(result.percent), str(len(result.failing)),
                percent(result.agreement_share) if result.compared else "—",
            )
        )  # fmt: skip
    return lines
