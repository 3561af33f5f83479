"""Reading a filled questionnaire from the form: what was answered, what is missing.

Pure: it takes the questionnaire's questions (in order) and the posted data, and returns the
values to store or the Russian message of each question answered wrongly. A question shown
only after a given answer («Если ответили «Да» на вопрос 3») counts only when it was shown:
a hidden question is never required and its stray value is dropped.

Example (a single-choice question 12 «Хватает ли в школе компьютеров?» with «Да», «Нет»,
and question 13 shown after «Нет»): ``{"q12": "Нет", "q13": "в кабинете физики"}`` gives two
values; ``{"q12": "Да", "q13": "…"}`` gives one (13 was not shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from opora.surveys.models import Question, QuestionKind

MAX_TEXT = 4000
NUMBER_LIMIT = Decimal("9999999999")


@dataclass(frozen=True)
class Value:
    question: Question
    row: int = 0
    option: str = ""
    number: Decimal | None = None
    text: str = ""


def field(question: Question, row: int | None = None) -> str:
    return f"q{question.pk}" if row is None else f"q{question.pk}_r{row}"


def chosen(question: Question, data) -> list[str]:
    """The options chosen for a choice question, as posted (for conditions)."""
    if question.kind == QuestionKind.MULTIPLE:
        return [v for v in data.getlist(field(question)) if v in question.options]
    value = (data.get(field(question)) or "").strip()
    return [value] if value else []


def visible(questions: list[Question], data) -> set[int]:
    """The ids of the questions shown for these answers (a condition on a hidden question
    hides its dependents too)."""
    shown: set[int] = set()
    for q in questions:
        parent = next((p for p in questions if p.pk == q.show_if_id), None)
        if parent is None or (parent.pk in shown and q.show_if_option in chosen(parent, data)):
            shown.add(q.pk)
    return shown


def read(questions: list[Question], data) -> tuple[list[Value], dict[int, str]]:
    """The values to store and the errors by question id."""
    values: list[Value] = []
    errors: dict[int, str] = {}
    for q in questions:
        if q.pk not in visible(questions, data):
            continue
        got, error = _read_one(q, data)
        if error:
            errors[q.pk] = error
        elif not got and q.required:
            errors[q.pk] = "Ответьте на этот вопрос."
        values.extend(got)
    return values, errors


def _read_one(q: Question, data) -> tuple[list[Value], str]:
    if q.kind == QuestionKind.MULTIPLE:
        raw = data.getlist(field(q))
        if any(v not in q.options for v in raw):
            return [], "Выберите варианты из списка."
        return [Value(q, option=v) for v in dict.fromkeys(raw)], ""
    if q.kind == QuestionKind.MATRIX:
        return _read_matrix(q, data)
    raw = (data.get(field(q)) or "").strip()
    if not raw:
        return [], ""
    if q.kind == QuestionKind.SINGLE:
        if raw not in q.options:
            return [], "Выберите вариант из списка."
        return [Value(q, option=raw)], ""
    if q.kind == QuestionKind.TEXT:
        if len(raw) > MAX_TEXT:
            return [], f"Ответ длиннее {MAX_TEXT} знаков — сократите его."
        return [Value(q, text=raw)], ""
    return _read_number(q, raw)


def _read_number(q: Question, raw: str) -> tuple[list[Value], str]:
    try:
        number = Decimal(raw.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return [], "Введите число."
    if not number.is_finite() or abs(number) > NUMBER_LIMIT:
        return [], "Введите число."
    if q.kind == QuestionKind.SCALE:
        if number != number.to_integral_value() or int(number) not in q.scale_values():
            return [], f"Выберите значение от {q.scale_min} до {q.scale_max}."
        return [Value(q, option=str(int(number)), number=number)], ""
    if q.scale_min is not None and number < q.scale_min:
        return [], f"Число не меньше {q.scale_min}."
    if q.scale_max is not None and number > q.scale_max:
        return [], f"Число не больше {q.scale_max}."
    return [Value(q, number=number.quantize(Decimal("0.01")))], ""


def _read_matrix(q: Question, data) -> tuple[list[Value], str]:
    got = []
    for i, _row in enumerate(q.rows):
        raw = (data.get(field(q, i)) or "").strip()
        if not raw:
            continue
        if raw not in q.options:
            return [], "Выберите варианты из списка."
        got.append(Value(q, row=i, option=raw))
    if q.required and got and len(got) < len(q.rows):
        return [], "Ответьте в каждой строке."
    return got, ""
