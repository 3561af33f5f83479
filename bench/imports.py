"""Importing other regions' roadmaps measured (issue 12, «Measured»): a 300-event roadmap under 1 s.

    .venv/bin/python bench/imports.py                  # 300 events, 5 runs
    .venv/bin/python bench/imports.py --events 1000 --repeat 10

The file is generated here as another region would lay it out: a title over three paragraphs
(«ПЛАН» / «мероприятий …» / «на 2022/23 учебный год»), the header «N N п.п | Вид работы |
Плановый срок | Кто отвечает», numbered section rows with numbering restarting in each section,
deadlines with weekday brackets and «в период с … по …», executor lists with «(далее – …)».
Measured: ``read_roadmap`` + the period of the title + ``parse_deadline`` and
``resolve_executors`` of every event (what the preview does before the database), p95 and the
first run of the process, for the plan as .docx and the same plan as .odt (read natively and
brought to .docx by the intake). No database is needed; the data is synthetic.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")

TARGET_SECONDS = 1.0
DEADLINES = [
    "октябрь",
    "в период с 10 по 14 ноября",
    "17 ноября (четверг)",
    "24.03.2023 (пт)",
    "ежемесячно",
    "до 1 декабря",
    "в течение учебного года",
    "март - апрель",
]
EXECUTORS = [
    "Министерство образования и науки края (далее – Министерство); ИРО",
    "Управление образования, методисты\nруководители ОО",
    "Петрова А.В.; Сидоров К.Л.",
    "кураторы, ИМЦ",
]


TITLE = ("ПЛАН", "мероприятий по повышению качества образования", "на 2022/23 учебный год")


def build(events: int) -> bytes:
    import docx

    document = docx.Document()
    for line in TITLE:
        document.add_paragraph(line)
    rows = table_rows(events)
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_odt(events: int) -> bytes:
    """The same plan saved as OpenDocument (.odt), read natively by the intake."""
    from opora.testing.odf_files import odt

    return odt([*TITLE, [list(row) for row in table_rows(events)]])


def table_rows(events: int) -> list[tuple[str, str, str, str]]:
    rows = [("N N п.п", "Вид работы", "Плановый срок", "Кто отвечает")]
    per_section = 15
    for index in range(events):
        if index % per_section == 0:
            rows.append(
                (
                    f"{index // per_section + 1}.",
                    f"Раздел работы {index // per_section + 1}",
                    "",
                    "",
                )
            )
        rows.append(
            (
                f"{index % per_section + 1}.",
                f"Мероприятие {index + 1}: семинар для педагогов по результатам ВПР",
                DEADLINES[index % len(DEADLINES)],
                EXECUTORS[index % len(EXECUTORS)],
            )
        )
    return rows


def once(data: bytes) -> tuple[float, int]:
    from opora.roadmaps.deadlines import parse_deadline
    from opora.roadmaps.executors import ROLE_ENTRIES, resolve_executors
    from opora.roadmaps.periods import parse_period
    from opora.roadmaps.table_reader import read_roadmap

    started = time.perf_counter()
    roadmap = read_roadmap(data)
    period = parse_period(roadmap.title)
    for event in roadmap.events:
        parse_deadline(event.deadline_text, period)
        resolve_executors(event.executors_text, ROLE_ENTRIES)
    return time.perf_counter() - started, len(roadmap.events)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    failed = False
    for kind, data in (("docx", build(args.events)), ("odt", build_odt(args.events))):
        first, read = once(data)
        if read != args.events:
            print(f"ОШИБКА ({kind}): прочитано {read} мероприятий из {args.events}")
            return 1
        runs, cpu = [], []
        for _ in range(args.repeat):
            started_cpu = time.process_time()
            runs.append(once(data)[0])
            cpu.append(time.process_time() - started_cpu)
        runs.sort()
        p95 = runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]
        verdict = "ok" if p95 < TARGET_SECONDS else "СЛИШКОМ МЕДЛЕННО"
        failed = failed or p95 >= TARGET_SECONDS
        print(
            f"import of a {args.events}-event roadmap (.{kind}, other region's layout): "
            f"first {first:.3f} s, median {statistics.median(runs):.3f} s, p95 {p95:.3f} s, "
            f"CPU median {statistics.median(cpu):.3f} s, target < {TARGET_SECONDS} s: {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
