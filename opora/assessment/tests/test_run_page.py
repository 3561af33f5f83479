"""The run page at a region's scale (issue 16, «Pages fast at a region's scale»): a run's
schools are read a page at a time, filtered by list, municipality and name in the database,
in the same number of queries for 10 schools as for 100; the school card reads its own row.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.assessment import services
from opora.assessment.models import IdentificationRun, RunSchool
from opora.assessment.selectors import RUN_PAGE_SIZE, school_explanation
from opora.testing.assessment import html_of
from opora.testing.factories import MunicipalityFactory, SchoolFactory
from opora.testing.world import login_as


def _run(world) -> IdentificationRun:
    methodology = services.default_methodology()
    return IdentificationRun.objects.create(
        methodology=methodology, params=methodology.params, year=2026, batch_ids=[]
    )


def _add_schools(run, n: int, *, start: int = 0, municipality=None, biased_every: int = 0):
    """``n`` schools of the registry on the run's ШНОР list, each with its explanation."""
    municipality = municipality or MunicipalityFactory()
    rows = []
    for i in range(start, start + n):
        school = SchoolFactory(
            code=f"77{i:04d}", full_name=f"МБОУ «Школа {i}»", municipality=municipality
        )
        biased = bool(biased_every) and i % biased_every == 0
        rows.append(
            RunSchool(
                run=run,
                code=school.code,
                school=school,
                low_results=True,
                biased=biased,
                explanation={"lines": [f"Пояснение школы {school.code}"], "biased": biased},
            )
        )
    RunSchool.objects.bulk_create(rows)


def _queries(client, url, params=None) -> tuple[int, str]:
    client.get(url, params)  # warm the per-request caches that do not depend on the rows
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), html_of(response)


def test_the_run_page_reads_the_same_number_of_queries_for_10_and_100_schools(client, world):
    login_as(client, world)
    run = _run(world)
    url = reverse("assessment:run", args=[run.pk])
    _add_schools(run, 10, biased_every=3)
    few, _ = _queries(client, url)
    few_filtered, _ = _queries(client, url, {"list": "biased", "q": "школа"})
    _add_schools(run, 90, start=10, biased_every=3)
    many, html = _queries(client, url)
    many_filtered, _ = _queries(client, url, {"list": "biased", "q": "школа"})
    assert (many, many_filtered) == (few, few_filtered)
    assert html.count('class="accordion-item"') == RUN_PAGE_SIZE


def test_the_run_page_pages_its_schools(client, world):
    login_as(client, world)
    run = _run(world)
    _add_schools(run, 120)
    url = reverse("assessment:run", args=[run.pk])
    first = html_of(client.get(url))
    assert "770000" in first and "770049" in first and "770050" not in first
    assert "стр. 1 из 3 · 120 школ" in first
    third = html_of(client.get(url, {"page": 3}))
    assert third.count('class="accordion-item"') == 20
    assert "770119" in third and "770000" not in third
    assert "Пояснение школы 770119" in third
    past_the_end = html_of(client.get(url, {"page": 99}))
    assert "770119" in past_the_end  # the last page, not an error


def test_the_run_page_filters_by_list_municipality_and_name(client, world):
    login_as(client, world)
    run = _run(world)
    north, south = MunicipalityFactory(name="Северный район"), MunicipalityFactory(name="Южный")
    _add_schools(run, 6, municipality=north, biased_every=2)
    _add_schools(run, 4, start=6, municipality=south)
    SchoolFactory(code="779999", full_name="МКОУ «Ёлочкинская СОШ»", municipality=south)
    RunSchool.objects.create(
        run=run, code="779999", school_id=SchoolFactory._meta.model.objects.get(code="779999").pk,
        unfavourable=True, explanation={"lines": ["ШНСУ: индекс контекста высок"]},
    )  # fmt: skip
    url = reverse("assessment:run", args=[run.pk])

    biased = html_of(client.get(url, {"list": "biased"}))
    shown = biased[biased.index('data-testid="biased-list"') :]
    assert {"770000", "770002", "770004"} <= set(_codes(shown))
    assert not {"770001", "770003", "770006"} & set(_codes(shown))

    in_south = html_of(client.get(url, {"list": "all", "municipality": south.pk}))
    assert set(_codes(in_south[in_south.index('data-testid="all-list"') :])) == {
        "770006", "770007", "770008", "770009", "779999",
    }  # fmt: skip

    # The name as typed: capitals, «е» for «ё», quotes — found in the stored search form.
    for typed in ("ЕЛОЧКИНСКАЯ", "«Ёлочкинская»", '"елочкинская сош"', "779999"):
        found = html_of(client.get(url, {"list": "unfavourable", "q": typed}))
        assert _codes(found[found.index('data-testid="unfavourable-list"') :]) == ["779999"]
    nothing = html_of(client.get(url, {"q": "елочкинская"}))  # not on the ШНОР list
    assert "Нет школ по этим условиям." in nothing


def test_the_school_card_reads_its_own_row_of_the_run(world):
    run = _run(world)
    _add_schools(run, 30)
    school = RunSchool.objects.get(run=run, code="770007").school
    with CaptureQueriesContext(connection) as captured:
        found, explanation = school_explanation(school)
    assert found == run and explanation["lines"] == ["Пояснение школы 770007"]
    assert len(captured) == 3  # approved run? latest run; this school's row
    assert "770008" not in " ".join(q["sql"] for q in captured)


def _codes(html: str) -> list[str]:
    import re

    return re.findall(r'<span class="me-2">(\d{6})</span>', html)


@pytest.mark.parametrize("page", ["", "2", "abc", "-1", "99999999999999999999999"])
def test_a_page_out_of_range_is_never_an_error(client, world, page):
    login_as(client, world)
    run = _run(world)
    _add_schools(run, 3)
    assert client.get(reverse("assessment:run", args=[run.pk]), {"page": page}).status_code == 200
