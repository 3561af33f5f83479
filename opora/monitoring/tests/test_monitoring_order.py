"""The generated order groups the schools as seed 004 does.

Seed 004 (распоряжение департамента образования г. Томска от 02.03.2024 № 128) is read back
into answers below, item by item — which schools did it, partly or not, with the details in
its brackets — and the order generated from those answers must contain, for every one of the
nine findings, the seed's grouping of schools.

Where the seed is inconsistent, the expected text follows one rule and says so:
* numbers are sorted («Учитель года-2021» – 5, 11, 28, 41, 66; the seed has 5, 28, 41, 11, 66);
* a group of several schools is «ООУ № …», a single school is named by its kind («СОШ № 5»,
  «ООШ № 66») — the seed writes «СОШ № 5, 28, 41, 44» once and «ООУ № 66» once;
* in finding 3 the seed repeats «ООУ №» before some numbers and drops it before others;
* school 5 is in no group of finding 5 in the seed (its ВСОКО paragraph follows), so its
  answer to «разработаны механизмы» is «не выполнено».
"""

from __future__ import annotations

from datetime import date

import pytest

from opora.monitoring.checklist import item_labels
from opora.monitoring.defaults import ensure_default_template
from opora.monitoring.documents import (
    OrderOptions,
    build_order,
    monitoring_data,
    school_names,
)
from opora.monitoring.models import SheetStatus
from opora.monitoring.selectors import template_items
from opora.testing.monitoring import SEED_004, seed_campaign

# The seed's grouping of schools in each finding, as the generated paragraph must contain it.
EXPECTED = {
    1: [
        "влияющих на образовательные результаты в ООУ № 5, 11, 28, 38, 41, 44, 66, "
        "сформулированы реальные цели",
        "общеобразовательному учреждению в целом в ООУ № 11, 28, 38, 41, 44, 66.",
        "СОШ № 5 определены первоочередные мероприятия ближайшего развития ООУ.",
    ],
    2: [
        "с обучающимися с низким уровнем подготовки в ООУ № 5 (для 2-9 классов), 11 (для "
        "обучающихся 5-9 классов), 28 (для обучающихся 5-9, 10 классов, 4 классов, 9, 11 "
        "классов), 38 (для обучающихся 5-9 классов), 41 (для обучающимися 9-х, 11-х классов), "
        "44 (для обучающимися 2-11 классов).",
        "ООШ № 66 ведутся только курсы внеурочной деятельности.",
    ],
    3: [
        "по вопросам повышения результатов обучения в ООУ № 5 (родительские собрания, Совет "
        "профилактики), 11 (online собрание родительского комитета и Управляющего совета школы "
        "по вопросам формирующего оценивания, путем повышения мотивации обучающихся), 28 "
        "(индивидуальные консультации, родительские собрания, лектории, спецкурс для родителей "
        "обучающихся-инофонов по овладению русским языком), 38 (индивидуальные встречи "
        "родителей и администрации школы, родительское собрание в формате ВКС, школьный ПМП "
        "консилиум), 41 (родительские собрания индивидуальная работа, школьный и классный "
        "родительские комитеты, родительское патрулирование (наблюдение за образовательным "
        "процессом)), 44 (разработан Календарный план взаимодействия с родителями (законными "
        "представителями) обучающихся на 2020-2021 учебный год, включающий взаимодействие с "
        "классным руководителем, членами администрации и психолого-педагогической службой), "
        "66 (индивидуальные беседы/встречи, родительские собрания), проработаны активные "
        "формы работы с обучающимися",
        "в ООУ № 5 (тематические классные часы, психолого-педагогическое сопровождение разных "
        "групп обучающихся), 11 (индивидуальные образовательные маршруты для обучающихся, "
        "технологические карты занятий), 28 (реализация дополнительных образовательных "
        "программ с привлечением ресурсов учреждений высшего профессионального образования, с "
        "кванториумом -Дни науки), 66 (Дня науки, предметные недели, научное общество "
        "школьников «Истоки», Экологический центр).",
    ],
    4: [
        "по вопросам повышения результатов обучения в ООУ № 5, 11, 28, 44, 66 (все ссылки "
        "активны), материалы для родителей",
        "материалы для родителей (законных представителей) и учителей в ООУ № 5, 28, 41, 44.",
        "Кроме выше указанных материалов размещены:",
        "- МАОУ СОШ № 5 – памятки для всех участников образовательных отношений и "
        "рекомендации педагога-психолога;",
        "- МАОУ СОШ № 11 – памятки, тренажеры для подготовки к мониторингам",
        "- МАОУ ООШ № 38 – порядок проведения ГИА",
        "- МАОУ СОШ № 44 – ссылки на сайты приемных комиссий учебных заведений высшего "
        "профессионального образования (вузов) г. Томска.",
    ],
    5: [
        "подготовки обучающихся в ООУ № 11, 28, 38, 41, 44, в процессе разработки",
        "в процессе разработки находятся внутришкольные механизмы мониторинга качества "
        "подготовки обучающихся в ООШ № 66.",
        "В МАОУ СОШ № 5 имеется положение о ВСОКО, утверждено 25.12.2020: описаны механизмы и "
        "объекты",
        "В МАОУ СОШ № 11 имеется положение о ВСОКО, утверждено 20.12.2020",
        "В МАОУ СОШ № 28 имеется положение о ВСОКО, утверждено 28.08.2020: механизмы "
        "мониторинга качества подготовки обучающихся описаны. Указана не действующая "
        "нормативно-правовая база.",
        "В МАОУ ООШ № 38 имеется положение о ВСОКО, утверждено 30.12.2020",
        "В МАОУ СОШ № 41 имеется положение о ВСОКО, утверждено 20.01.2020",
        "В МАОУ СОШ № 44 имеется положение о ВСОКО, утверждено 08.08.2019",
        "В МБОУ ООШ № 66 имеется положение о ВШК, утверждено 01.11.2013: механизмы не описаны.",
    ],
    6: [
        "по всем предметам в ООУ № 5, 11 (посредством Анкеты обратной связи посещенных "
        "методических мероприятий), 28, 38, 41, 44, посещение учителями отдельных мероприятий "
        "в ООШ № 66, учителя повышают",
        "других организаций в ООУ № 5, 28, 41, 44, организовано внутришкольное",
        "по подготовке обучающихся к ГИА в ООУ № 28, 41, 44.",
    ],
    7: [
        "«Методическое сопровождение педагогов по работе с результатами ВПР» по всем предметам "
        "в ООУ № 11, 28, 38, 41, 44, 66, повышают",
        "вузов и других организаций в ООУ № 5, 11, 28, 38, 41, 44, 66, организовано",
        "по работе с результатами ВПР в ООУ № 11, 38.",
    ],
    8: [
        "в целях подготовки обучающихся к ГИА в ООУ № 5, 28, 44.",
        "В МАОУ СОШ № 11 обучающиеся 11 класса зарегистрированы в системе moodle.imc.ru для "
        "участия в тренингах по русскому языку.",
    ],
    9: [
        "следующие ООУ (имеются участники в конкурсе): ",
        "«Учитель года-2021» – 5, 11, 28, 41, 66",
        "«Первые шаги» – 11, 41",
        "«Педагог-наставник» – 11, 28, 41, 44, 66",
        "«Чемпион-2020» – 44",
    ],
}


@pytest.fixture
def order(db):
    campaign = seed_campaign()
    options = OrderOptions(
        control_person="Швайко И.В.",
        control_position="заместитель начальника департамента образования администрации "
        "Города Томска",
        report_to="Предоставить в комитет по общему образованию (председатель комитета "
        "Назарова О.И.) Программы повышения качества образования",
        report_due=date(2021, 3, 10),
    )
    return build_order(monitoring_data(campaign), options)


def test_the_default_template_has_seed_004s_nine_findings(db):
    template = ensure_default_template()
    assert ensure_default_template() == template  # idempotent
    items = template_items(template)
    assert sorted({i.section for i in items}) == list(range(1, 10))
    assert sorted(item_labels(items).values()) == sorted(SEED_004)


@pytest.mark.parametrize("section", range(1, 10))
def test_each_finding_groups_the_schools_as_seed_004(order, section):
    text = "\n".join(p for p in order.findings if _section_of(p, order.findings) == section)
    assert text.startswith(f"{section}. ")
    for expected in EXPECTED[section]:
        assert expected in text, f"finding {section}: {expected!r} not in\n{text}"


def test_the_outdated_legal_base_is_noted_for_the_four_schools_the_seed_names(order):
    section_5 = "\n".join(p for p in order.findings if _section_of(p, order.findings) == 5)
    assert section_5.count("Указана не действующая нормативно-правовая база.") == 4


def test_the_order_names_the_territory_the_period_and_the_seven_schools(order):
    assert order.title.endswith("на территории Города Томска")
    intro = order.body.split("\n\n")[0]
    assert "за 1 полугодие 2020-2021 учебного года" in intro
    assert intro.endswith(
        "МАОУ СОШ № 5 имени А.К. Ерохина, МАОУ СОШ № 11 имени В.И. Смирнова, МАОУ СОШ № 28, "
        "МАОУ ООШ № 38, МАОУ СОШ № 41, МАОУ СОШ № 44, МБОУ ООШ № 66."
    )


def test_instructions_go_to_the_schools_that_lack_an_item(order):
    by_label = {s.label: s for s in order.suggestions}
    # Seed 004, I.1.1 and I.1.2: mechanisms to school 66; internal methodical support.
    assert 66 in [s.number for s in by_label["5.1"].schools]
    assert by_label["6.3"].addressees == "МАОУ СОШ № 5, 11, МАОУ ООШ № 38, МБОУ ООШ № 66"
    assert by_label["7.3"].addressees == "МАОУ СОШ № 5, 28, 41, 44, МБОУ ООШ № 66"
    assert "1.1" not in by_label  # everyone did it: nothing to instruct
    legal = next(s for s in order.suggestions if s.key == "legal-base")
    assert legal.addressees == "МАОУ СОШ № 28, 41, 44, МАОУ ООШ № 38"


def test_the_instructions_deadline_and_control_clause_close_the_order(order):
    paragraphs = order.body.split("\n\n")
    start = paragraphs.index("I. Руководителям общеобразовательных учреждений:")
    points = paragraphs[start + 1 : -1]
    assert points[0].startswith("1.1. ")
    assert all(p.startswith(f"1.{i}. ") for i, p in enumerate(points, start=1))
    assert points[-1] == (
        f"1.{len(points)}. Предоставить в комитет по общему образованию (председатель комитета "
        "Назарова О.И.) Программы повышения качества образования до 10.03.2021."
    )
    assert paragraphs[-1] == (
        "II. Контроль исполнения настоящего распоряжения возложить на Швайко И.В., "
        "заместителя начальника департамента образования администрации Города Томска."
    )


def test_a_decree_says_prikazyvayu_and_numbers_its_points(db):
    campaign = seed_campaign()
    text = build_order(
        monitoring_data(campaign), OrderOptions(kind="decree", instruction_keys=[])
    ).body
    paragraphs = text.split("\n\n")
    assert paragraphs[-2] == "ПРИКАЗЫВАЮ:"
    assert paragraphs[-1] == "1. Контроль исполнения настоящего приказа оставляю за собой."


def test_only_accepted_sheets_enter_the_order(db):
    campaign = seed_campaign()
    campaign.sheets.filter(school__number=66).update(status=SheetStatus.SUBMITTED)
    data = monitoring_data(campaign)
    assert [s.school.number for s in data.not_accepted] == [66]
    text = build_order(data).body
    assert "МБОУ ООШ № 66" not in text
    assert "в ООУ № 5, 11, 28, 38, 41, 44, сформулированы" in text


def test_school_names_group_schools_by_their_prefix(db):
    campaign = seed_campaign()
    schools = [s.school for s in campaign.sheets.select_related("school")]
    assert school_names(schools) == "МАОУ СОШ № 5, 11, 28, 41, 44, МАОУ ООШ № 38, МБОУ ООШ № 66"


def _section_of(paragraph: str, paragraphs: list[str]) -> int:
    """The finding a paragraph belongs to: its own number, or the last number before it."""
    index = paragraphs.index(paragraph)
    for candidate in reversed(paragraphs[: index + 1]):
        head = candidate.split(".", 1)[0]
        if head.isdigit():
            return int(head)
    return 0
