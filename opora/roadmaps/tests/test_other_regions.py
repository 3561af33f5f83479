"""Roadmaps laid out as other regions lay them out: header wordings, section rows, mappings.

Every file is generated here (python-docx, openpyxl) with wordings of our own; the rules under
test are general ones (header by meaning, numbered section rows, restarting numbering).
"""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from opora.core.russian.headers import COLUMN_KEYS, column_of
from opora.roadmaps.deadlines import parse_deadline
from opora.roadmaps.executors import ROLE_ENTRIES, resolve_executors
from opora.roadmaps.periods import parse_period
from opora.roadmaps.table_reader import ColumnsNeeded, parse_columns, read_roadmap


def _docx(rows, *, bold_rows=(), title=("План мероприятий", "на 2022/23 учебный год")) -> bytes:
    document = docx.Document()
    for line in title:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            if r in bold_rows:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADERS = [
    ("№", "Направления деятельности", "Плановый срок", "Кто отвечает"),
    ("N N п.п", "Вид работы", "Дата проведения", "Исполнители"),
    ("№ п/п", "Содержание работы", "Когда", "Ответственное лицо"),
    ("Номер", "Направление деятельности", "Период исполнения", "Ответственный исполнитель"),
]


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_header_wordings_of_other_regions(header, fmt):
    rows = [
        header,
        ("1.", "Совещание с руководителями школ", "сентябрь", "Управление образования"),
        ("2.", "Диагностика профессиональных дефицитов", "октябрь (четверг)", "Методисты ИМЦ"),
    ]
    data = _docx(rows) if fmt == "docx" else _xlsx(rows)
    roadmap = read_roadmap(data)
    assert roadmap.columns == ["number", "text", "deadline", "executors"]
    assert [event.number for event in roadmap.events] == ["1.", "2."]
    assert roadmap.events[1].executors_text == "Методисты ИМЦ"
    assert roadmap.events[1].deadline_text == "октябрь (четверг)"


@pytest.mark.parametrize(
    ("wording", "key"),
    [
        ("Срок выполнения", "deadline"),
        ("Сроки реализации", "deadline"),
        ("Ответственные за исполнение", "executors"),
        ("Ожидаемый результат", "evidence"),
        ("Форма отчётности", "evidence"),
        ("Целевой показатель", "indicator"),
        ("Наименование мероприятия", "text"),
        ("№№", "number"),
        ("Примечание", None),
    ],
)
def test_column_of(wording, key):
    assert column_of(wording) == key


_WORDINGS = {
    "deadline": ["Срок", "Сроки", "Плановый срок", "Дата", "Период", "Когда"],
    "executors": ["Ответственный", "Ответственные", "Исполнитель", "Кто отвечает"],
    "text": ["Мероприятие", "Направление деятельности", "Вид работы", "Содержание"],
}


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    key=st.sampled_from(sorted(_WORDINGS)),
    index=st.integers(0, 5),
    case=st.sampled_from([str, str.upper, str.lower, str.capitalize]),
    tail=st.sampled_from(["", ":", " *", "  "]),
)
def test_header_matcher_ignores_case_and_punctuation(key, index, case, tail):
    wording = _WORDINGS[key][index % len(_WORDINGS[key])]
    assert column_of(case(wording) + tail) == key


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789.,;:!?-() ", max_size=30))
def test_header_matcher_never_names_punctuation(text):
    assert column_of(text) in (None, "number")
    assert column_of("") is None


def test_numbered_section_rows_with_restarting_numbers():
    rows = [
        ("№", "Мероприятие", "Срок", "Ответственные"),
        ("1.", "Организационное обеспечение", "", ""),
        ("1.", "Приказ о рабочей группе", "сентябрь", "Директор"),
        ("2.", "План работы группы", "октябрь", "Заместитель директора"),
        ("2.", "Работа с педагогами", "", ""),
        ("1.", "Курсы повышения квалификации", "ноябрь", "Методист"),
        ("II", "Работа с родителями", "", ""),
        ("1.", "Родительское собрание", "декабрь", "Классные руководители"),
    ]
    roadmap = read_roadmap(_docx(rows))
    assert [section.title for section in roadmap.sections] == [
        "1. Организационное обеспечение",
        "2. Работа с педагогами",
        "II Работа с родителями",
    ]
    assert [len(section.events) for section in roadmap.sections] == [2, 1, 1]
    assert not [w for event in roadmap.events for w in event.warnings if "нумерац" in w]
    assert not [w for event in roadmap.events for w in event.warnings if "повторяется" in w]


def test_bold_numbered_section_row_before_events():
    rows = [
        ("№", "Вид работы", "Плановый срок", "Кто отвечает"),
        ("1", "Информационная поддержка", "", ""),
        ("2", "Новости на сайте школы", "ежемесячно", "Администратор сайта"),
    ]
    roadmap = read_roadmap(_docx(rows, bold_rows=(1,)))
    assert roadmap.sections[0].title == "1 Информационная поддержка"
    assert [event.text for event in roadmap.events] == ["Новости на сайте школы"]


def test_event_without_deadline_is_not_taken_for_a_section():
    rows = [
        ("№", "Мероприятие", "Срок", "Ответственные"),
        ("1.", "Совещание", "май", "Отдел"),
        ("2.", "Анализ результатов ВПР", "", ""),
        ("3.", "Семинар", "июнь", "ИМЦ"),
    ]
    roadmap = read_roadmap(_docx(rows))
    assert [event.number for event in roadmap.events] == ["1.", "2.", "3."]


UNKNOWN = [
    ("Пункт", "Что сделать", "К какому числу", "Чья задача"),
    ("1", "Провести педсовет", "до 15 сентября", "Директор"),
    ("2", "Составить график", "до 1 октября", "Завуч"),
]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_ambiguous_table_asks_for_a_mapping_instead_of_refusing(fmt):
    rows = [("Пункт", "Задание", "К какому числу", "Чья задача"), *UNKNOWN[1:]]
    data = _docx(rows) if fmt == "docx" else _xlsx(rows)
    with pytest.raises(ColumnsNeeded) as error:
        read_roadmap(data)
    assert "какая — сроки" in str(error.value)
    assert error.value.headers == list(rows[0])
    roadmap = read_roadmap(data, columns=parse_columns("number,text,deadline,executors"))
    assert [event.deadline_text for event in roadmap.events] == ["до 15 сентября", "до 1 октября"]
    assert roadmap.events[0].executors_text == "Директор"


def test_mapping_by_header_wording():
    rows = [("Пункт", "Задание", "К какому числу", "Чья задача"), *UNKNOWN[1:]]
    columns = parse_columns("Задание=text; К какому числу=deadline; Чья задача=executors")
    roadmap = read_roadmap(_docx(rows), columns=columns)
    assert roadmap.columns == ["text", "deadline", "executors"]
    assert roadmap.events[1].text == "Составить график"


def test_parse_columns_refuses_unknown_keys():
    with pytest.raises(ValueError, match="Неизвестная колонка"):
        parse_columns("number,мероприятие")
    assert parse_columns("_,text,deadline") == {"2": "text", "3": "deadline"}
    assert set(parse_columns("text,deadline").values()) <= set(COLUMN_KEYS)


@pytest.mark.django_db
def test_command_line_columns(tmp_path):
    rows = [("Пункт", "Задание", "К какому числу", "Чья задача"), *UNKNOWN[1:]]
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx(rows))
    with pytest.raises(CommandError, match="--columns"):
        call_command("import-roadmap", str(path), "--level", "region", "--owner", "x")
    out = io.StringIO()
    call_command(
        "import-roadmap", str(path), "--level", "region", "--owner", "x", "--period", "2023",
        "--dry-run", "--columns", "number,text,deadline,executors", stdout=out,
    )  # fmt: skip
    assert "Провести педсовет" in out.getvalue() or "2" in out.getvalue()
    with pytest.raises(CommandError, match="--columns"):
        call_command(
            "import-roadmap", str(path), "--level", "region", "--owner", "x",
            "--columns", "number,сроки",
        )  # fmt: skip


# --- period and year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "period"),
    [
        (("ПЛАН", "мероприятий по повышению качества образования", "на 2022/23 учебный год"),
         (date(2022, 9, 1), date(2023, 8, 31))),
        (("План работы методического объединения", "на 2024-2025 уч. год"),
         (date(2024, 9, 1), date(2025, 8, 31))),
        (("Дорожная карта", "подготовки к ГИА", "в 2023 году"),
         (date(2023, 1, 1), date(2023, 12, 31))),
    ],
)  # fmt: skip
def test_title_split_over_paragraphs_gives_the_period(title, period):
    rows = [("№", "Мероприятие", "Срок", "Ответственные"), ("1", "Педсовет", "октябрь", "Директор")]
    roadmap = read_roadmap(_docx(rows, title=title))
    assert parse_period(roadmap.title) == period
    assert roadmap.title == " ".join(title)


def test_bare_month_resolves_inside_the_school_year():
    period = parse_period("на 2022/23 учебный год")
    assert parse_deadline("октябрь", period).periods[0].start == date(2022, 10, 1)
    assert parse_deadline("март", period).periods[0].start == date(2023, 3, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("в период с 10 по 14 октября", date(2022, 10, 10), date(2022, 10, 14)),
        ("В период с 20 ноября по 5 декабря", date(2022, 11, 20), date(2022, 12, 5)),
        ("17 ноября (четверг)", date(2022, 11, 17), date(2022, 11, 17)),
        ("24.03.2023 (пт)", date(2023, 3, 24), date(2023, 3, 24)),
        ("12 апреля (Ср.)", date(2023, 4, 12), date(2023, 4, 12)),
    ],
)
def test_period_words_and_weekday_brackets(text, start, end):
    schedule = parse_deadline(text, (date(2022, 9, 1), date(2023, 8, 31)))
    assert schedule.understood
    assert schedule.text == text
    assert (schedule.periods[0].start, schedule.periods[-1].end) == (start, end)


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    start=st.integers(2001, 2098),
    sep=st.sampled_from(["/", "-", "–", " / "]),
    short=st.booleans(),
    words=st.sampled_from(["учебный год", "уч. год", "учебного года", "уч.г."]),
)
def test_school_year_period_property(start, sep, short, words):
    end = str(start + 1)[-2:] if short else str(start + 1)
    period = parse_period(f"План на {start}{sep}{end} {words}")
    assert period == (date(start, 9, 1), date(start + 1, 8, 31))


@hypothesis_settings(max_examples=40, deadline=None)
@given(start=st.integers(2001, 2095), span=st.integers(0, 4))
def test_calendar_years_stay_calendar_years(start, span):
    text = f"на {start}-{start + span} годы" if span else f"на {start} год"
    assert parse_period(text) == (date(start, 1, 1), date(start + span, 12, 31))


# --- executors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Комитет по образованию и делам молодежи (далее – Комитет); методисты\nшкола",
         ["Комитет по образованию и делам молодежи (далее – Комитет)", "методисты", "школа"]),
        ("Министерство просвещения и науки края (далее - Министерство), ИРО",
         ["Министерство просвещения и науки края (далее - Министерство)", "ИРО"]),
        ("методисты и учителя", ["методисты", "учителя"]),
        ("Петрова А.В.; Сидоров К.Л.\nОрлова Е.Е.", ["Петрова А.В.", "Сидоров К.Л.", "Орлова Е.Е."]),
    ],
)  # fmt: skip
def test_executor_lists_are_split_and_names_kept_whole(text, written):
    assert [item.written for item in resolve_executors(text, ROLE_ENTRIES)] == written
