"""The one home of Russian text (``opora.core.russian``): analyser, lemmas, dates, declension,
plurals — one set of rules for every caller."""

import ast
import doctest
from datetime import date
from pathlib import Path

import pytest

from opora.core import russian
from opora.core.russian import dates, inflect, lemmas, morph, plurals
from opora.core.russian.dates import (
    MONTHS_GENITIVE,
    date_line,
    long_date,
    month_number,
    row_date,
    short_date,
)
from opora.core.russian.inflect import (
    approved,
    dative_kind,
    gender_of,
    inflect_phrase,
    nominative_singular,
)
from opora.core.russian.lemmas import fold_yo, normal_forms, same_root
from opora.core.russian.plurals import count, plural

# --------------------------------------------------------------------------------- the package


@pytest.mark.parametrize("module", [morph, lemmas, dates, inflect, plurals])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0
    assert result.attempted > 0


def test_the_package_imports_no_app():
    """``core`` is the bottom layer: Russian text must not pull a domain app in."""
    for path in Path(russian.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("opora"):
                assert node.module.startswith("opora.core."), (path.name, node.module)
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("opora") or alias.name.startswith(
                        "opora.core."
                    ), (path.name, alias.name)


def test_morph_analyser_is_created_once():
    assert morph.morph() is morph.morph()


# --------------------------------------------------------------------------------- lemmas

MENTORING = "организовать работу по наставничеству с посещением уроков"


def test_lemmas_keep_nouns_and_adjectives_and_drop_verbs_and_stop_words():
    assert lemmas.lemmas(MENTORING) == {"наставничество", "посещение", "урок"}
    assert lemmas.lemmas("организовать педагогический десанта ТОИПКРО для управленцев") == {
        "педагогический",
        "десант",
        "тоипкро",
        "руководитель",  # «управленец», «директор» and «руководитель» are one person here
    }
    assert lemmas.lemmas("") == set()
    assert lemmas.lemmas("в рамках работы обеспечить проведение мероприятий") == set()


def test_synonyms_and_abbreviations_are_folded():
    assert lemmas.lemmas("курсы повышения квалификации учителей") == {"кпк", "педагог"}
    assert lemmas.lemmas("КПК для педагогов ШНОР") == {"кпк", "педагог"}
    assert lemmas.lemmas("детей с ограниченными возможностями здоровья") == {"овз", "ребенок"}
    assert "совместительство" in lemmas.lemmas("уменьшение коэффициента совмещения")
    assert lemmas.lemmas("вебинары для школьников") == lemmas.lemmas("семинар для учеников")
    assert lemmas.lemmas("ИОМ") == lemmas.lemmas("траектории") == {"маршрут"}


def test_abbreviations_stay_as_written_and_headings_in_capitals_are_words():
    assert lemmas.lemmas("РМО и ШМО") == {"рмо", "шмо"}
    assert lemmas.lemmas("ТОИПКРО") == {"тоипкро"}
    assert lemmas.lemmas("РЕКОМЕНДАЦИИ НАСТАВНИКАМ") == {"рекомендация", "наставник"}
    assert lemmas.lemmas("В рамках") == set()  # a capital at the start of a sentence


def test_proper_names_and_short_words_carry_no_topic():
    assert lemmas.lemmas("выезд в Томск к Иванову") == {"выезд"}
    assert lemmas.lemmas("по 2 шт.") == set()


def test_yo_is_written_e():
    assert fold_yo("учёт Ёлкина") == "учет Елкина"
    assert lemmas.lemmas("объёмы учёбы") == {"объем", "учеба"}


def test_same_root():
    assert same_root("наставник", "наставничество")
    assert not same_root("педагог", "педиатр")
    assert not same_root("урок", "уровень")


def test_normal_forms_offer_every_reading_of_a_word():
    assert {"куратор", "кураторами"} <= normal_forms("кураторами")
    assert normal_forms("оо") == {"оо"} | normal_forms("оо")
    assert normal_forms("rmo") == {"rmo"}  # no Cyrillic, no dictionary


# --------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("января", 1),
        ("Январь", 1),
        ("февр", 2),
        ("марте", 3),
        ("мая", 5),
        ("май", 5),
        ("июня", 6),
        ("июль", 7),
        ("сент", 9),
        ("октябрём", 10),
        ("декабря", 12),
        ("мартовский", None),
        ("маяк", None),
        ("школа", None),
    ],
)
def test_month_number(word, month):
    assert month_number(word) == month


def test_every_genitive_is_its_own_month():
    assert [month_number(name) for name in MONTHS_GENITIVE] == list(range(1, 13))


def test_dates_as_documents_write_them():
    assert short_date(date(2023, 3, 13)) == "13.03.2023"
    assert short_date(None) == ""
    assert long_date(date(2020, 6, 17)) == "«17» июня 2020 г."
    assert long_date(None) == ""
    assert row_date(date(2020, 6, 17)) == "17 июня 2020 года"


def test_date_line_forms():
    days = [date(2020, 6, 17), date(2020, 6, 18), date(2020, 6, 19), date(2020, 6, 22)]
    assert date_line(days) == "«17, 18, 19, 22» июня 2020 г."
    assert date_line([date(2020, 6, 30), date(2020, 7, 1)]) == "«30» июня, «01» июля 2020 г."
    assert date_line([date(2020, 6, 5)]) == "«05» июня 2020 г."
    assert date_line([date(2020, 12, 30), date(2021, 1, 11)]) == (
        "«30» декабря 2020 г., «11» января 2021 г."
    )
    assert date_line([]) == ""


# --------------------------------------------------------------------------------- declension


@pytest.mark.parametrize(
    "phrase, case, expected",
    [
        ("заместитель начальника департамента", "accs", "заместителя начальника департамента"),
        ("главный специалист отдела", "accs", "главного специалиста отдела"),
        ("Город Томск", "gent", "Города Томска"),
        ("Каргасокский район", "gent", "Каргасокского района"),
        ("Томский район", "accs", "Томский район"),
        ("Городской округ Стрежевой", "gent", "Городского округа Стрежевой"),
        ("председатель комитета", "datv", "председателю комитета"),
        ("ЗАТО Северск", "gent", "ЗАТО Северска"),
    ],
)
def test_phrases_are_inflected_by_their_head(phrase, case, expected):
    assert inflect_phrase(phrase, case) == expected


#: Every municipality of the demo region in every case documents put it in (issue 12,
#: «Declension»): «на территории Александровского района», «города Кедрового».
MUNICIPALITY_CASES = {
    "Александровский район": ("Александровского района", "Александровскому району", "Александровским районом", "Александровском районе"),
    "Асиновский район": ("Асиновского района", "Асиновскому району", "Асиновским районом", "Асиновском районе"),
    "Бакчарский район": ("Бакчарского района", "Бакчарскому району", "Бакчарским районом", "Бакчарском районе"),
    "Город Кедровый": ("Города Кедрового", "Городу Кедровому", "Городом Кедровым", "Городе Кедровом"),
    "Верхнекетский район": ("Верхнекетского района", "Верхнекетскому району", "Верхнекетским районом", "Верхнекетском районе"),
    "Городской округ Стрежевой": ("Городского округа Стрежевой", "Городскому округу Стрежевой", "Городским округом Стрежевой", "Городском округе Стрежевой"),
    "ЗАТО Северск": ("ЗАТО Северска", "ЗАТО Северску", "ЗАТО Северском", "ЗАТО Северске"),
    "Зырянский район": ("Зырянского района", "Зырянскому району", "Зырянским районом", "Зырянском районе"),
    "Каргасокский район": ("Каргасокского района", "Каргасокскому району", "Каргасокским районом", "Каргасокском районе"),
    "Кожевниковский район": ("Кожевниковского района", "Кожевниковскому району", "Кожевниковским районом", "Кожевниковском районе"),
    "Колпашевский район": ("Колпашевского района", "Колпашевскому району", "Колпашевским районом", "Колпашевском районе"),
    "Кривошеинский район": ("Кривошеинского района", "Кривошеинскому району", "Кривошеинским районом", "Кривошеинском районе"),
    "Молчановский район": ("Молчановского района", "Молчановскому району", "Молчановским районом", "Молчановском районе"),
    "Парабельский район": ("Парабельского района", "Парабельскому району", "Парабельским районом", "Парабельском районе"),
    "Первомайский район": ("Первомайского района", "Первомайскому району", "Первомайским районом", "Первомайском районе"),
    "Тегульдетский район": ("Тегульдетского района", "Тегульдетскому району", "Тегульдетским районом", "Тегульдетском районе"),
    "Томский район": ("Томского района", "Томскому району", "Томским районом", "Томском районе"),
    "Чаинский район": ("Чаинского района", "Чаинскому району", "Чаинским районом", "Чаинском районе"),
    "Шегарский район": ("Шегарского района", "Шегарскому району", "Шегарским районом", "Шегарском районе"),
    "Город Томск": ("Города Томска", "Городу Томску", "Городом Томском", "Городе Томске"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(MUNICIPALITY_CASES))
def test_every_demo_municipality_is_declined_in_every_case(name):
    from opora.registry.demo import MUNICIPALITIES

    assert name in {n for n, *_ in MUNICIPALITIES}
    cases = tuple(inflect_phrase(name, case) for case in ("gent", "datv", "ablt", "loct"))
    assert cases == MUNICIPALITY_CASES[name]
    assert inflect_phrase(name, "nomn") == name
    assert inflect_phrase(name, "accs") == name  # inanimate: the accusative is the nominative


def test_approved_agrees_with_the_document():
    assert approved("положение о ВСОКО") == "утверждено"
    assert approved("план работы") == "утверждён"
    assert approved("программа развития") == "утверждена"
    assert approved("методические рекомендации") == "утверждены"
    assert approved("ВСОКО") is None
    assert gender_of("«Положение»") == "neut"


def test_kinds_of_documents_go_to_the_dative():
    assert dative_kind("распоряжение ДОО ТО") == "распоряжению ДОО ТО"
    assert dative_kind("Приказ") == "приказу"
    assert dative_kind("Определение суда") == "определению суда"
    assert dative_kind("ДОКУМЕНТ") == "ДОКУМЕНТ"  # capitals are left as written
    assert dative_kind("") == ""


def test_qualifiers_are_read_in_the_nominative_singular():
    assert nominative_singular(["руководители"]) == "руководитель"
    assert nominative_singular(["управленческие", "команды"]) == "управленческая команда"
    assert nominative_singular(["заместители", "директоров"]) == "заместитель директоров"
    assert nominative_singular(["очень"]) == "очень"


# --------------------------------------------------------------------------------- plurals


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "школа"),
        (2, "школы"),
        (5, "школ"),
        (11, "школ"),
        (12, "школ"),
        (21, "школа"),
        (22, "школы"),
        (68, "школ"),
        (101, "школа"),
        (111, "школ"),
        (0, "школ"),
        (-3, "школы"),
    ],
)
def test_plural_forms(n, expected):
    assert plural(n, "школа", "школы", "школ") == expected


def test_count():
    assert count(17, "муниципалитет", "муниципалитета", "муниципалитетов") == "17 муниципалитетов"
    assert count(1, "выезд", "выезда", "выездов") == "1 выезд"
    # the region's home read «103152 строки»: thousands are set apart from five digits on
    assert count(103152, "строка", "строки", "строк") == "103\u00a0152 строки"
    assert count(4000, "анкета", "анкеты", "анкет") == "4000 анкет"
