"""A corpus of roadmap files laid out as other regions lay them out (wordings our own).

Each :class:`CorpusFile` builds its bytes (python-docx, openpyxl, the OpenDocument writer of
``odf_files``; .doc, .rtf and .pdf through LibreOffice when it is installed) and says what a
reader must find: the period of the title, the sections, and per event the start of its text,
the span of its deadline and how many executors it names. :func:`problems` compares a read with
that and lists, in Russian-free plain words, what came out wrong — the importer's regression net
for files it has never seen.

Example::

    for item in CORPUS:
        data = item.build()
        ...  # read_roadmap(data, item.name) and plan_roadmap_import, then problems(item, plan)
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

from opora.testing.odf_files import odt


@dataclass(frozen=True)
class Merge:
    """A cell spanning the rest of the row (a section row), bold when ``bold``."""

    text: str
    bold: bool = True


@dataclass(frozen=True)
class Bold:
    text: str


@dataclass(frozen=True)
class Ev:
    """An event as it must be read: its text begins with ``text``; ``deadline`` is the first
    and the last day of all its periods (None: not checked); ``executors`` how many."""

    text: str
    deadline: tuple[date, date] | None = None
    executors: int | None = None


@dataclass(frozen=True)
class CorpusFile:
    name: str
    build: Callable[[], bytes]
    period: tuple[date, date] | None
    sections: list[tuple[str, list[Ev]]]
    needs_libreoffice: bool = False
    #: A file that must be refused, with a word its message has.
    refused: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def events(self) -> int:
        return sum(len(events) for _, events in self.sections)


def d(text: str) -> date:
    day, month, year = (int(p) for p in text.split("."))
    return date(year, month, day)


def span(a: str, b: str) -> tuple[date, date]:
    return d(a), d(b)


# --- writers ---------------------------------------------------------------------------------


def _set_bold(cell, bold: bool) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.bold = bold


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    properties.append(mark)


def _fill_docx_table(table, rows, header_rows: int) -> None:
    width = len(table.columns)
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if isinstance(values, Merge):
            merged = cells[0].merge(cells[width - 1])
            merged.text = values.text
            _set_bold(merged, values.bold)
            continue
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, Bold):
                cells[c].text = value.text
                _set_bold(cells[c], True)
            else:
                cells[c].text = value
        if r < header_rows:
            _repeat_header(table.rows[r])


def word(
    before: list[str],
    rows: list,
    after: list[str] = (),
    *,
    header_rows: int = 1,
    landscape: bool = False,
    merges: list[tuple[int, int, int, int]] = (),
    nested: tuple[int, int, list[list[str]]] | None = None,
) -> bytes:
    """A Word document: paragraphs, one table (``None`` leaves a cell for a merge), paragraphs.

    ``merges`` are rectangles (row, column, to row, to column) merged after filling;
    ``nested`` puts a small table inside cell (row, column).
    """
    document = docx.Document()
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for text in before:
        document.add_paragraph(text)
    width = max(len(row) for row in rows if not isinstance(row, Merge))
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    _fill_docx_table(table, rows, header_rows)
    for r1, c1, r2, c2 in merges:
        keep = table.cell(r1, c1).text
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        merged.text = keep
    if nested:
        r, c, inner = nested
        cell = table.cell(r, c)
        small = cell.add_table(rows=len(inner), cols=len(inner[0]))
        for i, values in enumerate(inner):
            for j, value in enumerate(values):
                small.cell(i, j).text = value
    for text in after:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook(rows: list, merges: list[str] = ()) -> bytes:
    """An Excel sheet; a :class:`Merge` row is merged over the width of the widest row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Дорожная карта"
    width = max(len(row) for row in rows if isinstance(row, (list, tuple)))
    for r, values in enumerate(rows, start=1):
        if isinstance(values, Merge):
            sheet.cell(r, 1, values.text)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            continue
        for c, value in enumerate(values, start=1):
            if value:
                sheet.cell(r, c, value.text if isinstance(value, Bold) else value)
    for rectangle in merges:
        sheet.merge_cells(rectangle)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converted(data: bytes, target: str) -> bytes:
    """A .docx saved by LibreOffice as ``target`` (doc, rtf, pdf)."""
    program = libreoffice()
    if program is None:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="opora-corpus-") as folder:
        source = Path(folder) / "plan.docx"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 — a fixed program
            [
                program,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(folder) / f"plan.{target}").read_bytes()


def scanned_pdf() -> bytes:
    """A one-page PDF with a drawn rectangle and no text: what a scanner gives."""
    stream = b"0 0 0 rg 50 50 200 100 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


# --- the files -------------------------------------------------------------------------------

MINISTRY = "Министерство образования и науки края (далее – Министерство)"
INSTITUTE = "краевой институт развития образования (далее – ИРО)"

GIA_TITLE = [
    "УТВЕРЖДЁН",
    "приказом Министерства образования и науки края",
    "от 12.08.2024 № 1043",
    "ПЛАН МЕРОПРИЯТИЙ («ДОРОЖНАЯ КАРТА»)",
    "по организации и проведению государственной итоговой аттестации",
    "по образовательным программам основного общего и среднего общего образования",
    "в 2024-2025 учебном году",
]
GIA_HEADER = [
    "№ п/п",
    "Наименование мероприятия",
    "Срок исполнения",
    "Ответственные исполнители",
    "Ожидаемый результат",
]


def _gia_rows() -> list:
    return [
        GIA_HEADER,
        Merge("1. Анализ результатов ГИА-2024"),
        [
            "1.1.",
            "Подготовка аналитических материалов по итогам ГИА-2024",
            "август 2024 г.",
            f"{MINISTRY}; {INSTITUTE}",
            "Аналитический отчёт",
        ],
        [
            "1.2.",
            "Обсуждение результатов на августовском совещании педагогов",
            "в период с 20 по 28 августа 2024 г.",
            "Министерство,\nИРО",
            "Решения совещания",
        ],
        Merge("2. Меры по повышению качества преподавания"),
        [
            "2.1.",
            "Проведение консультаций для выпускников по предметам",
            "ежемесячно",
            "органы местного самоуправления, осуществляющие управление в сфере образования",
            "График консультаций",
        ],
        [
            "2.2.",
            "Сбор сведений об участниках ГИА",
            "до 25 числа каждого месяца",
            "ИРО",
            "Сведения",
        ],
        [
            "2.3.",
            "Проведение тренировочного экзамена по математике",
            "I квартал 2025 года",
            "Министерство, ИРО, руководители ОО",
            "Протокол",
        ],
    ]


def gia_docx() -> bytes:
    return word(
        GIA_TITLE,
        _gia_rows(),
        ["", "Заместитель министра                                 А.В. Соколова"],
        landscape=True,
    )


GIA_EXPECTED = [
    (
        "Анализ результатов ГИА-2024",
        [
            Ev("Подготовка аналитических", span("01.08.2024", "31.08.2024"), 2),
            Ev("Обсуждение результатов", span("20.08.2024", "28.08.2024"), 2),
        ],
    ),
    (
        "Меры по повышению качества",
        [
            Ev("Проведение консультаций", None, 1),
            Ev("Сбор сведений", None, 1),
            Ev("Проведение тренировочного", span("01.01.2025", "31.03.2025"), 3),
        ],
    ),
]
SCHOOL_YEAR_24 = span("01.09.2024", "31.08.2025")


def roman_sections() -> bytes:
    rows = [
        ["№", "Направления деятельности", "Сроки реализации", "Кто отвечает", "Примечание"],
        ["I.", Bold("Организационно-управленческие мероприятия"), "", "", ""],
        ["1.", "Создание рабочей группы по повышению качества образования", "январь 2025", "Управление образования", ""],
        ["2.", "Утверждение плана работы с ШНОР", "февраль 2025", "Управление образования", "по согласованию"],
        ["II.", Bold("Работа с педагогическими кадрами"), "", "", ""],
        ["1.", "Курсы повышения квалификации учителей русского языка", "март - апрель 2025", "ИМЦ, руководители ОО", ""],
        ["2.", "Методический семинар «Формирующее оценивание»", "май 2025", "ИМЦ", ""],
        ["III.", Bold("Работа с обучающимися"), "", "", ""],
        ["1.", "Дополнительные занятия по математике", "в течение года", "учителя-предметники", ""],
    ]  # fmt: skip
    return word(["Дорожная карта по повышению качества образования на 2025 год"], rows)


ROMAN_EXPECTED = [
    (
        "Организационно-управленческие",
        [
            Ev("Создание рабочей группы", span("01.01.2025", "31.01.2025"), 1),
            Ev("Утверждение плана", span("01.02.2025", "28.02.2025"), 1),
        ],
    ),
    (
        "Работа с педагогическими",
        [
            Ev("Курсы повышения", span("01.03.2025", "30.04.2025"), 2),
            Ev("Методический семинар", span("01.05.2025", "31.05.2025"), 1),
        ],
    ),
    ("Работа с обучающимися", [Ev("Дополнительные занятия", span("01.01.2025", "31.12.2025"), 1)]),
]


def school_months() -> bytes:
    rows = [
        ["№", "Содержание работы", "Сроки", "Ответственные"],
        ["1", "Входная диагностика обучающихся 5-х классов", "сентябрь", "Иванова Н.П., заместитель директора по УВР"],
        ["2", "Заседание методического совета", "октябрь", "Петров А.С.; руководители ШМО"],
        ["3", "Пробные экзамены в 9-х классах", "январь", "Н.П. Иванова"],
        ["4", "Анализ результатов ВПР", "май", "заместитель директора по УВР Иванова Н.П.\nпедагог-психолог Сидорова Е.В."],
    ]  # fmt: skip
    return word(
        [
            "План работы",
            "МБОУ «СОШ № 5» по повышению качества образования",
            "на 2022/23 учебный год",
        ],
        rows,
    )


MONTHS_EXPECTED = [
    (
        "",
        [
            Ev("Входная диагностика", span("01.09.2022", "30.09.2022"), 1),
            Ev("Заседание методического", span("01.10.2022", "31.10.2022"), 2),
            Ev("Пробные экзамены", span("01.01.2023", "31.01.2023"), 1),
            Ev("Анализ результатов ВПР", span("01.05.2023", "31.05.2023"), 2),
        ],
    )
]


def two_row_header() -> bytes:
    rows = [
        ["№ п/п", "Наименование мероприятия", "Исполнение", None, "Показатели"],
        [None, None, "срок", "ответственные", None],
        ["1.", "Семинар для заместителей директоров", "февраль 2024", "ММС", "Проведён семинар"],
        ["2.", "Мониторинг посещаемости занятий", "ежеквартально", "МОУО", "Справка"],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)]
    return word(["Дорожная карта муниципалитета на 2024 год"], rows, header_rows=2, merges=merges)


TWO_ROW_EXPECTED = [
    (
        "",
        [
            Ev("Семинар для заместителей", span("01.02.2024", "29.02.2024"), 1),
            Ev("Мониторинг посещаемости", span("01.01.2024", "31.12.2024"), 1),
        ],
    )
]


def odd_order() -> bytes:
    rows = [
        ["№", "Ответственный исполнитель", "Мероприятия", "Сроки выполнения"],
        ["1", "Отдел образования", "Совещание руководителей по итогам полугодия", "январь 2026"],
        ["2", "Кураторы ШНОР", "Выезды кураторов в школы", "февраль - март 2026"],
        ["3", "Отдел образования, ИМЦ", "Итоговая конференция", "июнь 2026"],
    ]
    return word(["План мероприятий на 2026 год"], rows)


ODD_ORDER_EXPECTED = [
    (
        "",
        [
            Ev("Совещание руководителей", span("01.01.2026", "31.01.2026"), 1),
            Ev("Выезды кураторов", span("01.02.2026", "31.03.2026"), 1),
            Ev("Итоговая конференция", span("01.06.2026", "30.06.2026"), 2),
        ],
    )
]


def repeated_header() -> bytes:
    header = ["№ п/п", "Мероприятие", "Срок", "Ответственный", "Результат"]
    numbering = ["1", "2", "3", "4", "5"]
    rows = [
        header,
        numbering,
        ["1.", "Разработка программы перехода школы в эффективный режим", "до 1 марта 2025 г.", "Директор школы", "Программа"],
        ["2.", "Самодиагностика школы", "март 2025 г.", "Управленческая команда", "Отчёт"],
        header,
        numbering,
        ["3.", "Корректировка программы", "апрель 2025 г.", "Директор школы", "Программа"],
        [""] * 5,
        ["4.", "Отчёт о реализации программы", "декабрь 2025 г.", "Директор школы", "Отчёт"],
    ]  # fmt: skip
    return word(["План на 2025 год"], rows)


REPEATED_EXPECTED = [
    (
        "",
        [
            Ev("Разработка программы", None, 1),
            Ev("Самодиагностика", span("01.03.2025", "31.03.2025"), 1),
            Ev("Корректировка", span("01.04.2025", "30.04.2025"), 1),
            Ev("Отчёт о реализации", span("01.12.2025", "31.12.2025"), 1),
        ],
    )
]


def restarting_bold() -> bytes:
    rows = [
        ["№", "Мероприятие", "Срок проведения", "Ответственные"],
        Merge("Работа с руководителями"),
        ["1", "Стажировка директоров на базе школ-лидеров", "октябрь 2023 года", "ИРО"],
        ["2", "Консультации по управлению качеством", "ноябрь 2023 года", "ИРО"],
        Merge("Работа с учителями"),
        ["1", "Диагностика профессиональных дефицитов", "сентябрь - октябрь 2023 года", "ЦНППМ"],
        ["2", "Индивидуальные образовательные маршруты", "ноябрь 2023 года", "ЦНППМ, кураторы"],
    ]
    return word(["Региональный план на 2023 год"], rows)


RESTART_EXPECTED = [
    (
        "Работа с руководителями",
        [
            Ev("Стажировка директоров", span("01.10.2023", "31.10.2023"), 1),
            Ev("Консультации", span("01.11.2023", "30.11.2023"), 1),
        ],
    ),
    (
        "Работа с учителями",
        [
            Ev("Диагностика", span("01.09.2023", "31.10.2023"), 1),
            Ev("Индивидуальные", span("01.11.2023", "30.11.2023"), 2),
        ],
    ),
]


def weekdays() -> bytes:
    rows = [
        ["№ п/п", "Мероприятие", "Дата проведения", "Ответственные", "Форма отчётности"],
        ["1", "Вебинар для учителей физики", "13.02.2025 (четверг)", "ИРО", "Запись вебинара"],
        ["2", "Родительское собрание", "21 марта 2025 г. (пт)", "МОУО", "Протокол"],
        ["3", "Пробное сочинение", "в период с 10 по 14 ноября 2024 г.", "МОУО", "Результаты"],
        [
            "4",
            "Сопровождение выпускников",
            "в течение 2024-2025 учебного года",
            "Классные руководители",
            "-",
        ],
    ]
    return word(["Дорожная карта", "на 2024-2025 учебный год"], rows)


WEEKDAY_EXPECTED = [
    (
        "",
        [
            Ev("Вебинар", span("13.02.2025", "13.02.2025"), 1),
            Ev("Родительское", span("21.03.2025", "21.03.2025"), 1),
            Ev("Пробное сочинение", span("10.11.2024", "14.11.2024"), 1),
            Ev("Сопровождение", span("01.09.2024", "31.08.2025"), 1),
        ],
    )
]


def excel_gia() -> bytes:
    rows = [
        ["План мероприятий («дорожная карта») по подготовке к ГИА"],
        ["на 2024/25 учебный год"],
        [],
        ["№ п/п", "Мероприятия", "Сроки реализации", "Ответственные исполнители", "Форма отчётности"],
        Merge("1. Организационные мероприятия"),
        ["1.1", "Формирование базы данных участников ГИА", "до 1 февраля 2025 г.", "МОУО, ОО", "База данных"],
        [],
        ["1.2", "Информирование участников о порядке ГИА", "ежемесячно", "ОО", "Информация на сайте"],
        Merge("2. Методическое сопровождение"),
        ["2.1", "Совещания с учителями-предметниками", "ноябрь 2024 г., март 2025 г.", "ММС", "Протоколы"],
    ]  # fmt: skip
    return workbook(rows, ["A1:E1", "A2:E2"])


EXCEL_GIA_EXPECTED = [
    (
        "Организационные мероприятия",
        [
            Ev("Формирование базы", None, 2),
            Ev("Информирование", None, 1),
        ],
    ),
    (
        "Методическое сопровождение",
        [Ev("Совещания с учителями", span("01.11.2024", "31.03.2025"), 1)],
    ),
]


def excel_own_number() -> bytes:
    rows = [
        ["Дорожная карта по повышению качества образования в муниципалитете на 2025 год"],
        ["№", "Вид работы", "Плановый срок", "Ответственные", "Примечание"],
        ["1.", "Работа с руководителями", "", "", ""],
        ["1.1.", "Собеседования с директорами ШНОР", "март 2025", "Управление образования", ""],
        ["1.2.", "Обучение управленческих команд", "апрель 2025", "ИМЦ", "*"],
        ["2.", "Работа с обучающимися", "", "", ""],
        ["2.1.", "Олимпиадная подготовка", "октябрь - декабрь 2025", "ОО", ""],
        ["* по согласованию с ИРО"],
    ]
    return workbook(rows)


OWN_NUMBER_EXPECTED = [
    (
        "Работа с руководителями",
        [
            Ev("Собеседования", span("01.03.2025", "31.03.2025"), 1),
            Ev("Обучение управленческих", span("01.04.2025", "30.04.2025"), 1),
        ],
    ),
    ("Работа с обучающимися", [Ev("Олимпиадная", span("01.10.2025", "31.12.2025"), 1)]),
]


def opendocument() -> bytes:
    return odt(
        [
            "План мероприятий («дорожная карта»)",
            "по поддержке школ с низкими образовательными результатами на 2024 год",
            [
                ["№ п/п", "Направление деятельности", "Плановый срок", "Исполнители"],
                [("Раздел 1. Диагностика", 4), None, None, None],
                ["1.", "Анализ результатов оценочных процедур", "февраль 2024 года", "ЦОКО\nМОУО"],
                ["2.", "Выявление факторов риска", "март 2024 года", "ЦОКО"],
                [("Раздел 2. Поддержка", 4), None, None, None],
                [
                    "3.",
                    "Закрепление кураторов за школами",
                    "апрель 2024 года",
                    "Министерство; ИРО; МОУО",
                ],
            ],
        ]
    )


ODT_EXPECTED = [
    (
        "Диагностика",
        [
            Ev("Анализ результатов оценочных", span("01.02.2024", "29.02.2024"), 2),
            Ev("Выявление факторов", span("01.03.2024", "31.03.2024"), 1),
        ],
    ),
    ("Поддержка", [Ev("Закрепление кураторов", span("01.04.2024", "30.04.2024"), 3)]),
]


def nested_and_footnotes() -> bytes:
    rows = [
        ["№", "Мероприятия", "Срок выполнения (дата)", "Ответственный (Ф.И.О., должность)", "Отметка о выполнении"],
        ["1.", "Проведение педагогических советов по темам:", "в течение года", "Смирнова О.Л., директор", ""],
        ["2.", "Участие в конкурсах профессионального мастерства¹", "по графику МОУО", "Кузнецов П.Р., заместитель директора", ""],
        ["3.", "Открытые уроки учителей начальных классов", "декабрь 2024 г. – февраль 2025 г.", "руководитель ШМО Егорова Т.В.", ""],
    ]  # fmt: skip
    inner = [["Тема", "Месяц"], ["Функциональная грамотность", "ноябрь"], ["Итоги года", "май"]]
    return word(
        [
            "Приложение 2",
            "к приказу МБОУ «Гимназия № 2» от 30.08.2024 № 211",
            "ПЛАН",
            "методической работы на 2024-2025 учебный год",
        ],
        rows,
        [
            "¹ По мере объявления конкурсов.",
            "Директор                               О.Л. Смирнова",
        ],
        landscape=True,
        nested=(1, 1, inner),
    )


NESTED_EXPECTED = [
    (
        "",
        [
            Ev("Проведение педагогических советов", None, 1),
            Ev("Участие в конкурсах", None, 1),
            Ev("Открытые уроки", span("01.12.2024", "28.02.2025"), 1),
        ],
    )
]


def short_lists() -> bytes:
    rows = [
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1", "Совещание при начальнике управления", "I квартал 2024 г.", "начальник управления образования Петрова Л.М."],
        ["2", "Анкетирование родителей", "II полугодие 2024 г.", "школы, ИМЦ,\nкураторы"],
        ["3", "Подведение итогов года", "декабрь 2024 г.", "Управление образования; ИМЦ"],
    ]  # fmt: skip
    return word(["Дорожная карта", "на 2024 год"], rows)


SHORT_EXPECTED = [
    (
        "",
        [
            Ev("Совещание при начальнике", span("01.01.2024", "31.03.2024"), 1),
            Ev("Анкетирование родителей", span("01.07.2024", "31.12.2024"), 3),
            Ev("Подведение итогов", span("01.12.2024", "31.12.2024"), 2),
        ],
    )
]


def plain_pdf_source() -> bytes:
    rows = [
        ["№ п/п", "Мероприятие", "Срок исполнения", "Ответственные"],
        ["1.", "Совещание с руководителями школ", "март 2025", "Отдел образования"],
        ["2.", "Семинар для учителей", "апрель 2025", "ИМЦ"],
        ["3.", "Итоговый мониторинг", "май 2025", "Отдел образования, ИМЦ"],
    ]
    return word(["План работы со школами на 2025 год"], rows)


PLAIN_EXPECTED = [
    (
        "",
        [
            Ev("Совещание с руководителями", span("01.03.2025", "31.03.2025"), 1),
            Ev("Семинар для учителей", span("01.04.2025", "30.04.2025"), 1),
            Ev("Итоговый мониторинг", span("01.05.2025", "31.05.2025"), 2),
        ],
    )
]


CORPUS: list[CorpusFile] = [
    CorpusFile("краевой_гиа.docx", gia_docx, SCHOOL_YEAR_24, GIA_EXPECTED),
    CorpusFile("римские_разделы.docx", roman_sections, span("01.01.2025", "31.12.2025"), ROMAN_EXPECTED),
    CorpusFile("школа_по_месяцам.docx", school_months, span("01.09.2022", "31.08.2023"), MONTHS_EXPECTED),
    CorpusFile("две_строки_шапки.docx", two_row_header, span("01.01.2024", "31.12.2024"), TWO_ROW_EXPECTED),
    CorpusFile("другой_порядок.docx", odd_order, span("01.01.2026", "31.12.2026"), ODD_ORDER_EXPECTED),
    CorpusFile("шапка_на_каждой_странице.docx", repeated_header, span("01.01.2025", "31.12.2025"), REPEATED_EXPECTED),
    CorpusFile("нумерация_заново.docx", restarting_bold, span("01.01.2023", "31.12.2023"), RESTART_EXPECTED),
    CorpusFile("дни_недели.docx", weekdays, SCHOOL_YEAR_24, WEEKDAY_EXPECTED),
    CorpusFile("гиа.xlsx", excel_gia, SCHOOL_YEAR_24, EXCEL_GIA_EXPECTED),
    CorpusFile("номер_разделом.xlsx", excel_own_number, span("01.01.2025", "31.12.2025"), OWN_NUMBER_EXPECTED),
    CorpusFile("план.odt", opendocument, span("01.01.2024", "31.12.2024"), ODT_EXPECTED),
    CorpusFile("вложенная_таблица.docx", nested_and_footnotes, SCHOOL_YEAR_24, NESTED_EXPECTED),
    CorpusFile("списки_исполнителей.docx", short_lists, span("01.01.2024", "31.12.2024"), SHORT_EXPECTED),
    CorpusFile("краевой_гиа.doc", lambda: converted(gia_docx(), "doc"), SCHOOL_YEAR_24, GIA_EXPECTED, True),
    CorpusFile("римские_разделы.rtf", lambda: converted(roman_sections(), "rtf"), span("01.01.2025", "31.12.2025"), ROMAN_EXPECTED, True),
    CorpusFile("план.pdf", lambda: converted(plain_pdf_source(), "pdf"), span("01.01.2025", "31.12.2025"), PLAIN_EXPECTED, True),
    CorpusFile("по_месяцам.pdf", lambda: converted(school_months(), "pdf"), span("01.09.2022", "31.08.2023"), MONTHS_EXPECTED, True),
    CorpusFile("скан.pdf", scanned_pdf, None, [], refused="текстового слоя"),
]  # fmt: skip


def problems(item: CorpusFile, plan) -> list[str]:
    """What the plan (a ``RoadmapImportPlan``) got wrong against the file's expectations."""
    found: list[str] = []
    if item.period and tuple(plan.period) != item.period:
        found.append(f"period {plan.period} != {item.period}")
    if len(plan.sections) != len(item.sections) and any(title for title, _ in item.sections):
        found.append(f"sections {[s.title for s in plan.sections]}")
    events = plan.events
    expected = [e for _, evs in item.sections for e in evs]
    if len(events) != len(expected):
        found.append(f"events {len(events)} != {len(expected)}: {[e.text[:30] for e in events]}")
    for title, _ in item.sections:
        if title and not any(title in s.title for s in plan.sections):
            found.append(f"no section «{title}»")
    for got, want in zip(events, expected, strict=False):
        if not got.text.startswith(want.text):
            found.append(f"event «{got.text[:40]}» != «{want.text}»")
            continue
        if want.deadline:
            periods = got.deadline["periods"]
            if not periods:
                found.append(f"«{want.text}»: deadline «{got.deadline_text}» not understood")
            else:
                bounds = (
                    date.fromisoformat(min(p["start"] for p in periods)),
                    date.fromisoformat(max(p["end"] for p in periods)),
                )
                if bounds != want.deadline:
                    found.append(f"«{want.text}»: deadline «{got.deadline_text}» → {bounds}")
        elif not got.deadline["understood"]:
            found.append(f"«{want.text}»: deadline «{got.deadline_text}» not understood")
        if want.executors is not None and len(got.executors) != want.executors:
            written = [x.written for x in got.executors]
            found.append(f"«{want.text}»: executors {written} ({want.executors} expected)")
    return found


# --- the second round: layouts the first round did not try -----------------------------------


def start_and_end_columns() -> bytes:
    rows = [
        ["№ п/п", "Наименование мероприятия", "Сроки", None, "Ответственный"],
        [None, None, "начало", "окончание", None],
        ["1", "Разработка муниципальной программы", "январь 2025", "март 2025", "МОУО"],
        ["2", "Реализация программы наставничества", "апрель 2025", "декабрь 2025", "ОО"],
    ]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)]
    return word(["План мероприятий на 2025 год"], rows, header_rows=2, merges=merges)


START_END_EXPECTED = [
    (
        "",
        [
            Ev("Разработка муниципальной", span("01.01.2025", "31.03.2025"), 1),
            Ev("Реализация программы", span("01.04.2025", "31.12.2025"), 1),
        ],
    )
]


def abbreviated_header() -> bytes:
    rows = [
        ["N", "Наим. мероприятия", "Срок исп.", "Отв. исп.", "Участники"],
        [
            "1",
            "Круглый стол «Качество образования»",
            "15.04.2025",
            "ИМЦ",
            "руководители ОО, учителя",
        ],
        ["2", "Конкурс методических разработок", "май-июнь 2025", "ИМЦ", "педагоги"],
    ]
    return word(["Дорожная карта на 2025 год"], rows)


ABBREVIATED_EXPECTED = [
    (
        "",
        [
            Ev("Круглый стол", span("15.04.2025", "15.04.2025"), 1),
            Ev("Конкурс методических", span("01.05.2025", "30.06.2025"), 1),
        ],
    )
]


def own_number_merged_text() -> bytes:
    rows = [
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1.", "Информационное сопровождение", None, None],
        ["1.1.", "Публикации на сайте МОУО", "ежеквартально", "МОУО"],
        ["1.2.", "Родительские собрания по вопросам ГИА", "октябрь 2024, февраль 2025", "ОО"],
        ["2.", "Контроль", None, None],
        ["2.1.", "Посещение уроков", "в течение учебного года", "МОУО, ИМЦ"],
    ]
    merges = [(1, 1, 1, 3), (4, 1, 4, 3)]
    return word(["Дорожная карта", "на 2024/2025 учебный год"], rows, merges=merges)


OWN_MERGED_EXPECTED = [
    (
        "Информационное сопровождение",
        [
            Ev("Публикации", None, 1),
            Ev("Родительские собрания", span("01.10.2024", "28.02.2025"), 1),
        ],
    ),
    ("Контроль", [Ev("Посещение уроков", span("01.09.2024", "31.08.2025"), 2)]),
]


def bold_unmerged_sections() -> bytes:
    rows = [
        ["Мероприятие", "Когда", "Кто проводит", "Ожидаемый результат"],
        [Bold("Диагностика"), "", "", ""],
        [
            "Анкетирование учителей",
            "сентябрь - октябрь",
            "заместитель директора Орлова И.К.",
            "Справка",
        ],
        ["Анализ входных контрольных работ", "октябрь", "руководители ШМО", "Справка"],
        [Bold("Методическая работа"), "", "", ""],
        ["Взаимопосещение уроков", "ноябрь - апрель", "учителя", "Листы наблюдений"],
        ["", "", "", ""],
        ["Неделя математики", "март", "Орлова И.К.", "Отчёт"],
    ]
    return word(["План", "мероприятий школы на 2023-2024 учебный год"], rows)


BOLD_UNMERGED_EXPECTED = [
    (
        "Диагностика",
        [
            Ev("Анкетирование", span("01.09.2023", "31.10.2023"), 1),
            Ev("Анализ входных", span("01.10.2023", "31.10.2023"), 1),
        ],
    ),
    (
        "Методическая работа",
        [
            Ev("Взаимопосещение", span("01.11.2023", "30.04.2024"), 1),
            Ev("Неделя математики", span("01.03.2024", "31.03.2024"), 1),
        ],
    ),
]


def many_years() -> bytes:
    rows = [
        ["№ п/п", "Содержание мероприятия", "Период реализации", "Исполнители", "Показатели"],
        ["1.", "Обновление материально-технической базы", "2025-2026 гг.", "МОУО", "Доля школ"],
        ["2.", "Повышение квалификации директоров", "2025 г.", "ИРО", "Число директоров"],
        ["3.", "Итоговая оценка эффективности", "IV квартал 2027 г.", "Министерство", "Отчёт"],
    ]
    return word(
        [
            "Комплекс мер",
            "по повышению качества общего образования",
            "на 2025–2027 годы",
        ],
        rows,
    )


MANY_YEARS_EXPECTED = [
    (
        "",
        [
            Ev("Обновление", span("01.01.2025", "31.12.2026"), 1),
            Ev("Повышение квалификации", span("01.01.2025", "31.12.2025"), 1),
            Ev("Итоговая оценка", span("01.10.2027", "31.12.2027"), 1),
        ],
    )
]


def section_word_in_first_cell() -> bytes:
    rows = [
        ["№ п/п", "Мероприятия", "Ответственные исполнители", "Сроки исполнения"],
        Merge("Раздел I. Нормативное обеспечение", bold=False),
        ["1", "Приказ о закреплении кураторов", "Комитет по образованию", "до 15 сентября 2024 г."],
        Merge("Раздел II. Кадровое обеспечение", bold=False),
        ["1", "Стажировки на базе ресурсных центров", "Комитет по образованию; ресурсные центры", "по отдельному графику"],
    ]  # fmt: skip
    return word(["Дорожная карта на 2024-2025 учебный год"], rows)


SECTION_WORD_EXPECTED = [
    ("Нормативное обеспечение", [Ev("Приказ о закреплении", None, 1)]),
    ("Кадровое обеспечение", [Ev("Стажировки", None, 2)]),
]


EXTRA: list[CorpusFile] = [
    CorpusFile("начало_окончание.docx", start_and_end_columns, span("01.01.2025", "31.12.2025"), START_END_EXPECTED),
    CorpusFile("сокращения_в_шапке.docx", abbreviated_header, span("01.01.2025", "31.12.2025"), ABBREVIATED_EXPECTED),
    CorpusFile("номер_и_объединённый_текст.docx", own_number_merged_text, SCHOOL_YEAR_24, OWN_MERGED_EXPECTED),
    CorpusFile("жирные_разделы.docx", bold_unmerged_sections, span("01.09.2023", "31.08.2024"), BOLD_UNMERGED_EXPECTED),
    CorpusFile("три_года.docx", many_years, span("01.01.2025", "31.12.2027"), MANY_YEARS_EXPECTED),
    CorpusFile("слово_раздел.docx", section_word_in_first_cell, SCHOOL_YEAR_24, SECTION_WORD_EXPECTED),
]  # fmt: skip
