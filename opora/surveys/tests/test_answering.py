"""Reading a filled questionnaire: required answers, conditions, every kind of question."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import QueryDict

from opora.surveys import answering
from opora.surveys.services import questions_of
from opora.testing.surveys import parents_questionnaire

pytestmark = pytest.mark.django_db


def _data(questions, **values) -> QueryDict:
    by_text = {q.text.split()[0]: q for q in questions}
    data = QueryDict(mutable=True)
    for word, value in values.items():
        q = by_text[word]
        if isinstance(value, dict):  # matrix: {row: option}
            for row, option in value.items():
                data[answering.field(q, row)] = option
        elif isinstance(value, list):
            data.setlist(answering.field(q), value)
        else:
            data[answering.field(q)] = value
    return data


@pytest.fixture
def questions(world):
    return questions_of(parents_questionnaire(world.users.region))


def test_a_complete_answer_gives_one_value_per_choice_and_row(questions):
    values, errors = answering.read(
        questions,
        _data(
            questions,
            Насколько="4",
            Бываете="Иногда",
            Минут="45,5",
            Что=["Учитель", "Кружки"],
            Довольны={0: "Да", 1: "Нет"},
        ),
    )
    assert errors == {}
    got = [(v.question.kind, v.row, v.option, v.number) for v in values]
    assert ("scale", 0, "4", Decimal(4)) in got
    assert ("number", 0, "", Decimal("45.50")) in got
    assert [o for k, _, o, _ in got if k == "multiple"] == ["Учитель", "Кружки"]
    assert [(r, o) for k, r, o, _ in got if k == "matrix"] == [(0, "Да"), (1, "Нет")]


def test_a_required_question_left_empty_is_named(questions):
    values, errors = answering.read(questions, _data(questions, Бываете="Всегда"))
    scale = next(q for q in questions if q.kind == "scale")
    assert errors == {scale.pk: "Ответьте на этот вопрос."}


def test_a_question_shown_after_an_answer_is_required_only_when_shown(questions):
    text = next(q for q in questions if q.show_if_id)
    _, errors = answering.read(questions, _data(questions, Насколько="3", Бываете="Никогда"))
    assert errors == {text.pk: "Ответьте на этот вопрос."}
    data = _data(questions, Насколько="3", Бываете="Всегда")
    data[answering.field(text)] = "лишний ответ скрытого вопроса"
    values, errors = answering.read(questions, data)
    assert errors == {}
    assert all(v.question.pk != text.pk for v in values), "a hidden question's value is dropped"


@pytest.mark.parametrize(
    ("word", "value", "message"),
    [
        ("Насколько", "7", "Выберите значение от 1 до 5."),
        ("Насколько", "2.5", "Выберите значение от 1 до 5."),
        ("Бываете", "Иногда-иногда", "Выберите вариант из списка."),
        ("Минут", "много", "Введите число."),
        ("Минут", "-1", "Число не меньше 0."),
        ("Минут", "1e400", "Введите число."),
        ("Что", ["Учитель", "Телевизор"], "Выберите варианты из списка."),
    ],
)
def test_a_wrong_value_is_refused_in_russian(questions, word, value, message):
    base = {"Насколько": "3", "Бываете": "Всегда", word: value}
    _, errors = answering.read(questions, _data(questions, **base))
    assert message in errors.values()


def test_a_matrix_answered_in_part_asks_for_every_row(questions):
    matrix = next(q for q in questions if q.kind == "matrix")
    matrix.required = True
    _, errors = answering.read(
        questions, _data(questions, Насколько="3", Бываете="Всегда", Довольны={0: "Да"})
    )
    assert errors[matrix.pk] == "Ответьте в каждой строке."
