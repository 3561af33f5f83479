"""Language and content of the generated documents (issue 12, «Language and content found
wrong in today's documents»): school names keep their quotes, numbers agree with their words
(«проведена 1 экспертиза», «в 1 из 1 программы»), «%» never starts a line, a heading keeps with
what follows, recommendations start with a capital, an item answered «выполнено» without
details says so."""

from __future__ import annotations

import io
from types import SimpleNamespace

import docx
import pytest

from opora.core.russian.inflect import inflect_phrase
from opora.documents.drafts import appendix_mark
from opora.documents.render import Requisites, render_requisites
from opora.documents.text import NBSP, body_blocks, sentence, typography
from opora.expertise.documents import _report_body, out_of

SCHOOL = "МБОУ «Каргасокская СОШ-интернат № 1»"


@pytest.mark.parametrize("case", ["gent", "datv", "ablt", "loct"])
def test_a_school_name_keeps_its_quotes_in_every_case(case):
    assert inflect_phrase(SCHOOL, case) == SCHOOL


def test_a_school_name_keeps_its_closing_quote_in_a_table():
    (table,) = body_blocks(f"| № | Школа |\n| 1 | {SCHOOL} |")
    assert table.rows[1][1] == typography(SCHOOL)
    assert table.rows[1][1].endswith("№\u00a01»")


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (1, 1, "в 1 из 1 программы"),
        (3, 21, "в 3 из 21 программы"),
        (2, 17, "в 2 из 17 программ"),
        (0, 4, "в 0 из 4 программ"),
        (11, 11, "в 11 из 11 программ"),
    ],
)
def test_out_of_agrees_with_the_whole(part, whole, text):
    assert out_of(part, whole) == text


def _results(n: int):
    roadmap = SimpleNamespace(owner_label="Каргасокский район", title="Дорожная карта")
    return [
        SimpleNamespace(
            percent=0.5,
            total_mean=10,
            total_max=20,
            failing=[],
            compared=0,
            agreement_share=None,
            expertise=SimpleNamespace(roadmap=roadmap),
        )  # fmt: skip
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    ("n", "opening"),
    [
        (1, "Проведена 1 экспертиза муниципальной программы."),
        (3, "Проведены 3 экспертизы муниципальных программ."),
        (17, "Проведено 17 экспертиз муниципальных программ."),
        (21, "Проведена 21 экспертиза муниципальных программ."),
    ],
)
def test_the_report_agrees_the_verb_with_the_number_of_expertises(n, opening):
    criterion = SimpleNamespace(
        text="Цель сформулирована", failed=1, used=1, share=1.0, mean_share=0.2
    )
    data = SimpleNamespace(results=_results(n), criteria=[criterion])

    lines = _report_body(data)

    assert lines[0].startswith(opening)
    assert "хотя бы в одной программе не выполнен 1 критерий." in lines[0]
    assert "— в 1 из 1 программы (" in lines[1]


def test_per_cent_never_starts_a_line():
    assert typography("выполнено в 80 % школ") == f"выполнено в 80{NBSP}% школ"


def test_recommendations_start_with_a_capital():
    assert sentence("провести анализ результатов") == "Провести анализ результатов"
    assert sentence("«Точка роста»: использовать") == "«Точка роста»: использовать"


def test_a_heading_keeps_with_the_text_after_it():
    content = render_requisites(
        Requisites(kind="report", organisation="ТОИПКРО", title="о…", body="## Итоги\nТекст.")
    )
    paragraphs = docx.Document(io.BytesIO(content)).paragraphs
    heading = next(p for p in paragraphs if p.text == "Итоги")
    assert heading.paragraph_format.keep_with_next


def test_the_appendix_mark_names_the_organisation_in_the_genitive():
    assert appendix_mark("decree", "Управление образования Администрации Томского района", 1) == (
        "Приложение 1 к приказу Управления образования Администрации Томского района "
        "от [дата] № [номер]"
    )
    assert appendix_mark("order", "") == "Приложение к распоряжению от [дата] № [номер]"


def test_an_item_done_without_details_is_not_called_unconfirmed():
    from opora.monitoring.documents import Reply, section_paragraphs
    from opora.monitoring.models import Answer, ChecklistItem, FindingLayout
    from opora.registry.models import School

    item = ChecklistItem(pk=1, text="Положение о ВСОКО", finding="", layout=FindingLayout.LIST)
    fifth = School(pk=1, short_name="МАОУ СОШ № 5", number=5, kind="sosh")
    eleventh = School(pk=2, short_name="МАОУ СОШ № 11", number=11, kind="sosh")
    replies = {1: [Reply(fifth, Answer.DONE, {}), Reply(eleventh, Answer.DONE, {})]}

    assert section_paragraphs(3, [item], replies) == [
        "3. Положение о ВСОКО – выполнено в ООУ № 5, 11 (подтверждение не приложено)."
    ]
    assert section_paragraphs(3, [item], {1: [Reply(fifth, Answer.NOT_DONE, {})]}) == [
        "3. Положение о ВСОКО – выполнение не подтверждено ни в одном ООУ."
    ]


def test_an_appendix_starts_a_new_page_with_its_mark_at_the_right():
    mark = "Приложение 2 к распоряжению Департамента от 13.03.2026 № 352-р"
    blocks = body_blocks(f"1. Утвердить список.\n{mark}\n## Список")
    assert [b.kind for b in blocks] == ["paragraph", "appendix", "heading"]
    content = render_requisites(
        Requisites(kind="order", organisation="ДОО ТО", title="Об…", body=f"Текст.\n{mark}")
    )
    paragraph = next(
        p for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.startswith("Прил")
    )
    assert paragraph.paragraph_format.page_break_before
    assert paragraph.paragraph_format.left_indent > 0
