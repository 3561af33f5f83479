"""Interview protocols laid out as other regions lay them out (wordings our own): a date column,
two-column tables under a heading per municipality, the decision as paragraphs without a table.

Each :class:`ProtocolCase` builds a .docx (or .odt) and says what a reader must find: per
municipality the start of its name as written, the date of its interview and how many
recommendations. Example: ``[(c.name, c.problems(read_protocol(c.build()))) for c in
PROTOCOLS]`` lists what came out wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from opora.testing.odf_files import odt
from opora.testing.protocol_files import HEAD, protocol_docx

HEAD_2024 = [
    "ПРОТОКОЛ",
    "собеседований с руководителями муниципальных органов управления образованием",
    "г. Новосибирск, 17-18 июня 2024 г.",
    "Председатель: Лаврова Т.С., заместитель министра",
    "Присутствовали: Голубев Р.Р.; Ефимова Н.К.",
    "Повестка: О реализации программы поддержки школ",
]


@dataclass(frozen=True)
class ProtocolCase:
    name: str
    build: Callable[[], bytes]
    #: (name as written begins with, date of the interview, how many recommendations)
    blocks: list[tuple[str, date, int]]

    def problems(self, parsed) -> list[str]:
        found = []
        got = [(b.name_as_written, b.interview_date, len(b.recommendations)) for b in parsed.blocks]
        if len(got) != len(self.blocks):
            found.append(f"blocks {got}")
        for (name, day, count), (want, want_day, want_count) in zip(got, self.blocks, strict=False):
            if not name.startswith(want):
                found.append(f"«{name}» != «{want}»")
            if day != want_day:
                found.append(f"«{want}»: date {day} != {want_day}")
            if count != want_count:
                found.append(f"«{want}»: {count} recommendations != {want_count}")
        return found


D17, D18 = date(2024, 6, 17), date(2024, 6, 18)


def date_column_first() -> bytes:
    rows = [
        ["№ п/п", "Дата", "Муниципальное образование", "Рекомендации"],
        ["1", "17.06.2024", "Искитимский район", "- провести анализ результатов ВПР;\n- организовать наставничество"],
        ["2", "17.06.2024", "Купинский район", "1) обновить программу развития;\n2) закрепить кураторов за школами;\n3) провести методический десант"],
        ["3", "18.06.2024", "Коченёвский район", "- утвердить муниципальную дорожную карту"],
    ]  # fmt: skip
    return protocol_docx(HEAD_2024 + ["Решили:"], [([], rows)])


def date_column_middle() -> bytes:
    rows = [
        ["Муниципалитет", "Дата собеседования", "Рекомендации по итогам собеседования"],
        ["Искитимский район", "17 июня 2024 г.", "- провести анализ результатов ВПР;\n- организовать наставничество"],
        ["Купинский район", "18 июня 2024 г. (вторник)", "- обновить программу развития"],
    ]  # fmt: skip
    return protocol_docx(HEAD_2024 + ["Решение:"], [([], rows)])


def two_column_per_municipality() -> bytes:
    table = [
        ["Рекомендация", "Срок"],
        ["Провести анализ результатов ВПР", "до 1 сентября 2024 г."],
        ["Организовать наставничество", "сентябрь 2024 г."],
    ]
    second = [["Рекомендация", "Срок"], ["Обновить программу развития", "до 15 августа 2024 г."]]
    return protocol_docx(
        HEAD_2024 + ["Решение:"],
        [(["17 июня 2024 г.", "1. Искитимский район"], table), (["18 июня 2024 г.", "2. Купинский район"], second)],
    )  # fmt: skip


def two_column_with_date_rows() -> bytes:
    rows = [
        ["Муниципальное образование", "Рекомендации"],
        "17 июня 2024 года",
        ["Искитимский район", "- провести анализ результатов ВПР;\n- организовать наставничество"],
        "18 июня 2024 года",
        ["Купинский район", "- обновить программу развития;\n- закрепить кураторов"],
        ["Коченёвский район", "- утвердить муниципальную дорожную карту"],
    ]
    return protocol_docx(HEAD_2024 + ["Решение:"], [([], rows)])


def paragraphs_only() -> bytes:
    return protocol_docx(
        HEAD_2024
        + [
            "Решили:",
            "1. Искитимский район (17 июня 2024 г.):",
            "- провести анализ результатов ВПР;",
            "- организовать наставничество.",
            "2. Купинский район (18 июня 2024 г.):",
            "- обновить программу развития;",
            "- закрепить кураторов за школами;",
            "- провести методический десант.",
        ]
    )


def paragraphs_by_municipality() -> bytes:
    return protocol_docx(
        HEAD_2024
        + [
            "Решение:",
            "Искитимский район:",
            "1) провести анализ результатов ВПР;",
            "2) организовать наставничество.",
            "Купинский район:",
            "1) обновить программу развития.",
        ]
    )


def odt_date_column() -> bytes:
    return odt(
        [
            *HEAD_2024,
            "Решили:",
            [
                ["№", "Дата", "Муниципальное образование", "Рекомендации"],
                ["1", "17.06.2024", "Искитимский район", "- провести анализ результатов ВПР;\n- организовать наставничество"],
                ["2", "18.06.2024", "Купинский район", "- обновить программу развития"],
            ],
        ]
    )  # fmt: skip


def tomsk_layout_with_date_column() -> bytes:
    rows = [
        ["п/п", "Муниципальное образование", "Рекомендации в рамках собеседования", "Дата"],
        ["1", "Александровский район", "- организовать участие педагогов в курсах;\n- проводить анализ", "09.03.2023"],
    ]  # fmt: skip
    return protocol_docx(HEAD + ["Решение:"], [([], rows)])


PROTOCOLS: list[ProtocolCase] = [
    ProtocolCase("дата_первой_колонкой.docx", date_column_first, [("Искитимский", D17, 2), ("Купинский", D17, 3), ("Коченёвский", D18, 1)]),
    ProtocolCase("дата_в_середине.docx", date_column_middle, [("Искитимский", D17, 2), ("Купинский", D18, 1)]),
    ProtocolCase("две_колонки_по_районам.docx", two_column_per_municipality, [("Искитимский", D17, 2), ("Купинский", D18, 1)]),
    ProtocolCase("две_колонки_строки_дат.docx", two_column_with_date_rows, [("Искитимский", D17, 2), ("Купинский", D18, 2), ("Коченёвский", D18, 1)]),
    ProtocolCase("абзацы_с_датами.docx", paragraphs_only, [("Искитимский", D17, 2), ("Купинский", D18, 3)]),
    ProtocolCase("абзацы_по_районам.docx", paragraphs_by_municipality, [("Искитимский", D17, 2), ("Купинский", D17, 1)]),
    ProtocolCase("дата_колонкой.odt", odt_date_column, [("Искитимский", D17, 2), ("Купинский", D18, 1)]),
    ProtocolCase("дата_последней_колонкой.docx", tomsk_layout_with_date_column, [("Александровский", date(2023, 3, 9), 2)]),
]  # fmt: skip
