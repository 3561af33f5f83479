"""Reading result files: what is accepted, what is rejected and why, what is refused."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.assessment.readers.results_columns import (
    MAX_LISTED_REJECTIONS,
    header_field,
    subject_name,
)
from opora.assessment.results_file import ResultsFileError, read_results

CODES = {"700901", "700902", "700903"}
HEADER = (
    "Год;Процедура;Код ОО;Класс;Предмет;Код участника;Первичный балл;Отметка;Отметка по журналу"
)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def reasons(result) -> dict[int, str]:
    return {r.line: r.reason for r in result.rejected}


def test_a_clean_pupil_file_is_normalised():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;10023;9;3;4",
        "2024;впр;700901;5;матем.;10024;3;2;",
        "2024;ВПР;700902;6;Рус. яз.;10025;12,5;5;5",
        "2024;Региональный мониторинг;700903;4;Окр. мир;10026;0;4;4",
    )
    result = read_results(data, "ВПР-2024.csv", CODES)

    assert result.kind == "pupil"
    assert result.rejected == [] and result.rejected_total == 0
    assert result.rows_total == 4
    assert result.years == [2024]
    assert result.procedures == ["ВПР", "РМ"]
    assert result.schools == 3
    rows = result.table.to_pylist()
    assert [r["subject"] for r in rows] == [
        "Математика",
        "Математика",
        "Русский язык",
        "Окружающий мир",
    ]
    assert rows[1]["term_mark"] is None
    assert rows[2]["primary_score"] == 12.5
    assert rows[3]["procedure"] == "РМ"
    assert result.table.schema.field("mark").type == "int8"


def test_english_headers_in_any_order_comma_separated_windows_1251():
    header = "SCHOOL_CODE,year,Subject,grade,procedure,pupil_code,mark,primary_score"
    data = csv_bytes(
        "700901,2024,Русский язык,5,ВПР,P-1,4,17",
        "700902,2024,Математика (профильная),11,ЕГЭ,P-2,2,3",
        header=header,
        encoding="cp1251",
    )
    result = read_results(data, "results.csv", CODES)

    assert result.rejected == []
    assert result.encoding == "cp1251" and result.delimiter == ","
    rows = result.table.to_pylist()
    assert rows[0]["school_code"] == "700901" and rows[0]["mark"] == 4
    # ЕГЭ profile and basic mathematics stay separate subjects.
    assert rows[1]["subject"] == "Математика (профильная)"
    assert all(r["term_mark"] is None for r in rows)


def test_utf8_with_bom_and_a_title_line_above_the_header():
    data = "\ufeffРезультаты ВПР 2024 года\n".encode() + csv_bytes(
        "2024;ВПР;700901;5;Математика;1;9;3;4"
    )
    result = read_results(data, "a.csv", CODES)
    assert result.rows_total == 1 and result.rejected == []


def test_every_rejected_row_has_its_line_and_a_russian_reason():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;1001;9;3;4",  # line 2: duplicate of line 6
        "2024;ВПР;700999;5;Математика;1002;9;3;4",  # 3: unknown school
        "2024;ВПР;700901;5;Математика;1003;9;7;4",  # 4: mark out of range
        "2024;ВПР;700901;5;;1004;9;3;4",  # 5: missing subject
        "2024;ВПР;700901;5;Математика;1001;9;4;4",  # 6: duplicate pupil
        "2024;ВПР;700901;5;Математика;1005;девять;3;4",  # 7: bad number
        "2024;ВПР;700901;5;Математика;Иванов Иван;9;3;4",  # 8: a name, not a code
        "2024;ВПР;700901;5;Математика;1006;9;3;6",  # 9: journal mark out of range
        "2024;ВПР;700901;5;Математика;1007;9;3;4",  # 10: fine
    )
    result = read_results(data, "a.csv", CODES)

    found = reasons(result)
    assert sorted(found) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "повторяется в строках 2, 6" in found[2] and found[2] == found[6]
    assert found[3] == "неизвестный код ОО «700999»"
    assert found[4] == "значение «7» в поле «Отметка» вне диапазона: нужно от 2 до 5"
    assert found[5] == "не заполнено поле «Предмет»"
    assert found[7] == "не число в поле «Первичный балл»: «девять»"
    assert "похоже на имя человека" in found[8] and "Иванов" not in found[8]
    assert "«Отметка по журналу» вне диапазона" in found[9]
    assert {r.line: r.school_code for r in result.rejected}[3] == "700999"
    assert result.rows_total == 9 and result.table.num_rows == 1
    assert result.rejected_counts["повтор участника"] == 2
    assert result.rejected[0].to_dict() == {
        "line": 2,
        "reason": found[2],
        "school_code": "700901",
    }


def test_the_same_pupil_in_another_subject_or_school_is_not_a_duplicate():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;1001;9;3;4",
        "2024;ВПР;700901;5;Русский язык;1001;9;3;4",
        "2024;ВПР;700902;5;Математика;1001;9;3;4",
        "2023;ВПР;700901;5;Математика;1001;9;3;4",
    )
    assert read_results(data, "a.csv", CODES).rejected == []


def test_non_numeric_pupil_codes_are_checked_for_duplicates_too():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;A-1;9;3;4",
        "2024;ВПР;700901;5;Математика;A-2;9;3;4",
        "2024;ВПР;700901;5;Математика;A-1;9;3;4",
    )
    assert sorted(reasons(read_results(data, "a.csv", CODES))) == [2, 4]


def test_duplicates_are_found_in_a_file_of_any_order_and_only_exact_codes_count():
    # Cells in no order (descending, interleaved), and codes equal in their low 32 bits
    # (1 and 4294967297): only the true repeat is refused.
    rows = [f"2024;ВПР;700902;{g};Математика;{100 + k};9;3;4" for g in (9, 8, 7) for k in range(40)]
    rows += [
        "2024;ВПР;700901;5;Математика;1;9;3;4",
        "2024;ВПР;700902;6;Математика;7;9;3;4",
        "2024;ВПР;700901;5;Математика;4294967297;9;3;4",
        "2024;ВПР;700902;6;Математика;7;9;3;4",
    ]
    found = reasons(read_results(csv_bytes(*rows), "a.csv", CODES))
    assert sorted(found) == [123, 125]
    assert "повторяется в строках 123, 125" in found[123]
    # The usual export, cell after cell (the sort that takes runs as they are).
    rows = [f"2024;ВПР;700901;5;Математика;{k};9;3;4" for k in range(200)]
    rows += [
        "2024;ВПР;700901;5;Математика;4294967346;9;3;4",
        "2024;ВПР;700901;5;Математика;50;9;3;4",
    ]
    found = reasons(read_results(csv_bytes(*rows), "a.csv", CODES))
    assert sorted(found) == [52, 203]


def test_blank_lines_and_empty_separator_lines_are_skipped_and_lines_stay_true():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;1;9;3;4",
        "",
        ";;;;;;;;",
        "2024;ВПР;700999;5;Математика;2;9;3;4",
    )
    result = read_results(data, "a.csv", CODES)
    assert result.rows_total == 2
    assert list(reasons(result)) == [5]


def test_a_line_with_a_wrong_number_of_columns_is_rejected_with_its_line():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;1;9;3;4",
        "2024;ВПР;700901;5;Математика;2;9",
        "2024;ВПР;700999;5;Математика;3;9;3;4",
    )
    result = read_results(data, "a.csv", CODES)
    found = reasons(result)
    assert found[3] == "неверное число столбцов: столбцов 7 вместо 9"
    assert found[4] == "неизвестный код ОО «700999»"
    assert result.rows_total == 3 and result.table.num_rows == 1


def test_odd_texts_in_number_columns_take_the_careful_path_with_the_same_outcome():
    clean = csv_bytes("2024;ВПР;700901;5;Математика;1;9;3;4", "2024;ВПР;700901;6;Математика;2;9;3;")
    odd = csv_bytes(
        "2024;ВПР;700901;5 класс;Математика;1;9,0;3;4", "2024;ВПР;700901; 6 ;Математика;2;9;3.0;"
    )
    assert read_results(odd, "a.csv", CODES).table.equals(read_results(clean, "a.csv", CODES).table)


def test_a_path_reads_like_bytes(tmp_path):
    data = csv_bytes("2024;ВПР;700901;5;Математика;1;9;3;4", "2024;ВПР;700999;5;Математика;2;9;3;4")
    path = tmp_path / "results.csv"
    path.write_bytes(data)
    from_path, from_bytes = read_results(path, "results.csv", CODES), read_results(data, "", CODES)
    assert from_path.table.equals(from_bytes.table)
    assert from_path.rejected == from_bytes.rejected


def test_missing_required_columns_are_listed():
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;3", header="Год;Процедура;Код ОО;Класс;Предмет;Отметка"
    )
    with pytest.raises(ResultsFileError) as error:
        read_results(data, "a.csv", CODES)
    assert str(error.value) == (
        "В файле нет обязательных столбцов: «Код участника», «Первичный балл»"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Файл пустой."),
        (b"   \n\n", "Файл пустой."),
        (b"\x00\x01\x02binary\x00garbage" * 100, "не CSV и не книга Excel"),
        (b"%PDF-1.7\n...", "не CSV и не книга Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "старом формате Excel"),
        ("какой-то текст\nбез заголовков\n".encode(), "Не найдена строка заголовков"),
        (HEADER.encode() + b"\n", "только заголовок"),
        (b"PK\x03\x04garbage", "не удалось открыть как книгу Excel"),
    ],
)
def test_files_that_are_not_results_are_refused(data, message):
    with pytest.raises(ResultsFileError) as error:
        read_results(data, "x", CODES)
    assert message in str(error.value)


def test_a_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)
    with pytest.raises(ResultsFileError, match="zip-бомб"):
        read_results(buffer.getvalue(), "bomb.xlsx", CODES)


def test_school_level_file_checks_participants_against_the_marks():
    header = (
        "Год;Процедура;Код ОО;Класс;Предмет;Участников;Кол-во «2»;3;marks_4;Количество отметок «5»"
    )
    data = csv_bytes(
        "2024;ВПР;700901;5;Математика;31;4;12;10;5",
        "2024;ВПР;700902;5;Математика;30;4;12;10;5",
        "2024;ВПР;700901;5;Математика;31;4;12;10;5",
        header=header,
    )
    result = read_results(data, "schools.csv", CODES)

    assert result.kind == "school"
    found = reasons(result)
    assert found[3] == "участников 30, а сумма отметок «2»–«5» равна 31"
    assert "повторяют одну и ту же ОО" in found[2] and found[2] == found[4]
    assert result.table.num_rows == 0

    ok = read_results(
        csv_bytes("2024;ВПР;700901;5;Математика;31;4;12;10;5", header=header), "", CODES
    )
    assert ok.table.to_pylist() == [
        {
            "year": 2024,
            "procedure": "ВПР",
            "school_code": "700901",
            "grade": 5,
            "subject": "Математика",
            "participants": 31,
            "n2": 4,
            "n3": 12,
            "n4": 10,
            "n5": 5,
        }
    ]


def test_xlsx_rows_are_numbered_as_in_excel():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Результаты"])
    sheet.append(
        [
            "Год",
            "Процедура",
            "Код ОО",
            "Класс",
            "Предмет",
            "Код участника",
            "Первичный балл",
            "Отметка",
        ]
    )
    sheet.append([2024, "ВПР", 700901, 5, "Математика", 1001, 9, 3])
    sheet.append([2024, "ВПР", 700999, 5, "Математика", 1002, 9.5, 4])
    buffer = io.BytesIO()
    book.save(buffer)

    result = read_results(buffer.getvalue(), "results.xlsx", CODES)

    assert reasons(result) == {4: "неизвестный код ОО «700999»"}
    assert result.table.to_pylist()[0]["school_code"] == "700901"


def test_listed_rejections_are_capped_but_all_are_counted():
    rows = [f"2024;ВПР;700999;5;Математика;{i};9;3;4" for i in range(MAX_LISTED_REJECTIONS + 5)]
    result = read_results(csv_bytes(*rows), "a.csv", CODES)
    assert len(result.rejected) == MAX_LISTED_REJECTIONS
    assert result.rejected_total == MAX_LISTED_REJECTIONS + 5
    assert result.rejected_counts == {"неизвестный код ОО": MAX_LISTED_REJECTIONS + 5}


def test_headers_and_subjects_are_recognised_in_their_usual_spellings():
    assert header_field("Параллель") == "grade"
    assert header_field("ОТМЕТКА ПО ЖУРНАЛУ") == "term_mark"
    assert header_field("Кол-во «2»") == "n2"
    assert header_field('кол-во "5"') == "n5"
    assert header_field("marks_3") == "n3"
    assert header_field("4") == "n4"
    assert header_field("Доля «2»") is None
    assert subject_name("русский") == "Русский язык"
    assert subject_name("Матем.") == "Математика"
    assert subject_name("математика (базовая)") == "Математика (базовая)"
    assert subject_name("Астрология") is None


marks = st.one_of(st.integers(-3, 9).map(str), st.sampled_from(["", "пять", "4.0", " 3 ", "2,0"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(marks, marks), min_size=1, max_size=20))
def test_any_marks_give_valid_rows_in_range_or_rejections(pairs):
    rows = [
        f"2024;ВПР;700901;5;Математика;{i};9;{mark};{term}" for i, (mark, term) in enumerate(pairs)
    ]
    result = read_results(csv_bytes(*rows), "a.csv", CODES)

    assert result.table.num_rows + result.rejected_total == result.rows_total == len(rows)
    assert all(2 <= m <= 5 for m in result.table["mark"].to_pylist())
    assert all(t is None or 2 <= t <= 5 for t in result.table["term_mark"].to_pylist())
    for line, (mark, _) in enumerate(pairs, start=2):
        stripped = mark.strip().replace(",", ".")
        fine = stripped.replace(".0", "") in {"2", "3", "4", "5"}
        if not fine:
            assert line in reasons(result)
