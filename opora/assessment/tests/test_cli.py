"""The command line of issue 5: ``opora import-results``, ``opora identify`` and
``opora generate-results``, through ``call_command`` and, for the exit codes, the installed
``opora`` in another process reading a copy of the test database.
"""

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from opora.assessment import services
from opora.assessment.models import BatchStatus, ResultBatch
from opora.assessment.synthetic import default_codes
from opora.testing.assessment import (
    EXPECTED_BIASED,
    EXPECTED_LOW,
    EXPECTED_UNFAVOURABLE,
    csv_bytes,
    import_bytes,
    region_rows,
    stored_cells,
)
from opora.testing.factories import MunicipalityFactory, SchoolFactory

OPORA = str(Path(__file__).resolve().parents[3] / ".venv" / "bin" / "opora")
BAD_ROW = [2026, "ВПР", "800009", 5, "Математика", "99000002", 5, 7, ""]


def _json(capsys) -> dict:
    out = capsys.readouterr().out
    assert out.count("\n") <= 1, "one JSON document and nothing else on stdout"
    return json.loads(out)


def _file(tmp_path, rows, name="ВПР.csv", **kwargs) -> str:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kwargs))
    return str(path)


# ---------------------------------------------------------------- import-results


def test_import_results_prints_the_batch_as_json(region, tmp_path, capsys):
    rows = region_rows()
    call_command("import-results", _file(tmp_path, rows, encoding="cp1251"), "--json")

    printed = _json(capsys)
    batch = ResultBatch.objects.get()
    assert printed["batch"] == batch.pk
    assert (printed["rows"], printed["schools"], printed["rejected"]) == (len(rows), 12, [])
    assert batch.status == BatchStatus.DONE
    assert stored_cells().num_rows == 12 * 4 * 3


def test_the_same_file_again_changes_nothing(region, tmp_path, capsys):
    path = _file(tmp_path, region_rows(years=(2026,)))
    call_command("import-results", path, "--json")
    first = _json(capsys)
    call_command("import-results", path, "--json")
    again = _json(capsys)
    assert again["batch"] == first["batch"]
    assert again["already_imported"] is True
    assert ResultBatch.objects.count() == 1


def test_a_refused_file_exits_1_and_lists_the_rejected_rows(region, tmp_path, capsys):
    rows = region_rows(years=(2026,)) + [BAD_ROW]
    with pytest.raises(SystemExit) as exit_:
        call_command("import-results", _file(tmp_path, rows), "--json")
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    assert printed["batch"] is None
    assert printed["rows"] == 0
    assert printed["rejected"] == [
        {
            "line": len(rows) + 1,
            "reason": "значение «7» в поле «Отметка» вне диапазона: нужно от 2 до 5",
            "school_code": "800009",
        }
    ]
    assert "Файл отклонён: В файле 1 ошибочных строк" in captured.err
    assert not stored_cells().num_rows


def test_valid_only_imports_the_rest(region, tmp_path, capsys):
    rows = region_rows(years=(2026,)) + [BAD_ROW]
    call_command("import-results", _file(tmp_path, rows), "--valid-only", "--json")
    printed = _json(capsys)
    assert printed["batch"] == ResultBatch.objects.get(status=BatchStatus.DONE).pk
    assert printed["rows"] == len(rows) - 1
    assert [r["line"] for r in printed["rejected"]] == [len(rows) + 1]


def test_without_json_it_speaks_russian(region, tmp_path, capsys):
    call_command("import-results", _file(tmp_path, region_rows(years=(2026,))))
    assert capsys.readouterr().out.startswith("Пакет № ")
    with pytest.raises(SystemExit):
        call_command("import-results", _file(tmp_path, [BAD_ROW], name="bad.csv"))
    err = capsys.readouterr().err
    assert "Файл отклонён" in err and "строка 2: значение «7»" in err


def test_a_missing_file_is_a_command_error(region, tmp_path):
    with pytest.raises(CommandError, match="Файл не найден"):
        call_command("import-results", str(tmp_path / "нет.csv"), "--json")


# ---------------------------------------------------------------- identify


def test_identify_prints_the_lists_a_run_would_make(imported, capsys):
    call_command("identify", "--year", "2026", "--json")
    printed = _json(capsys)
    assert set(printed) == {"year", "low_results", "unfavourable", "biased", "seconds"}
    assert printed["year"] == 2026
    assert printed["low_results"] == EXPECTED_LOW
    assert printed["unfavourable"] == EXPECTED_UNFAVOURABLE
    assert printed["biased"] == EXPECTED_BIASED
    assert isinstance(printed["seconds"], float)

    run = services.create_run(imported.user, services.default_methodology(), 2026)
    assert (run.low_results, run.unfavourable, run.biased) == (
        printed["low_results"],
        printed["unfavourable"],
        printed["biased"],
    )


def test_identify_with_a_named_methodology(imported, capsys):
    m = services.default_methodology()
    services.save_methodology(
        imported.user, m, name="Мягкая", description="", params={**m.params, "percentile": 50}
    )
    call_command("identify", "--year", "2026", "--methodology", "Мягкая", "--json")
    assert _json(capsys)["low_results"] == sorted(EXPECTED_LOW + ["800007"])
    call_command("identify", "--year", "2026")
    assert capsys.readouterr().out.startswith("2026: ШНОР — 3, ШНСУ — 3")
    with pytest.raises(CommandError, match="Методика «Нет такой» не найдена"):
        call_command("identify", "--year", "2026", "--methodology", "Нет такой")


# ---------------------------------------------------------------- generate-results


def test_generate_results_writes_a_labelled_synthetic_region_that_imports(region, tmp_path, capsys):
    out = tmp_path / "synthetic"
    call_command(
        "generate-results", "--schools", "20", "--years", "2024-2026", "--out", str(out), "--json"
    )
    printed = _json(capsys)
    assert "синтетические данные" in printed["note"]
    assert printed["schools"] == 20
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "synthetic_passports.csv",
        "synthetic_results_2024.csv",
        "synthetic_results_2025.csv",
        "synthetic_results_2026.csv",
        "synthetic_truth.json",  # the planted inflating schools: the bias benchmark's truth
    ]
    truth = json.loads((out / "synthetic_truth.json").read_text(encoding="utf-8"))
    assert set(truth) == {"note", "inflating_persistent", "inflating_new", "low_schools"}
    assert printed["rows"] == sum(printed["rows_by_year"].values()) > 20 * 3 * 10

    # The files are in the format the importer reads, for the schools of default_codes.
    district = MunicipalityFactory(name="Синтетический район")
    for code in default_codes(20):
        SchoolFactory(code=code, municipality=district)
    batch = import_bytes(
        region.user, (out / "synthetic_results_2026.csv").read_bytes(), "synthetic.csv"
    )
    assert batch.status == BatchStatus.DONE, batch.message
    assert (batch.rows, batch.schools) == (printed["rows_by_year"]["2026"], 20)


@pytest.mark.parametrize("years", ["2026-2024", "abc", "1990-1991", "2000-2090"])
def test_generate_results_refuses_bad_years(tmp_path, years, db):
    with pytest.raises(CommandError, match="Годы указываются так"):
        call_command("generate-results", "--schools", "5", "--years", years, "--out", str(tmp_path))


def test_generate_results_refuses_a_negative_number_of_schools(tmp_path, db):
    with pytest.raises(CommandError, match="отрицательным"):
        call_command(
            "generate-results", "--schools", "-3", "--years", "2026", "--out", str(tmp_path)
        )


# ---------------------------------------------------------------- exit codes, for real


def _database_url(tmp_path) -> str:
    """The test database as another process can open it (SQLite: a copy in a file)."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    s = connection.settings_dict
    host, port = s["HOST"] or "localhost", s["PORT"] or 5432
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{port}/{s['NAME']}"


def test_the_installed_command_exits_1_on_a_refused_file_and_0_on_a_good_one(
    transactional_db, tmp_path
):
    from opora.testing.assessment import make_region

    make_region()
    bad = _file(tmp_path, region_rows(years=(2026,)) + [BAD_ROW], name="bad.csv")
    good = _file(tmp_path, region_rows(years=(2025,)), name="good.csv")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp_path),
        "OPORA_DATA_DIR": str(tmp_path / "data"),
    }
    running = {
        name: subprocess.Popen(
            [OPORA, "import-results", path, "--json"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, path in {"bad": bad, "good": good}.items()
    }
    done = {name: (p.communicate(timeout=120), p.returncode) for name, p in running.items()}

    (out, err), code = done["bad"]
    assert code == 1, err
    assert json.loads(out)["rejected"][0]["line"] == 2 + len(region_rows(years=(2026,)))
    assert "Файл отклонён" in err and "Traceback" not in err

    (out, err), code = done["good"]
    assert code == 0, err
    printed = json.loads(out)
    assert (printed["rows"], printed["schools"], printed["rejected"]) == (
        len(region_rows(years=(2025,))),
        12,
        [],
    )
    assert err == ""
    assert list((tmp_path / "data" / "results").glob("*/year=2025/procedure=ВПР/batch-*.parquet"))
