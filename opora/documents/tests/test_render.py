"""Official documents in Word (ГОСТ Р 7.0.97-2016), read back with python-docx.

Times New Roman 14 (tables 12, the executor 10), margins 20/10/20/20 mm, a PAGE field in the
header from page 2, the requisites in their order, the kind of document in the genitive;
a fixed document keeps its number, date and file and never changes again.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from docx import Document as read_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from opora.documents import services
from opora.documents.drafts import Draft
from opora.documents.models import Document
from opora.documents.render import Requisites, kind_genitive, render_requisites
from opora.documents.text import NBSP, body_blocks, split_signer, typography
from opora.testing.factories import UserFactory

BODY = (
    "В соответствии с распоряжением от 10.03.2020 № 187-р проведен мониторинг.\n\n"
    "На основе анализа результатов мониторинга выявлено следующее:\n\n"
    "ПРИКАЗЫВАЮ:\n\n"
    "1. Руководителям общеобразовательных учреждений:\n"
    "1.1. Разработать внутришкольные механизмы мониторинга – МБОУ ООШ № 66.\n"
    "| Школа | Пункт 1 | Пункт 2 |\n"
    "| МАОУ СОШ № 5 | выполнено | частично |\n"
    "2. Контроль исполнения настоящего приказа оставляю за собой."
)


def _requisites(**overrides) -> Requisites:
    values = dict(
        kind="decree",
        organisation="Администрация Города Томска\nДепартамент образования",
        title="О результатах анализа мониторинга",
        body=BODY,
        place="г. Томск",
        number="128",
        date=date(2024, 3, 2),
        signer="Начальник департамента\nИ.В. Васильева",
        executor="Иванова Анна Сергеевна\n8 (3822) 12-34-56",
    )
    values.update(overrides)
    return Requisites(**values)


@pytest.fixture(scope="module")
def docx():
    return read_docx(io.BytesIO(render_requisites(_requisites())))


def _body_texts(doc) -> list[str]:
    """Paragraphs and table cells in document order (the signature is a table)."""
    texts = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            texts.append(Paragraph(child, doc._body).text.replace(NBSP, " "))
        elif child.tag == qn("w:tbl"):
            for cell in child.iter(qn("w:tc")):
                text = "".join(t.text or "" for t in cell.iter(qn("w:t")))
                texts.append(text.replace(NBSP, " "))
    return [t for t in texts if t.strip()]


def test_page_margins_are_20_10_20_20_mm(docx):
    section = docx.sections[0]
    margins = [section.top_margin, section.right_margin, section.bottom_margin, section.left_margin]
    assert [round(m.mm) for m in margins] == [20, 10, 20, 20]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_text_is_times_new_roman_14_and_tables_12(docx):
    normal = docx.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    data_table = docx.tables[0]
    sizes = {
        run.font.size.pt for cell in data_table._cells for p in cell.paragraphs for run in p.runs
    }
    assert sizes == {12}
    signature = docx.tables[-1]
    assert {r.font.size.pt for c in signature._cells for p in c.paragraphs for r in p.runs} == {14}


def test_pages_are_numbered_from_the_second(docx):
    section = docx.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    assert " PAGE " in [i.text for i in header.iter(qn("w:instrText"))]
    assert not "".join(t.text or "" for t in section.first_page_header._element.iter(qn("w:t")))


def test_the_requisites_come_in_their_order(docx):
    texts = _body_texts(docx)
    expected = [
        "АДМИНИСТРАЦИЯ ГОРОДА ТОМСКА",
        "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ",
        "ПРИКАЗ",
        "02.03.2024\t№ 128",
        "г. Томск",
        "О результатах анализа мониторинга",
        "В соответствии с распоряжением от 10.03.2020 № 187-р проведен мониторинг.",
        "ПРИКАЗЫВАЮ:",
        "1.1. Разработать внутришкольные механизмы мониторинга – МБОУ ООШ № 66.",
        "Школа",
        "2. Контроль исполнения настоящего приказа оставляю за собой.",
        "Начальник департамента",
        "И.В. Васильева",
        "Иванова Анна Сергеевна",
        "8 (3822) 12-34-56",
    ]
    positions = [texts.index(t) for t in expected]
    assert positions == sorted(positions)
    assert "ПРОЕКТ" not in texts


def test_body_paragraphs_are_justified_with_a_first_line_indent(docx):
    paragraphs = {p.text.replace(NBSP, " "): p for p in docx.paragraphs}
    body = paragraphs["1.1. Разработать внутришкольные механизмы мониторинга – МБОУ ООШ № 66."]
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(body.paragraph_format.first_line_indent.cm - 1.25) < 0.01
    operative = paragraphs["ПРИКАЗЫВАЮ:"]
    assert operative.paragraph_format.first_line_indent is None
    assert paragraphs["ПРИКАЗ"].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraphs["ПРИКАЗ"].runs[0].bold
    assert paragraphs["Иванова Анна Сергеевна"].runs[0].font.size.pt == 10


def test_a_draft_is_marked_and_has_blanks_for_number_and_date():
    doc = read_docx(
        io.BytesIO(render_requisites(_requisites(kind="order", number="", date=None, draft=True)))
    )
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "ПРОЕКТ"
    assert "РАСПОРЯЖЕНИЕ" in texts
    assert "____________\t№ ________" in texts


def test_the_text_is_split_into_paragraphs_operative_words_and_tables():
    kinds = [b.kind for b in body_blocks(BODY)]
    assert kinds == [
        "paragraph",
        "paragraph",
        "operative",
        "paragraph",
        "paragraph",
        "table",
        "paragraph",
    ]
    assert body_blocks("| a | b |\n| 1 | 2 |")[0].rows == [["a", "b"], ["1", "2"]]


def test_the_signature_splits_the_position_from_the_name():
    assert split_signer("Начальник департамента И.В. Васильева") == (
        "Начальник департамента",
        "И.В. Васильева",
    )
    assert split_signer("Начальник департамента\nИ.В. Васильева") == (
        "Начальник департамента",
        "И.В. Васильева",
    )


def test_kinds_take_the_genitive():
    assert (kind_genitive("order"), kind_genitive("decree")) == ("распоряжения", "приказа")


# ---------------------------------------------------------------- fixing


@pytest.fixture
def draft(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(username="region-doc", role="region")
    document = services.create_draft(
        user,
        Draft(
            kind="order",
            organisation="Департамент образования",
            title="О мониторинге",
            body="Текст распоряжения.",
            signer="Начальник департамента И.В. Васильева",
        ),
    )
    return user, document


def test_fixing_stores_the_docx_with_its_number_and_date(draft):
    user, document = draft
    fixed = services.fix_document(user, document, number="№ 128-р", day=date(2024, 3, 2))
    assert (fixed.number, fixed.date, fixed.is_fixed) == ("128-р", date(2024, 3, 2), True)
    stored = read_docx(io.BytesIO(services.docx_bytes(fixed)))
    texts = [p.text for p in stored.paragraphs]
    assert "02.03.2024\t№ 128-р" in texts and "ПРОЕКТ" not in texts


def test_a_fixed_document_never_changes(draft):
    user, document = draft
    services.fix_document(user, document, number="128", day=date(2024, 3, 2))
    document.refresh_from_db()
    with pytest.raises(ValidationError, match="зафиксирован"):
        services.update_draft(user, document, body="Другой текст.")
    with pytest.raises(ValidationError, match="зафиксирован"):
        services.fix_document(user, document, number="129", day=date(2024, 3, 3))
    with pytest.raises(ValidationError, match="зафиксирован"):
        services.delete_draft(user, document)
    assert Document.objects.get(pk=document.pk).body == "Текст распоряжения."


def test_a_number_is_not_given_twice_in_a_year(draft):
    user, document = draft
    services.fix_document(user, document, number="128", day=date(2024, 3, 2))
    second = services.create_draft(
        user,
        Draft(kind="order", organisation="Департамент образования", title="О другом", body="Т."),
    )
    with pytest.raises(ValidationError, match="Номер 128 в 2024 году уже занят"):
        services.fix_document(user, second, number="128", day=date(2024, 5, 1))
    services.fix_document(user, second, number="128", day=date(2025, 1, 15))  # a new year


def test_numbers_places_dashes_and_initials_do_not_break_across_lines():
    assert typography("в ООУ № 5 – МБОУ ООШ № 66, г. Томск, Швайко И.В., И. В. Васильева") == (
        f"в ООУ №{NBSP}5{NBSP}– МБОУ ООШ №{NBSP}66, г.{NBSP}Томск, Швайко{NBSP}И.В., "
        f"И.В.{NBSP}Васильева"
    )
