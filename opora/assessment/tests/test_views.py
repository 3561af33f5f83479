"""The assessment pages through the Django test client: results overview, imports with
progress, the methodology editor, runs with their lists, what-if, approval, exports, the school
card, who may see what, query counts and bad input.

Issue 5, «Pages» and «Beyond a list».
"""

import io
from datetime import date

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.assessment import services
from opora.assessment.forms import MethodologyForm
from opora.assessment.models import (
    BatchStatus,
    IdentificationRun,
    Methodology,
    ResultBatch,
    RunStatus,
)
from opora.registry.models import SchoolStatus, StatusKind
from opora.testing import FOREIGN_PK
from opora.testing.assessment import (
    EXPECTED_LOW,
    WHATIF_ENTERED,
    csv_bytes,
    html_of,
    import_bytes,
    make_region,
    put_cells,
    region_rows,
    stored_cells,
)
from opora.testing.factories import SchoolFactory, StatusFactory
from opora.testing.world import login_as

ROLES = ["region", "operator", "curator", "municipal", "school", "expert", "observer"]
SCOPED = ["curator", "municipal", "school"]


@pytest.fixture
def region(world):
    """The hand-made region of conftest, with three years imported by the regional user."""
    made = make_region(user=world.users.region)
    made.batch = import_bytes(made.user, csv_bytes(region_rows()))
    assert made.batch.status == BatchStatus.DONE
    return made


@pytest.fixture
def run(region):
    return services.create_run(region.user, services.default_methodology(), 2026)


def _world_results(world):
    """Results of the two home schools (the foreign one already has pk 9001 from conftest)."""
    rows = region_rows(years=(2026,), codes=["700901", "700902"])
    batch = import_bytes(world.users.region, csv_bytes(rows), "дом.csv")
    assert batch.status == BatchStatus.DONE, batch.message
    return batch


# ---------------------------------------------------------------- the results overview


def _many_results(world, n_schools: int) -> None:
    batch = ResultBatch.objects.create(file_name="много.csv", checksum="1" * 64, status="done")
    schools = [SchoolFactory(code=f"71{i:04d}", municipality=world.home) for i in range(n_schools)]
    put_cells(
        batch,
        [
            {
                "school_code": s.code,
                "year": 2026,
                "procedure": "ВПР",
                "grade": grade,
                "subject": subject,
                "participants": 20,
                "n2": i % 7,
                "n3": 5,
                "n4": 5,
                "n5": 10 - i % 7,
            }
            for i, s in enumerate(schools)
            for grade in (4, 5, 6)
            for subject in ("Математика", "Русский язык")
        ],
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_overview_renders_for_every_role_in_a_constant_number_of_queries(client, world, role):
    login_as(client, world, role)
    _world_results(world)
    url = reverse("assessment:overview")
    client.get(url)  # warm the per-request caches that do not depend on the rows
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    _many_results(world, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"procedure": "ВПР", "year": 2026})
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]
    html = html_of(response)
    assert 'data-testid="region-dist"' in html
    if role in ("region", "municipal", "curator", "operator", "expert", "observer"):
        assert "710039" in html  # the 40 extra schools are all in the home district


def test_the_overview_shows_the_distribution_by_hand(client, world):
    login_as(client, world)
    _world_results(world)
    response = client.get(
        reverse("assessment:overview"),
        {"procedure": "ВПР", "year": 2026, "grade": 5, "subject": "Математика"},
    )
    data = response.context
    # 700901 and 700902 have 10 pupils, no «2» (3, 4, 5 in turn); the foreign cell 6/2/1/1.
    assert data["region"]["participants"] == 30
    assert data["region"]["marks"] == [6, 2 + 4 + 4, 1 + 3 + 3, 1 + 3 + 3]
    home = next(m for m in data["municipalities"] if m["name"] == "Каргасокский район")
    assert home["marks"] == [0, 8, 6, 6]
    assert [s["code"] for s in data["schools"]][0] == "709001"  # most «2» first


@pytest.mark.parametrize("role", SCOPED)
def test_scoped_users_see_only_their_schools_in_the_overview(client, world, role):
    login_as(client, world, role)
    _world_results(world)
    html = html_of(client.get(reverse("assessment:overview"), {"grade": 5}))
    assert "700901" in html
    assert ("700902" in html) == (role != "school")
    assert "709001" not in html
    assert "Чуж" not in html


def test_the_region_sees_the_foreign_school_in_the_overview(client, world):
    login_as(client, world)
    html = html_of(client.get(reverse("assessment:overview")))
    assert "Чужая СОШ № 1" in html and "Чужой район" in html


# ---------------------------------------------------------------- imports


def test_upload_then_the_batch_page_with_its_progress(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world)
    make_region(user=world.users.region)
    data = csv_bytes(region_rows(years=(2026,)), encoding="cp1251")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment:batches"),
            {"file": SimpleUploadedFile("ВПР 2026.csv", data), "valid_only": ""},
        )
    batch = ResultBatch.objects.exclude(pk=FOREIGN_PK).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:batch", args=[batch.pk])

    page = client.get(response["Location"])
    html = html_of(page)
    assert "<html" in html
    assert 'data-testid="batch-status"' in html
    assert "Загружен" in html
    assert "загружено строк 452 из 452, школ 12; годы 2026; ВПР" in html
    assert "hx-get" not in html  # finished: no more polling

    listing = html_of(client.get(reverse("assessment:batches")))
    assert "ВПР 2026.csv" in listing


def test_a_queued_batch_is_polled_and_htmx_gets_only_the_status_block(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world)
    make_region(user=world.users.region)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(
            reverse("assessment:batches"),
            {"file": SimpleUploadedFile("r.csv", csv_bytes(region_rows(years=(2026,))))},
        )
    assert len(queued) == 1
    batch = ResultBatch.objects.exclude(pk=FOREIGN_PK).get()
    url = reverse("assessment:batch", args=[batch.pk])

    partial = html_of(client.get(url, headers={"HX-Request": "true"}))
    assert partial.lstrip().startswith("<div")
    assert "<html" not in partial
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert "В очереди" in partial and 'aria-valuenow="0"' in partial

    services.run_import(batch.pk)  # what the worker does
    partial = html_of(client.get(url, headers={"HX-Request": "true"}))
    assert "hx-get" not in partial
    assert "Загружен" in partial and 'aria-valuenow="100"' in partial


def test_a_refused_file_shows_its_rejected_rows(client, world, django_capture_on_commit_callbacks):
    login_as(client, world)
    make_region(user=world.users.region)
    rows = region_rows(years=(2026,))
    rows.append([2026, "ВПР", "800009", 5, "Математика", "99000002", 5, 7, ""])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment:batches"),
            {"file": SimpleUploadedFile("с ошибкой.csv", csv_bytes(rows))},
        )
    html = html_of(client.get(response["Location"]))
    assert "Отклонён" in html
    assert "В файле 1 ошибочных строк — файл не загружен." in html
    assert 'data-testid="rejected"' in html
    assert f"<td>{len(rows) + 1}</td><td>800009</td>" in html
    assert "значение «7» в поле «Отметка» вне диапазона: нужно от 2 до 5" in html
    assert not stored_cells(
        ResultBatch.objects.exclude(pk=FOREIGN_PK).values_list("pk", flat=True)
    ).num_rows


def test_an_empty_upload_is_a_form_error(client, world):
    login_as(client, world)
    response = client.post(
        reverse("assessment:batches"), {"file": SimpleUploadedFile("пусто.csv", b"")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ResultBatch.objects.count() == 1  # the foreign one


def test_deleting_a_batch_from_its_page(client, world, region):
    login_as(client, world)
    response = client.post(reverse("assessment:batch_delete", args=[region.batch.pk]), follow=True)
    assert "удалён вместе с его данными" in html_of(response)
    assert not [c for c in stored_cells()["school_code"].to_pylist() if c.startswith("8000")]


# ---------------------------------------------------------------- methodologies


def _methodology_post(m: Methodology, **changes) -> dict:
    data = MethodologyForm.initial_from(m) | changes
    if not data.get("exclude_biased"):
        data.pop("exclude_biased", None)
    return {k: v for k, v in data.items() if v is not None}


def test_the_methodology_form_saves_a_new_version(client, world):
    login_as(client, world)
    base = services.default_methodology()
    url = reverse("assessment:methodology_edit", args=[base.pk])
    form = html_of(client.get(url))
    assert 'name="percentile"' in form and 'value="90.0"' in form

    response = client.post(
        url, _methodology_post(base, percentile="80", grades="5, 6", description="Версия 2")
    )

    assert response.status_code == 302, response.context["form"].errors
    new = Methodology.objects.get(name=base.name, version=2)
    assert new.params["percentile"] == 80
    assert new.params["grades"] == [5, 6]
    assert new.is_default
    listing = html_of(client.get(reverse("assessment:methodologies")))
    assert "Версия 2" in listing
    assert "классы 5, 6; ≥ 5 участников; порог — 80-й процентиль, не ниже 10 %" in listing


def test_the_methodology_form_shows_russian_errors_and_saves_nothing(client, world):
    login_as(client, world)
    base = services.default_methodology()
    url = reverse("assessment:methodology_edit", args=[base.pk])
    before = Methodology.objects.count()
    response = client.post(
        url, _methodology_post(base, years_back="0", low_years_required="2", grades="5, пять")
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "Классы перечисляются числами через запятую" in html
    response = client.post(url, _methodology_post(base, years_back="0", low_years_required="2"))
    assert "Число лет с низкими результатами — от 1 до числа лет окна." in html_of(response)
    assert Methodology.objects.count() == before


# ---------------------------------------------------------------- runs


def test_creating_a_run_from_the_runs_page(client, world, region):
    login_as(client, world)
    m = services.default_methodology()
    page = client.get(reverse("assessment:runs"))
    assert page.status_code == 200
    response = client.post(reverse("assessment:runs"), {"methodology": m.pk, "year": 2026})
    run = IdentificationRun.objects.exclude(pk=FOREIGN_PK).get()
    assert response["Location"] == reverse("assessment:run", args=[run.pk])
    assert run.low_results == EXPECTED_LOW


def test_the_run_page_lists_explains_and_tabulates(client, world, run):
    login_as(client, world)
    response = client.get(reverse("assessment:run", args=[run.pk]))
    html = html_of(response)
    low_list = html[html.index('data-testid="low_results-list"') :]
    for code in EXPECTED_LOW:
        assert code in low_list
    assert "800007" not in low_list
    assert "Математика, 5 класс: доля «2» — 60 % при пороге 60 % (10 уч.)" in html
    assert "Математика, 6 класс: доля «2» — 60 % при пороге 57 % (10 уч.)" in html
    table = run.fair_table
    fair = html[html.index('data-testid="fair-table"') :][:1500]
    assert f"<td>{table['low']['worse']}</td><td>{table['low']['not_worse']}</td>" in fair
    assert f"<td>{table['not_low']['worse']}</td><td>{table['not_low']['not_worse']}</td>" in fair
    html = html_of(client.get(reverse("assessment:run", args=[run.pk]), {"list": "biased"}))
    biased = html[html.index('data-testid="biased-list"') :]
    assert "800003" in biased and "2026 — 100 % (40 из 40 результатов" in biased
    assert "800001" not in biased
    assert 'data-testid="approve-run-preview"' in html
    assert "Нет расчёта для сравнения." in html


def test_comparing_a_run_with_another(client, world, region, run):
    login_as(client, world)
    m = services.default_methodology()
    lower = services.save_methodology(
        region.user, m, name="Мягкая", description="", params={**m.params, "percentile": 50}
    )
    second = services.create_run(region.user, lower, 2026)
    html = html_of(client.get(reverse("assessment:run", args=[second.pk]), {"compare": run.pk}))
    comparison = html[html.index('data-testid="comparison"') :][:800]
    assert "Вошли (1):</strong> 800007" in comparison
    assert "Вышли (0):</strong> —" in comparison
    assert "Остались:</strong> 3" in comparison
    assert f"Сравнение с расчётом № {run.pk} (2026)" in html


def test_the_previous_year_is_compared_by_default(client, world, region, run):
    login_as(client, world)
    last_year = services.create_run(region.user, services.default_methodology(), 2025)
    # 2025 (window 2023–2025, nothing in 2023): 800002 is low in 2025 only, 800003 in both.
    assert last_year.low_results == ["800001", "800003", "800005"]
    html = html_of(client.get(reverse("assessment:run", args=[run.pk])))
    assert f"Сравнение с расчётом № {last_year.pk} (2025)" in html
    comparison = html[html.index('data-testid="comparison"') :][:800]
    assert "Вошли (1):</strong> 800002" in comparison
    assert "Вышли (1):</strong> 800003" in comparison


def test_what_if_shows_the_difference_and_saves_nothing(client, world, run):
    login_as(client, world)
    runs, methodologies = IdentificationRun.objects.count(), Methodology.objects.count()
    url = reverse("assessment:run_whatif", args=[run.pk])

    page = html_of(client.get(url))
    assert 'data-testid="whatif"' not in page
    assert 'name="percentile" value="90,0"' in page

    html = html_of(client.get(url, {"percentile": "50"}))
    block = html[html.index('data-testid="whatif"') :]
    assert "Новый список ШНОР: 4 школы (было 3); осталось 3" in block
    entered = block[block.index("Вошли бы") : block.index("Вышли бы")]
    for code in WHATIF_ENTERED:
        assert code in entered
    assert "Вышли бы (0)" in block
    html = html_of(client.get(url, {"percentile": "90", "low_years_required": "1"}))
    block = html[html.index('data-testid="whatif"') :]
    entered = block[block.index("Вошли бы") : block.index("Вышли бы")]
    assert "800004" in entered  # low in 2026 only: enough when one year is
    # Pooling small cells is a what-if too: 800008's four 3-pupil cells of 2026 pooled over
    # the grades make two cells of 6, all «2» — low in 2026, still only one low year.
    html = html_of(client.get(url, {"pool_small": "grades"}))
    block = html[html.index('data-testid="whatif"') :]
    assert "Новый список ШНОР: 3 школы (было 3); осталось 3" in block
    assert 'data-testid="whatif-small"' in block
    assert '<option value="grades" selected>' in html
    assert (IdentificationRun.objects.count(), Methodology.objects.count()) == (
        runs,
        methodologies,
    )
    run.refresh_from_db()
    assert run.low_results == EXPECTED_LOW


def test_approving_a_run_from_its_page(client, world, region, run):
    login_as(client, world)
    response = client.post(
        reverse("assessment:run_approve", args=[run.pk]),
        {"kind": "распоряжение ДОО ТО", "number": "123-р", "day": "2026-09-01"},
        follow=True,
    )
    html = html_of(response)
    assert "Списки утверждены: статусы 2026 года заданы у" in html
    assert 'data-testid="run-status">утверждён' in html
    assert "распоряжение ДОО ТО от 01.09.2026 № 123-р" in html
    assert 'data-testid="approve-run-preview"' not in html
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    low = SchoolStatus.objects.filter(year=2026, kind=StatusKind.LOW_RESULTS, source="regional")
    assert sorted(low.values_list("school__code", flat=True)) == EXPECTED_LOW
    # The world's own 2026 regional status of 700901 is replaced by the computed list.
    assert not low.filter(school=world.home_school).exists()


def test_approval_first_shows_what_changes_against_the_current_lists(client, world, region, run):
    """Before the statuses are replaced the region sees who enters, who leaves and who stays;
    a school on the federal list stays whatever the run says."""
    federal = region.schools["800003"]
    StatusFactory(school=federal, source="federal")
    StatusFactory(school=region.schools["800001"])  # already on the region's list
    login_as(client, world)

    html = html_of(client.get(reverse("assessment:run_approve", args=[run.pk])))

    assert "Утверждение списков 2026 года по расчёту" in html
    low = html[html.index('data-testid="list-change-low_results"') :]
    low = low[: low.index("</div></div></div>")]
    # 800002 and 800005 enter; the world's regional statuses (700901 …) leave; 800001 stays.
    leaving = (
        SchoolStatus.objects.filter(year=2026, kind=StatusKind.LOW_RESULTS, source="regional")
        .exclude(school__code__in=EXPECTED_LOW)
        .count()
    )
    assert 'data-testid="entered-low_results">2<' in low
    assert "800002" in low and "800005" in low
    assert f'data-testid="left-low_results">{leaving}<' in low and "700901" in low
    assert 'data-testid="stayed-low_results">1<' in low
    assert "федеральный список" in low and "800003" in low
    assert run.status == RunStatus.DRAFT
    assert SchoolStatus.objects.filter(school=world.home_school).exists()  # nothing written


def test_approval_without_a_number_is_refused_with_a_message(client, world, run):
    login_as(client, world)
    response = client.post(
        reverse("assessment:run_approve", args=[run.pk]),
        {"kind": "распоряжение", "number": "", "day": "вчера"},
        follow=True,
    )
    assert "Укажите вид, номер и дату документа." in html_of(response)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_exports_list_the_codes_and_the_appendix_follows_the_approval(client, world, region, run):
    login_as(client, world)
    response = client.get(reverse("assessment:run_export", args=[run.pk, "xlsx"]))
    assert response["Content-Disposition"] == f'attachment; filename="lists-2026-{run.pk}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    listed = {r[2]: r for r in rows}
    assert set(listed) == set(run.low_results) | set(run.unfavourable)
    assert listed["800001"][4] == "да"
    assert listed["800001"][3] == "МБОУ «СОШ № 1» (код 800001)"
    assert listed["800001"][1] == "Северный район"

    draft = _docx_text(client.get(reverse("assessment:run_export", args=[run.pk, "docx"])).content)
    assert draft.splitlines()[0] == "ПРОЕКТ"
    assert "Приложение к" not in draft
    for code in EXPECTED_LOW:
        assert code in draft

    services.approve_run(
        region.user, run, kind="распоряжение ДОО ТО", number="7-р", day=date(2026, 9, 1)
    )
    approved = _docx_text(
        client.get(reverse("assessment:run_export", args=[run.pk, "docx"])).content
    )
    assert approved.splitlines()[0] == "Приложение к распоряжению ДОО ТО от 01.09.2026 № 7-р"
    assert "ПРОЕКТ" not in approved
    assert client.get(reverse("assessment:run_export", args=[run.pk, "pdf"])).status_code == 404


# ---------------------------------------------------------------- the school card


def test_the_school_card_shows_its_results_and_why_it_is_listed(client, world, region, run):
    login_as(client, world)
    html = html_of(client.get(reverse("registry:school", args=[region.schools["800001"].pk])))
    panel = html[html.index('data-testid="school-results"') :]
    assert f"Расчёт № {run.pk} на 2026 год (расчёт)" in panel
    assert '<span class="badge badge-lowres">ШНОР</span>' in panel
    why = panel[panel.index('data-testid="why"') :]
    assert "ШНОР в 2026 году: низкие результаты в годы 2024, 2025, 2026" in why
    assert "Математика, 5 класс: доля «2» — 60 % при пороге 60 %" in why
    # Journal marks are all «4»: per subject 6 «2» + 2 «3» below, 1 «4» equal, 1 «5» above
    # in each of two grades.
    assert "Отметки ВПР 2026 и отметки по журналу" in panel
    assert '<td>Математика</td><td class="text-end">20</td>' in panel
    assert "<td>2026</td><td>ВПР</td><td>5</td><td>Математика</td>" in panel


def test_the_card_of_a_school_not_listed_says_so(client, world, region, run):
    login_as(client, world)
    html = html_of(client.get(reverse("registry:school", args=[region.schools["800009"].pk])))
    panel = html[html.index('data-testid="school-results"') :]
    assert "в списки не входит" in panel
    # The fair view names the schools it compares with, with their results.
    similar = panel[panel.index('data-testid="comparison-schools"') :][:3000]
    assert "Школы в похожих условиях" in similar
    assert similar.count("<tr><td>8000") == 10
    assert "Среднее по похожим школам" in similar


def test_a_school_user_sees_its_own_panel_and_nothing_foreign(client, world):
    login_as(client, world, "school")
    _world_results(world)
    html = html_of(client.get(reverse("registry:school", args=[world.home_school.pk])))
    panel = html[html.index('data-testid="school-results"') :]
    assert "<td>2026</td><td>ВПР</td><td>5</td><td>Математика</td>" in panel
    assert "Чуж" not in html


# ---------------------------------------------------------------- who may see what


def _region_pages(run, batch) -> list[str]:
    return [
        reverse("assessment:runs"),
        reverse("assessment:run", args=[run.pk]),
        reverse("assessment:run_whatif", args=[run.pk]),
        reverse("assessment:run_export", args=[run.pk, "xlsx"]),
        reverse("assessment:run_export", args=[run.pk, "docx"]),
        reverse("assessment:methodologies"),
        reverse("assessment:methodology_edit", args=[run.methodology_id]),
        reverse("assessment:batches"),
        reverse("assessment:batch", args=[batch.pk]),
    ]


@pytest.mark.parametrize("role", SCOPED)
def test_scoped_users_get_403_on_runs_methodologies_and_batches(client, world, role):
    login_as(client, world, role)
    run = IdentificationRun.objects.get(pk=FOREIGN_PK)
    batch = ResultBatch.objects.get(pk=FOREIGN_PK)
    for url in _region_pages(run, batch):
        assert client.get(url).status_code == 403, url
    for name in ("run_approve",):
        response = client.post(
            reverse(f"assessment:{name}", args=[run.pk]),
            {"kind": "р", "number": "1", "day": "2026-01-01"},
        )
        assert response.status_code == 403
    assert client.post(reverse("assessment:batch_delete", args=[batch.pk])).status_code == 403
    assert client.post(reverse("assessment:runs"), {"year": 2026}).status_code == 403
    assert ResultBatch.objects.filter(pk=FOREIGN_PK).exists()
    assert IdentificationRun.objects.get(pk=FOREIGN_PK).status == RunStatus.DRAFT


@pytest.mark.parametrize("role", ["expert", "observer"])
def test_read_only_roles_see_runs_but_change_nothing(client, world, role):
    login_as(client, world, role)
    run = IdentificationRun.objects.get(pk=FOREIGN_PK)
    assert client.get(reverse("assessment:run", args=[run.pk])).status_code == 200
    assert client.get(reverse("assessment:batches")).status_code == 403
    response = client.post(
        reverse("assessment:run_approve", args=[run.pk]),
        {"kind": "р", "number": "1", "day": "2026-01-01"},
    )
    assert response.status_code == 403
    assert client.post(reverse("assessment:runs"), {"year": 2026}).status_code == 403
    assert IdentificationRun.objects.count() == 1


# ---------------------------------------------------------------- bad input


GARBAGE = ["abc", "", "-1", "0", "99999999999999999999999", "1e400", "nan", "<script>", "5.5"]


def test_garbage_parameters_never_give_a_server_error(client, world, run):
    login_as(client, world)
    overview = reverse("assessment:overview")
    page = reverse("assessment:run", args=[run.pk])
    whatif = reverse("assessment:run_whatif", args=[run.pk])
    for value in GARBAGE:
        for name in ("procedure", "year", "grade", "subject"):
            response = client.get(overview, {name: value})
            assert response.status_code == 200, (name, value)
        for name in ("compare", "list", "municipality", "q", "page"):
            assert client.get(page, {name: value}).status_code == 200, (name, value)
        for name in (
            "percentile",
            "min_threshold",
            "min_participants",
            "low_cell_share",
            "low_years_required",
            "context_percentile",
        ):
            response = client.get(whatif, {name: value})
            assert response.status_code == 200, (name, value)
    shown = client.get(overview, {"year": "1990", "grade": "42"}).context
    assert (shown["year"], shown["grade"]) == (2026, None)  # what the selects show
    response = client.post(reverse("assessment:runs"), {"methodology": "x", "year": "две тысячи"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(reverse("assessment:batch", args=[123456])).status_code == 404
    assert client.get(reverse("assessment:run", args=[123456])).status_code == 404


def test_what_if_explains_bad_values_in_russian(client, world, run):
    login_as(client, world)
    url = reverse("assessment:run_whatif", args=[run.pk])
    html = html_of(client.get(url, {"percentile": "150"}))
    assert "Процентиль — от 0 до 100." in html
    assert 'data-testid="whatif"' not in html
    html = html_of(client.get(url, {"min_participants": "0"}))
    assert "Минимум участников в ячейке — от 1 до 10 000." in html
