"""The two Word documents of the expertise: the protocol of one expertise and the analytical
report over a period («аналитическая справка по итогам 17 экспертиз»).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils import timezone

from opora.core.formatting import percent
from opora.core.russian.dates import long_date, short_date
from opora.core.russian.plurals import count
from opora.expertise.consolidation import CriterionFailures, analytics, consolidate, signature_name
from opora.expertise.models import (
    Expertise,
    ExpertiseStatus,
)
from opora.expertise.selectors import load_for_view, with_everything
from opora.recommendations.catalogue import recommendation_lines

OPERATOR_NAME = (
    "Областное государственное бюджетное учреждение дополнительного профессионального "
    "образования «Томский областной институт повышения квалификации и переподготовки "
    "работников образования»"
)


def _operator_name() -> str:
    from opora.registry.models import Organisation, OrganisationKind

    org = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_OPERATOR).first()
    if org is None:
        return f"{OPERATOR_NAME} (ТОИПКРО)"
    return f"{org.name} ({org.short_name})" if org.short_name not in org.name else org.name


def _number(value: float | None, digits: int = 1) -> str:
    """1.5 → «1,5»; 2.0 → «2»; None → «—»."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",")


def _weight(value: Decimal | float) -> str:
    return _number(float(value), 2)


def _header(doc, day: date, number: str, title_lines: list[str]) -> None:
    """ГОСТ requisites of a protocol: organisation, kind, date and number, place, title."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm

    from opora.documents.docx_style import add_paragraph, text_width_mm

    add_paragraph(doc, _operator_name(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    add_paragraph(doc, "ПРОТОКОЛ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    line = add_paragraph(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm(doc)), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run(f"{short_date(day)}\t№ {number}")
    add_paragraph(doc, "г. Томск", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    for text in title_lines:
        add_paragraph(doc, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")


def protocol_docx(expertise: Expertise) -> bytes:
    """«ПРОТОКОЛ экспертизы муниципальной программы …» in Word.

    Requisites, the criteria table with every expert's score and the mean, the total and the
    agreement, the experts' comments, the conclusion, the recommendations and the experts'
    signatures. A protocol of an expertise still in progress is marked «ПРОЕКТ».
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm

    from opora.documents.docx_style import (
        add_page_numbers,
        add_paragraph,
        merged_row,
        new_document,
        repeat_header,
        set_cell_text,
        set_col_widths,
        set_table_font,
        text_width_mm,
    )

    expertise = load_for_view(expertise)
    data = consolidate(expertise)
    roadmap = expertise.roadmap
    closed = expertise.status == ExpertiseStatus.CLOSED
    day = timezone.localtime(expertise.closed_at).date() if closed else timezone.localdate()
    experts_count = len(data.columns)
    doc = new_document(landscape=experts_count > 4)

    owner = roadmap.owner_label
    kind = (
        "школьной программы" if roadmap.level == "school" else "муниципальной программы"
    ) + " («дорожной карты»)"
    title = [f"экспертизы {kind}", f"«{roadmap.title}»", f"({owner})"]
    if not closed:
        title.insert(0, "ПРОЕКТ")
    _header(doc, day, f"{expertise.pk}-э", title)

    cs = expertise.criteria_set
    add_paragraph(
        doc,
        f"Экспертиза проведена по критериям «{cs.name}» ({cs.year} г.). "
        f"Период программы: {short_date(roadmap.period_start)} – {short_date(roadmap.period_end)}.",
    )
    names = ", ".join(c.name for c in data.columns) or "—"
    add_paragraph(doc, f"Эксперты: {names}.")
    add_paragraph(doc, "")

    table = doc.add_table(rows=1, cols=5 + experts_count)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = [
        "№",
        "Критерий",
        "Макс. балл",
        "Вес",
        *[c.short_name for c in data.columns],
        "Средний балл",
    ]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        set_cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])
    for group, rows in data.groups:
        merged_row(table, group.title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for row in rows:
            cells = table.add_row().cells
            values = [
                row.number,
                row.criterion.text,
                str(row.criterion.scale_max),
                _weight(row.criterion.weight),
                *[_number(c.value, 0) if c.value is not None else "—" for c in row.cells],
                _number(row.mean),
            ]
            for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
                align = None if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
                set_cell_text(cell, text, align=align)
    total = table.add_row().cells
    set_cell_text(total[1], "Итого (с учётом весов)", bold=True)
    set_cell_text(total[2], _number(data.total_max), align=WD_ALIGN_PARAGRAPH.CENTER)
    for cell, column in zip(total[4:-1], data.columns, strict=True):
        set_cell_text(cell, _number(column.total), align=WD_ALIGN_PARAGRAPH.CENTER)
    set_cell_text(total[-1], _number(data.total_mean), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    width = text_width_mm(doc)
    fixed = 10 + 16 + 13 + 18 + 17 * experts_count
    set_col_widths(table, [10, width - fixed, 16, 13, *[17] * experts_count, 18])
    set_table_font(table)

    add_paragraph(doc, "")
    add_paragraph(
        doc,
        f"Итоговый балл: {_number(data.total_mean)} из {_number(data.total_max)} "
        f"({percent(data.percent)}).",
    )
    if data.compared:
        add_paragraph(
            doc,
            f"Согласованность экспертов: оценки совпали по {data.agreeing} из {data.compared} "
            f"критериев ({percent(data.agreement_share)}), индекс согласованности "
            f"{_number(data.agreement_index, 2)}.",
        )
        if data.disagreements:
            numbers = ", ".join(r.number for r in data.disagreements)
            add_paragraph(doc, f"Расхождение оценок экспертов по критериям: {numbers}.")
    failing = data.failing
    if failing:
        add_paragraph(
            doc,
            "Критерии со средним баллом ниже половины максимального: "
            + ", ".join(r.number for r in failing)
            + ".",
        )

    comments = [
        (row.number, column.short_name, cell.comment)
        for row in data.rows
        for column, cell in zip(data.columns, row.cells, strict=True)
        if cell.comment
    ]
    if comments:
        add_paragraph(doc, "")
        add_paragraph(doc, "Комментарии экспертов", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for number, name, comment in comments:
            add_paragraph(doc, f"{number}. {name}: {comment}")

    add_paragraph(doc, "")
    add_paragraph(doc, "Заключение", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, expertise.conclusion or "—")
    lines = recommendation_lines(expertise.recommendations)
    if lines:
        add_paragraph(doc, "")
        add_paragraph(doc, "Рекомендации", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for index, line in enumerate(lines, start=1):
            add_paragraph(doc, f"{index}. {line}" + (";" if index < len(lines) else "."))

    add_paragraph(doc, "")
    add_paragraph(doc, "Эксперты:", align=WD_ALIGN_PARAGRAPH.LEFT)
    for column in data.columns:
        p = add_paragraph(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=12)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(width * 0.45), WD_TAB_ALIGNMENT.LEFT)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(width), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(f"Эксперт\t____________\t{signature_name(column.assignment.expert)}")
    add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


#: How many criteria the chart shows (the most failing first).
CHART_CRITERIA = 12


def failure_chart_png(stats: list[CriterionFailures]) -> bytes:
    """A horizontal bar chart: share of expertises where each criterion failed (PNG, 150 dpi).

    Drawn with matplotlib's object API and the Agg canvas, without pyplot: no global state,
    safe in a web worker's threads.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    shown = [s for s in stats if s.used][:CHART_CRITERIA]
    rows = max(len(shown), 1)
    height = 1.0 + 0.5 * rows  # inches
    fig = Figure(figsize=(7.0, height), dpi=150)
    # Fixed margins instead of tight_layout(): one drawing of the figure instead of two.
    fig.subplots_adjust(left=0.45, right=0.98, top=1 - 0.15 / height, bottom=0.55 / height)
    ax = fig.add_subplot()
    labels = [textwrap.fill(textwrap.shorten(s.text, 110, placeholder="…"), 48) for s in shown]
    shares = [s.share * 100 for s in shown]
    positions = list(range(len(shown)))[::-1]
    bars = ax.barh(positions, shares, color="#1f4e79", height=0.6)
    ax.set_yticks(positions, labels=labels, fontsize=6.5)
    ax.set_xlim(0, 128)  # room for the labels beside the longest bars
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0, symbol="\u00a0%"))
    ax.set_xlabel("Доля экспертиз, где средний балл ниже половины максимального", fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    for bar, share, stat in zip(bars, shares, shown, strict=True):
        ax.text(
            bar.get_width() + 1.5,
            bar.get_y() + bar.get_height() / 2,
            f"{share:.0f} % ({stat.failed} из {stat.used})",
            va="center",
            fontsize=6.5,
        )
    ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def analytical_report(expertises: Iterable[Expertise]) -> bytes:
    """«Аналитическая справка по итогам экспертизы муниципальных программ» in Word.

    Over the given expertises (e.g. the 17 of 2023): the chart of criteria that fail most often,
    the table of those criteria, and the totals per programme. Reads everything in a fixed
    number of queries; ``bench/documents.py`` times it over 20 expertises (target: under 2 s).
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from opora.documents.docx_style import (
        add_page_numbers,
        add_paragraph,
        new_document,
        repeat_header,
        set_cell_text,
        set_col_widths,
        set_table_font,
        text_width_mm,
    )

    pks = [e.pk for e in expertises]
    loaded = list(
        with_everything(Expertise.objects.filter(pk__in=pks)).order_by(
            "roadmap__municipality__name", "roadmap__title", "pk"
        )
    )
    data = analytics(loaded)
    years = data.years
    period = (
        f"{years[0]} год"
        if len(years) == 1
        else (f"{years[0]}–{years[-1]} годы" if years else "период")
    )
    n = len(data.results)

    doc = new_document()
    width = text_width_mm(doc)
    add_paragraph(doc, _operator_name(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "")
    add_paragraph(doc, "АНАЛИТИЧЕСКАЯ СПРАВКА", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(
        doc,
        f"по итогам экспертизы муниципальных программ и «дорожных карт» по повышению качества "
        f"образования в ШНОР и ШНСУ за {period}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(doc, "")
    add_paragraph(doc, long_date(timezone.localdate()), align=WD_ALIGN_PARAGRAPH.LEFT)
    add_paragraph(doc, "")
    if not n:
        add_paragraph(doc, "Завершённых экспертиз за период нет.")
    else:
        failing_any = [s for s in data.criteria if s.failed]
        mean_percent = [r.percent for r in data.results if r.percent is not None]
        average = sum(mean_percent) / len(mean_percent) if mean_percent else None
        add_paragraph(
            doc,
            f"Проведено {count(n, 'экспертиза', 'экспертизы', 'экспертиз')} "
            f"{'муниципальных программ' if n != 1 else 'муниципальной программы'}. "
            f"Средний итоговый балл — {percent(average)} от максимального. "
            f"Критерий считается невыполненным, если средний балл экспертов ниже половины "
            f"максимального; хотя бы в одной программе не выполнены "
            f"{count(len(failing_any), 'критерий', 'критерия', 'критериев')}.",
        )
        if failing_any:
            top = failing_any[0]
            add_paragraph(
                doc,
                f"Чаще всего не выполняется критерий «{top.text}» — в {top.failed} из "
                f"{top.used} программ ({percent(top.share)}).",
            )
        add_paragraph(doc, "")
        add_paragraph(
            doc, "Критерии, которые не выполняются чаще всего", bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )  # fmt: skip
        doc.add_picture(io.BytesIO(failure_chart_png(data.criteria)), width=Mm(min(width, 170)))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_paragraph(
            doc,
            "Рисунок 1. Доля экспертиз, в которых критерий не выполнен",
            align=WD_ALIGN_PARAGRAPH.CENTER,
            size_pt=12,
        )
        add_paragraph(doc, "")

        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(
            table.rows[0].cells,
            ["№", "Критерий", "Не выполнен", "Доля", "Средний балл, % от макс."],
            strict=True,
        ):
            set_cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        repeat_header(table.rows[0])
        for index, stat in enumerate(data.criteria, start=1):
            cells = table.add_row().cells
            for i, (cell, text) in enumerate(
                zip(
                    cells,
                    [
                        str(index),
                        stat.text,
                        f"{stat.failed} из {stat.used}",
                        percent(stat.share),
                        percent(stat.mean_share),
                    ],
                    strict=True,
                )
            ):
                set_cell_text(cell, text, align=None if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
        set_col_widths(table, [10, width - 10 - 26 - 20 - 30, 26, 20, 30])
        set_table_font(table)

        add_paragraph(doc, "")
        add_paragraph(doc, "Итоги экспертиз", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        totals = doc.add_table(rows=1, cols=6)
        totals.style = "Table Grid"
        totals.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(
            totals.rows[0].cells,
            [
                "№",
                "Муниципалитет, программа",
                "Итоговый балл",
                "% от макс.",
                "Не выполнено критериев",
                "Согласованность экспертов",
            ],
            strict=True,
        ):
            set_cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        repeat_header(totals.rows[0])
        for index, result in enumerate(data.results, start=1):
            roadmap = result.expertise.roadmap
            cells = totals.add_row().cells
            values = [
                str(index),
                f"{roadmap.owner_label}: {roadmap.title}",
                f"{_number(result.total_mean)} из {_number(result.total_max)}",
                percent(result.percent),
                str(len(result.failing)),
                percent(result.agreement_share) if result.compared else "—",
            ]
            for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
                set_cell_text(cell, text, align=None if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
        set_col_widths(totals, [10, width - 10 - 28 - 20 - 26 - 30, 28, 20, 26, 30])
        set_table_font(totals)
    add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
