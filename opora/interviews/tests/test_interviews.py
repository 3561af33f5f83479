"""Interviews and recommendations (issue 6): the protocol of seed 000 imported from Word, the
catalogue of repeated recommendations, tracking through roadmap events, overdue control,
scopes, the command line, bad files, the Word export and the tracker's query count.
"""

import io
import json
import subprocess
import sys
import zipfile
from datetime import date, timedelta

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import FOREIGN_PK, shared_dir
from opora.interviews import demo as demo_interviews
from opora.interviews import documents as interview_documents
from opora.interviews import selectors as interview_selectors
from opora.interviews import services as svc
from opora.interviews.models import Interview, InterviewProtocol, ProtocolAssignment
from opora.interviews.readers import protocol_file
from opora.interviews.readers.protocol import read_protocol
from opora.recommendations import catalogue as rec_catalogue
from opora.recommendations import selectors as recommendation_selectors
from opora.recommendations import services as recommendation_services
from opora.recommendations import suggestions
from opora.recommendations.models import (
    Recommendation,
    RecommendationStatus,
    RecommendationTemplate,
)
from opora.registry.demo import MUNICIPALITIES
from opora.registry.models import Municipality, Organisation, OrganisationKind, Region
from opora.roadmaps import services as roadmap_services
from opora.roadmaps.models import EventPeriod, ProgressStatus, Roadmap, RoadmapEvent

SAMPLE = "000_interview_protocol_2020.docx"
DATES = [date(2020, 6, 17), date(2020, 6, 18), date(2020, 6, 19), date(2020, 6, 22)]
CONTESTS = (
    "использовать региональные профессиональные конкурсы для педагогов в качестве механизма "
    "повышения профессионального мастерства"
)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Stashed uploads (the preview → confirm pattern) go to a temporary folder."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"


def _sample_bytes() -> bytes:
    return (shared_dir() / "samples" / SAMPLE).read_bytes()


def _registry(world, aliases: bool = True) -> dict[str, Municipality]:
    """The 20 municipalities of seed 000 as the registry holds them (demo names and aliases)."""
    region = Region.objects.first()
    found = {}
    for name, kind, spelled in MUNICIPALITIES:
        municipality, _ = Municipality.objects.get_or_create(
            name=name, defaults={"region": region, "kind": kind}
        )
        municipality.aliases = list(spelled) if aliases else []
        municipality.save()
        found[name] = municipality
    return found


def _preview(world):
    return svc.protocol_preview(
        protocol_file.read_protocol_file(_sample_bytes()), Municipality.objects.all()
    )


def _import(world, user="region") -> InterviewProtocol:
    preview = _preview(world)
    return svc.import_protocol(
        world["users"][user],
        preview,
        municipalities=[b.municipality for b in preview.blocks],
        revision_due=preview.file.cover.revision_due,
        source_name=SAMPLE,
    )


def _roadmap(world, municipality=None, text="Организация и проведение профессиональных конкурсов"):
    """A municipal roadmap of the home district with one event of two reporting periods."""
    municipality = municipality or world["home"]
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=municipality,
        title=f"Дорожная карта: {municipality.name}",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    event = RoadmapEvent.objects.create(
        roadmap=roadmap, order=1, number="26", text=text, deadline_text="март, апрель 2026"
    )
    EventPeriod.objects.create(event=event, start=date(2026, 3, 1), end=date(2026, 3, 31))
    EventPeriod.objects.create(event=event, start=date(2026, 4, 1), end=date(2026, 4, 30))
    return roadmap, event


def _report_all_done(user, event):
    for period in event.periods.all():
        roadmap_services.report_progress(
            user, event, status=ProgressStatus.DONE, period=period, done_on=period.end
        )


def _home_recommendation(world, **fields) -> Recommendation:
    protocol = InterviewProtocol.objects.create(title="ПРОТОКОЛ собеседования")
    interview = Interview.objects.create(
        protocol=protocol, municipality=world["home"], date=date(2026, 2, 1)
    )
    fields.setdefault("text", CONTESTS)
    return Recommendation.objects.create(interview=interview, municipality=world["home"], **fields)


# --- import of the sample protocol --------------------------------------------------------------


def test_the_sample_gives_20_municipalities_on_4_dates_and_105_recommendations(world):
    registry = _registry(world)
    preview = _preview(world)

    assert preview.dates == DATES
    assert len(preview.blocks) == 20
    assert preview.recommendation_count == 105
    assert not preview.unmatched
    by_written = {b.written: b.municipality for b in preview.blocks}
    assert by_written["Бакcharский район"] == registry["Бакчарский район"]
    assert by_written["ЗАО «Северск»"] == registry["ЗАТО Северск"]
    assert by_written["г.Томск"] == registry["Город Томск"]
    assert by_written["г.о. Стрежевой"] == registry["Городской округ Стрежевой"]
    cover = preview.file.cover
    assert (cover.number, cover.date, cover.revision_due) == (
        "57-3401",
        date(2020, 7, 24),
        date(2020, 8, 3),
    )


def test_importing_the_sample_saves_everything_in_one_go(world):
    registry = _registry(world)
    Organisation.objects.create(
        short_name="ТОИПКРО",
        name="Томский областной институт повышения квалификации",
        kind=OrganisationKind.REGIONAL_OPERATOR,
        abbreviations=["ТОИПКРО"],
    )
    protocol = _import(world)

    assert protocol.interviews.count() == 20
    assert sorted({i.date for i in protocol.interviews.all()}) == DATES
    recommendations = Recommendation.objects.filter(interview__protocol=protocol)
    assert recommendations.count() == 105
    # Due date by default: «Доработанные муниципальные дорожные карты … до 3 августа 2020 года».
    assert protocol.revision_due == date(2020, 8, 3)
    assert set(recommendations.values_list("due_date", flat=True)) == {date(2020, 8, 3)}
    assert protocol.document_number == "57-3401"
    bakchar = protocol.interviews.get(municipality=registry["Бакчарский район"])
    assert bakchar.name_as_written == "Бакcharский район"  # what was written is kept
    assert bakchar.recommendations.count() == 9
    assert bakchar.date == date(2020, 6, 17)
    first = protocol.interviews.get(order=0).recommendations.order_by("order").first()
    assert first.raw.startswith("- организовывать участие 100 %")
    assert first.text == (
        "организовывать участие 100 % педагогов в курсах повышения квалификации по работе с "
        "образовательными результатами"
    )
    assignments = list(protocol.assignments.order_by("order"))
    assert [a.addressee for a in assignments] == ["ТОИПКРО"] * 3
    assert assignments[0].organisation.short_name == "ТОИПКРО"
    assert len(assignments[0].items) == 7
    assert protocol.participants[0] == "Вторина Е.В., заместитель начальника ДОО ТО"
    assert len(protocol.agenda) == 3
    # Recorded for the user who imported it.
    assert protocol.history.first().history_user == world["users"]["region"]


def test_unmatched_municipalities_must_be_chosen_before_saving(world):
    _registry(world, aliases=False)
    Municipality.objects.filter(name="Бакчарский район").update(name="Бакчарский округ")
    preview = _preview(world)
    assert [b.written for b in preview.unmatched] == ["Бакcharский район"]

    chosen = [b.municipality for b in preview.blocks]
    with pytest.raises(ValidationError, match="Бакcharский район"):
        svc.import_protocol(world["users"]["region"], preview, municipalities=chosen)
    assert InterviewProtocol.objects.exclude(pk=FOREIGN_PK).count() == 0

    chosen[2] = Municipality.objects.get(name="Бакчарский округ")
    protocol = svc.import_protocol(world["users"]["region"], preview, municipalities=chosen)
    assert protocol.interviews.get(order=2).municipality.name == "Бакчарский округ"


@pytest.mark.parametrize("role", ["municipal", "curator", "school", "expert", "observer"])
def test_only_the_region_and_the_operator_import_protocols(world, role):
    _registry(world)
    with pytest.raises(PermissionDenied):
        _import(world, user=role)
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()


def test_the_operator_imports_too(world):
    _registry(world)
    assert _import(world, user="operator").interviews.count() == 20


# --- the catalogue ------------------------------------------------------------------------------


def test_recommendation_key_ignores_case_yo_punctuation_and_spaces():
    assert rec_catalogue.recommendation_key("Организовать  мероприятия (КПК, семинары);") == (
        "организовать мероприятия кпк семинары"
    )
    assert rec_catalogue.recommendation_key("учёт ребёнка") == rec_catalogue.recommendation_key(
        "УЧЕТ  РЕБЕНКА."
    )
    assert rec_catalogue.recommendation_key("- с учетом «цифрового» наставничества") == (
        "с учетом цифрового наставничества"
    )


def test_repeated_recommendations_share_one_catalogue_entry(world):
    _registry(world)
    protocol = _import(world)

    assert RecommendationTemplate.objects.count() == 74
    contests = RecommendationTemplate.objects.get(key=rec_catalogue.recommendation_key(CONTESTS))
    assert contests.uses.values("municipality").distinct().count() == 13
    catalogue = list(recommendation_selectors.catalogue(world["users"]["region"]))
    assert catalogue[0] == contests and catalogue[0].municipality_count == 13
    tracked = recommendation_selectors.recommendation_list(world["users"]["region"]).get(
        template=contests, municipality__name="Каргасокский район"
    )
    assert tracked.repeats == 13
    # The same protocol imported again adds no catalogue entries.
    again = _import(world)
    assert again.pk != protocol.pk
    assert RecommendationTemplate.objects.count() == 74
    assert contests.uses.count() == 2 * 13


def test_the_preview_counts_repeats_within_the_file(world):
    _registry(world)
    preview = _preview(world)
    kargasok = next(b for b in preview.blocks if b.written == "Каргасокский район")
    repeats = {r.text: r.repeats for r in kargasok.recommendations}
    assert repeats[CONTESTS] == 13
    assert repeats["организовать педагогический десанта ТОИПКРО для управленцев"] == 1
    assert preview.repeated_count == 14


def test_the_catalogue_is_for_those_who_see_the_whole_region(world):
    _registry(world)
    _import(world)
    assert recommendation_selectors.catalogue(world["users"]["observer"]).count() == 74
    assert recommendation_selectors.catalogue(world["users"]["municipal"]).count() == 0
    assert recommendation_selectors.catalogue(world["users"]["curator"]).count() == 0


def test_a_protocol_by_hand_picks_from_the_catalogue_or_takes_typed_text(world):
    region = world["users"]["region"]
    template = RecommendationTemplate.objects.create(
        text=CONTESTS, key=rec_catalogue.recommendation_key(CONTESTS)
    )
    protocol = svc.create_protocol(
        region,
        title="ПРОТОКОЛ проведения индивидуальных собеседований",
        place="г. Томск",
        participants=["Вторина Е.В., заместитель начальника ДОО ТО"],
        agenda=["О муниципальной дорожной карте"],
        revision_due=date(2026, 9, 1),
    )
    interview = svc.add_interview(
        region, protocol, municipality=world["home"], day=date(2026, 6, 17)
    )
    picked = svc.add_recommendation(region, interview, template=template)
    typed = svc.add_recommendation(
        region,
        interview,
        text="  Использовать региональные профессиональные конкурсы, для "
        "педагогов в качестве механизма повышения профессионального мастерства. ",
    )
    new = svc.add_recommendation(
        region, interview, text="организовать работу с кадровым резервом", due_date=date(2026, 7, 1)
    )

    assert picked.text == CONTESTS and picked.template == template
    assert typed.template == template  # the same advice, written differently
    assert new.template.text == "организовать работу с кадровым резервом"
    assert RecommendationTemplate.objects.count() == 2
    assert (picked.due_date, new.due_date) == (date(2026, 9, 1), date(2026, 7, 1))
    assert [r.order for r in interview.recommendations.order_by("order")] == [0, 1, 2]
    with pytest.raises(ValidationError):
        svc.add_recommendation(region, interview, text="  ")
    with pytest.raises(PermissionDenied):
        svc.add_recommendation(world["users"]["municipal"], interview, text="своя рекомендация")
    with pytest.raises(PermissionDenied):
        svc.create_protocol(world["users"]["municipal"], title="Протокол")


# --- tracking: events, statuses, closing ------------------------------------------------------


def test_closing_a_recommendation_through_the_events_that_carry_it_out(world):
    municipal = world["users"]["municipal"]
    recommendation = _home_recommendation(world)
    _, event = _roadmap(world)

    recommendation_services.link_event(municipal, recommendation, event)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IN_WORK  # an event now carries it
    assert not recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable
    with pytest.raises(ValidationError, match="Не все мероприятия выполнены"):
        recommendation_services.close_through_events(municipal, recommendation)

    first = event.periods.order_by("start").first()
    roadmap_services.report_progress(
        municipal, event, status=ProgressStatus.DONE, period=first, done_on=first.end
    )
    assert not recommendation_selectors.recommendation_for(
        municipal, recommendation.pk
    ).closable  # one of two
    _report_all_done(municipal, event)
    assert recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable

    before = timezone.now()
    recommendation_services.close_through_events(municipal, recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    assert recommendation.closed_at >= before
    assert "№ 26" in recommendation.evidence and "конкурсов" in recommendation.evidence
    closing = recommendation_selectors.closing_record(recommendation)
    assert closing.history_user == municipal and closing.history_date >= before
    assert not recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable
    with pytest.raises(ValidationError, match="уже закрыта"):
        recommendation_services.close_through_events(municipal, recommendation)


def test_a_cancelled_period_counts_as_finished_and_a_returned_report_does_not(world):
    region, curator = world["users"]["region"], world["users"]["curator"]
    recommendation = _home_recommendation(world)
    _, event = _roadmap(world)
    recommendation_services.link_event(region, recommendation, event)
    march, april = event.periods.order_by("start")
    roadmap_services.report_progress(region, event, status=ProgressStatus.CANCELLED, period=march)
    report = roadmap_services.report_progress(
        region, event, status=ProgressStatus.DONE, period=april, done_on=april.end
    )
    assert recommendation_selectors.recommendation_for(region, recommendation.pk).closable
    roadmap_services.review_report(curator, report, accept=False, comment="Нет приказа")
    assert not recommendation_selectors.recommendation_for(region, recommendation.pk).closable


def test_an_event_without_periods_is_finished_by_its_done_report(world):
    region = world["users"]["region"]
    recommendation = _home_recommendation(world)
    _, event = _roadmap(world)
    event.periods.all().delete()
    recommendation_services.link_event(region, recommendation, event)
    assert not recommendation_selectors.recommendation_for(region, recommendation.pk).closable
    roadmap_services.report_progress(region, event, status=ProgressStatus.DONE)
    assert recommendation_selectors.recommendation_for(region, recommendation.pk).closable


def test_only_events_of_the_municipalitys_roadmaps_can_be_linked(world):
    region = world["users"]["region"]
    recommendation = _home_recommendation(world)
    foreign_event = world["foreign_roadmap"].events.get()
    with pytest.raises(ValidationError, match="этого муниципалитета"):
        recommendation_services.link_event(region, recommendation, foreign_event)
    assert not recommendation.events.exists()


def test_unlinking_an_event(world):
    municipal = world["users"]["municipal"]
    recommendation = _home_recommendation(world)
    _, event = _roadmap(world)
    recommendation_services.link_event(municipal, recommendation, event)
    recommendation_services.unlink_event(municipal, recommendation, event)
    assert not recommendation.events.exists()
    assert not recommendation_selectors.recommendation_for(municipal, recommendation.pk).closable


def test_status_and_evidence_by_hand(world):
    municipal, region = world["users"]["municipal"], world["users"]["region"]
    recommendation = _home_recommendation(world, due_date=date(2026, 9, 1))

    with pytest.raises(ValidationError, match="подтверждение"):
        recommendation_services.update_recommendation(
            municipal, recommendation, status=RecommendationStatus.DONE
        )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.OPEN
    with pytest.raises(ValidationError, match="неприменима"):
        recommendation_services.update_recommendation(
            municipal, recommendation, status=RecommendationStatus.NOT_APPLICABLE
        )

    recommendation_services.update_recommendation(
        municipal,
        recommendation,
        status=RecommendationStatus.DONE,
        evidence="Приказ УООиП от 01.09.2026 № 120",
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE and recommendation.closed_at
    recommendation_services.update_recommendation(
        municipal, recommendation, status=RecommendationStatus.IN_WORK
    )
    recommendation.refresh_from_db()
    assert recommendation.closed_at is None

    # The due date is the region's to change.
    with pytest.raises(PermissionDenied):
        recommendation_services.update_recommendation(
            municipal, recommendation, due_date=date(2027, 1, 1), change_due_date=True
        )
    recommendation_services.update_recommendation(
        region, recommendation, due_date=date(2027, 1, 1), change_due_date=True
    )
    recommendation.refresh_from_db()
    assert recommendation.due_date == date(2027, 1, 1)
    changes = [c for h in recommendation.history.all() for c in [h.history_user]]
    assert municipal in changes and region in changes


@pytest.mark.parametrize("role", ["curator", "school", "expert", "observer"])
def test_who_may_not_track(world, role):
    recommendation = _home_recommendation(world)
    _, event = _roadmap(world)
    user = world["users"][role]
    with pytest.raises(PermissionDenied):
        recommendation_services.update_recommendation(user, recommendation, evidence="чужие руки")
    with pytest.raises(PermissionDenied):
        recommendation_services.link_event(user, recommendation, event)


def test_a_municipality_does_not_track_another_municipalitys_recommendation(world):
    foreign = Recommendation.objects.get(pk=FOREIGN_PK)
    with pytest.raises(PermissionDenied):
        recommendation_services.update_recommendation(
            world["users"]["municipal"], foreign, evidence="Это наше"
        )


# --- overdue and scope ------------------------------------------------------------------------


def test_overdue_recommendations_are_open_or_in_work_past_the_due_date(world):
    today = timezone.localdate()
    late = _home_recommendation(world, due_date=today - timedelta(days=1))
    in_work = _home_recommendation(
        world, due_date=today - timedelta(days=30), status=RecommendationStatus.IN_WORK
    )
    _home_recommendation(world, due_date=today)  # due today: not yet
    _home_recommendation(world, due_date=today - timedelta(days=5), status="done")
    _home_recommendation(world, due_date=today - timedelta(days=5), status="not_applicable")
    _home_recommendation(world, due_date=None)

    municipal = world["users"]["municipal"]
    assert list(recommendation_selectors.overdue_recommendations(municipal)) == [
        in_work,
        late,
    ]  # oldest first
    assert recommendation_selectors.overdue_widget(municipal) == {
        "count": 2,
        "items": [in_work, late],
    }
    region_overdue = set(recommendation_selectors.overdue_recommendations(world["users"]["region"]))
    foreign = Recommendation.objects.get(pk=FOREIGN_PK)
    assert region_overdue == {late, in_work, foreign}  # 2026-03-01 is past in 2026
    assert list(recommendation_selectors.overdue_recommendations(world["users"]["school"])) == []
    listed = recommendation_selectors.recommendation_list(
        municipal, recommendation_selectors.RecommendationFilter(overdue=True)
    )
    assert {r.pk for r in listed} == {late.pk, in_work.pk}
    assert all(r.is_overdue for r in listed)


def test_the_overdue_widget_for_the_dashboards_runs_no_query(world):
    today = timezone.localdate()
    for days in range(1, 8):
        _home_recommendation(world, due_date=today - timedelta(days=days))
    overdue = recommendation_selectors.overdue_widget(world["users"]["municipal"])
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("recommendations/_overdue_widget.html", {"overdue": overdue})
    assert len(queries) == 0
    assert 'data-testid="overdue-count"' in html and ">7</a>" in html
    assert html.count("list-group-item") == 5
    assert "Все 7 просроченных рекомендаций" in html
    assert recommendation_selectors.overdue_widget(world["users"]["school"]) == {
        "count": 0,
        "items": [],
    }
    empty = render_to_string(
        "recommendations/_overdue_widget.html", {"overdue": {"count": 0, "items": []}}
    )
    assert "Просроченных рекомендаций нет" in empty


def test_each_role_sees_the_recommendations_of_its_scope(world):
    _registry(world)
    protocol = _import(world)
    home = world["home"]
    users = world["users"]
    all_count = 105 + 1  # the sample and the foreign one of `world`

    assert recommendation_selectors.recommendations_for(users["region"]).count() == all_count
    assert recommendation_selectors.recommendations_for(users["observer"]).count() == all_count
    municipal = recommendation_selectors.recommendations_for(users["municipal"])
    assert municipal.count() == 7 and set(municipal.values_list("municipality", flat=True)) == {
        home.pk
    }
    assert (
        recommendation_selectors.recommendations_for(users["curator"]).count() == 7
    )  # assigned to the home district
    assert recommendation_selectors.recommendations_for(users["school"]).count() == 0
    assert interview_selectors.protocol_for(users["municipal"], protocol.pk) == protocol
    assert interview_selectors.protocol_for(users["municipal"], FOREIGN_PK) is None
    assert interview_selectors.protocol_for(users["school"], protocol.pk) is None
    listed = {p.pk: p for p in interview_selectors.protocol_list(users["municipal"])}
    assert list(listed) == [protocol.pk]
    assert listed[protocol.pk].recommendation_count == 7
    assert listed[protocol.pk].municipality_count == 1
    region_listed = {p.pk: p for p in interview_selectors.protocol_list(users["region"])}
    assert region_listed[protocol.pk].recommendation_count == 105
    assert region_listed[protocol.pk].municipality_count == 20


# --- suggestions ------------------------------------------------------------------------------


def test_events_sharing_lemmas_with_the_recommendation_are_suggested(world):
    recommendation = _home_recommendation(world)
    roadmap, contests = _roadmap(world)
    other = [
        RoadmapEvent.objects.create(roadmap=roadmap, order=i, number=str(i), text=text)
        for i, text in enumerate(
            [
                "Утвердить состав муниципальной рабочей группы",
                "Проведение заседаний методических объединений учителей-предметников",
                "Формирование муниципального задания школам",
            ],
            start=2,
        )
    ]
    found = suggestions.suggested_events(recommendation, [*other, contests])
    assert [s.event for s in found] == [contests]
    assert {"конкурс", "профессиональный"} <= set(found[0].shared)
    assert suggestions.lemmas("организовать педагогический десанта ТОИПКРО для управленцев") == {
        "педагогический",
        "десант",
        "тоипкро",
        "управленец",
    }


# --- the command line -------------------------------------------------------------------------


def _cli(*args) -> dict:
    out = io.StringIO()
    call_command("import-protocol", *args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_dry_run_prints_the_protocol_as_json_and_saves_nothing(world):
    _registry(world)
    result = _cli(str(shared_dir() / "samples" / SAMPLE), "--dry-run", "--json")

    assert result["dates"] == [d.isoformat() for d in DATES]
    assert len(result["municipalities"]) == 20
    assert sum(len(m["recommendations"]) for m in result["municipalities"]) == 105
    bakchar = result["municipalities"][2]
    assert (bakchar["written"], bakchar["registry"], bakchar["date"]) == (
        "Бакcharский район",
        "Бакчарский район",
        "2020-06-17",
    )
    assert result["municipalities"][6]["registry"] == "ЗАТО Северск"
    assert result["municipalities"][0]["recommendations"][2] == (
        "активизировать работу по наставничеству и методическим службам"
    )
    assert len(result["assignments"]) == 3
    assert result["assignments"][0]["items"][0] == "инклюзивного образования"
    assert result["protocol"] is None
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()


def test_cli_import_saves_the_protocol(world):
    _registry(world)
    result = _cli(str(shared_dir() / "samples" / SAMPLE), "--json", "--user", "region")
    protocol = InterviewProtocol.objects.get(pk=result["protocol"])
    assert Recommendation.objects.filter(interview__protocol=protocol).count() == 105
    assert protocol.history.first().history_user == world["users"]["region"]


def test_cli_refuses_unmatched_municipalities_without_saving(world):
    _registry(world, aliases=False)
    Municipality.objects.filter(name="Бакчарский район").delete()
    with pytest.raises(CommandError, match="Бакcharский район"):
        _cli(str(shared_dir() / "samples" / SAMPLE), "--json")
    result = _cli(str(shared_dir() / "samples" / SAMPLE), "--json", "--dry-run")
    assert result["municipalities"][2]["registry"] is None
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()


# --- bad files --------------------------------------------------------------------------------


def _no_table_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("ПРОТОКОЛ")
    document.add_paragraph("Решили: принять к сведению.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _broken_xml_docx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_sample_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return buffer.getvalue()


BAD_FILES = {
    "protocol.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "старом формате"),
    "damaged.docx": (None, "повреждён"),
    "broken.docx": ("broken", "повреждён"),
    "no_table.docx": ("no_table", "не найдена таблица протокола"),
    "empty.docx": (b"", "пустой"),
    "letter.pdf": (b"%PDF-1.4 letter", "не является документом Word"),
}


def _bad_file(name: str) -> tuple[bytes, str]:
    data, message = BAD_FILES[name]
    if data is None:
        data = _sample_bytes()[:3000]
    elif data == "broken":
        data = _broken_xml_docx()
    elif data == "no_table":
        data = _no_table_docx()
    return data, message


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_cli_bad_file_is_a_russian_error(world, tmp_path, name):
    data, message = _bad_file(name)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        _cli(str(path), "--json")
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()


def test_cli_exits_with_1_and_a_message_on_stderr(tmp_path):
    path = tmp_path / "protocol.doc"
    path.write_bytes(BAD_FILES["protocol.doc"][0])
    done = subprocess.run(
        [sys.executable, "-m", "opora.cli", "import-protocol", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "старом формате Word (.doc)" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_uploading_a_bad_file_shows_why_and_saves_nothing(client, world, name):
    client.force_login(world["users"]["region"])
    data, message = _bad_file(name)
    response = client.post(
        reverse("interviews:protocol_import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    if name == "empty.docx":  # refused by the form itself: «Отправленный файл пуст»
        assert response.context["form"].errors["file"]
        assert "пуст" in html
    else:
        assert 'data-testid="import-error"' in html
        assert message in html
    assert response.context["preview"] is None
    response = client.post(reverse("interviews:protocol_import_confirm"), follow=True)
    assert "загрузите его ещё раз" in html + response.content.decode()
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()


# --- the import pages -------------------------------------------------------------------------


def _upload(client):
    return client.post(
        reverse("interviews:protocol_import"), {"file": SimpleUploadedFile(SAMPLE, _sample_bytes())}
    )


def test_import_page_previews_then_saves_on_confirmation(client, world):
    # A registry that knows the district under another name: «Бакcharский район» (which the
    # matcher reads by sound as «Бакчарский») is then not recognised and must be chosen.
    _registry(world, aliases=False)
    Municipality.objects.filter(name="Бакчарский район").update(name="Подгорный район")
    client.force_login(world["users"]["region"])
    response = _upload(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="preview-row"') == 20
    assert "2020-06-17 · 17.06.2020" in html
    assert "повторяется у 13 муниципалитетов" in html
    assert 'data-testid="unmatched"' in html and "«Бакcharский район»" in html
    preview = response.context["preview"]
    rows = response.context["rows"]
    assert rows[2][1] is None  # nothing preselected for the unrecognised name
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()

    form = {f"municipality_{b.index}": selected or "" for b, selected in rows}
    form["revision_due"] = "2020-08-03"
    response = client.post(reverse("interviews:protocol_import_confirm"), form)
    assert response.status_code == 200
    assert "Не выбран муниципалитет из реестра для: «Бакcharский район»" in (
        response.content.decode()
    )
    assert not InterviewProtocol.objects.exclude(pk=FOREIGN_PK).exists()

    form["municipality_2"] = Municipality.objects.get(name="Подгорный район").pk
    response = client.post(reverse("interviews:protocol_import_confirm"), form)
    protocol = InterviewProtocol.objects.exclude(pk=FOREIGN_PK).get()
    assert response.status_code == 302
    assert response.url == reverse("interviews:protocol_detail", args=[protocol.pk])
    assert protocol.interviews.count() == 20 and protocol.source_name == SAMPLE
    assert len(preview.blocks) == 20
    page = client.get(response.url)
    assert page.content.decode().count('data-testid="recommendation"') == 105
    assert "муниципалитетов — 20, рекомендаций — 105" in page.content.decode()


@pytest.mark.parametrize("role", ["municipal", "curator", "school", "expert", "observer"])
def test_import_pages_are_refused_to_other_roles(client, world, role):
    client.force_login(world["users"][role])
    assert client.get(reverse("interviews:protocol_import")).status_code == 403
    assert client.post(reverse("interviews:protocol_import_confirm")).status_code == 403
    assert client.get(reverse("interviews:protocol_create")).status_code == 403


def test_a_protocol_is_typed_in_through_the_pages(client, world):
    template = RecommendationTemplate.objects.create(
        text=CONTESTS, key=rec_catalogue.recommendation_key(CONTESTS)
    )
    client.force_login(world["users"]["region"])
    response = client.post(
        reverse("interviews:protocol_create"),
        {
            "title": "ПРОТОКОЛ собеседования с Каргасокским районом",
            "participants": "Вторина Е.В., заместитель начальника ДОО ТО;\nЗамятина О.М., ректор",
            "agenda": "1. О дорожной карте",
            "revision_due": "2026-09-01",
        },
    )
    protocol = InterviewProtocol.objects.exclude(pk=FOREIGN_PK).get()
    assert response.url == reverse("interviews:protocol_detail", args=[protocol.pk])
    assert protocol.participants == [
        "Вторина Е.В., заместитель начальника ДОО ТО",
        "Замятина О.М., ректор",
    ]
    response = client.post(
        reverse("interviews:interview_add", args=[protocol.pk]),
        {"municipality": world["home"].pk, "day": "2026-06-17"},
    )
    interview = protocol.interviews.get()
    assert response.url == reverse("interviews:interview_add_recommendation", args=[interview.pk])
    form = client.get(response.url)
    assert CONTESTS[:60] in form.content.decode()
    client.post(response.url, {"template": template.pk, "another": "1"})
    client.post(response.url, {"text": "организовать работу с кадровым резервом"})
    response = client.post(response.url, {})
    assert "Выберите рекомендацию из каталога" in response.content.decode()
    texts = list(interview.recommendations.order_by("order").values_list("text", flat=True))
    assert texts == [CONTESTS, "организовать работу с кадровым резервом"]
    assert set(interview.recommendations.values_list("due_date", flat=True)) == {date(2026, 9, 1)}


# --- the tracker and the recommendation page ------------------------------------------------


def test_tracking_through_the_pages(client, world):
    municipal = world["users"]["municipal"]
    recommendation = _home_recommendation(world, due_date=date(2020, 8, 3))
    _, event = _roadmap(world)
    client.force_login(municipal)
    url = reverse("recommendations:recommendation_detail", args=[recommendation.pk])

    page = client.get(url).content.decode()
    assert 'data-testid="suggestions"' in page and "№ 26" in page
    assert "просрочена" in page
    client.post(
        reverse("recommendations:recommendation_link_event", args=[recommendation.pk]),
        {"event": event.pk},
    )
    assert list(recommendation.events.all()) == [event]
    _report_all_done(municipal, event)
    page = client.get(url).content.decode()
    assert 'data-testid="can-close"' in page
    response = client.post(
        reverse("recommendations:recommendation_close", args=[recommendation.pk])
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE
    page = client.get(url).content.decode()
    assert 'data-testid="closed-by"' in page and "municipal Тест" in page
    assert "История изменений" in page

    response = client.post(
        reverse("recommendations:recommendation_update", args=[recommendation.pk]),
        {"status": "in_work", "evidence": "", "due_date": "2030-01-01"},
    )
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IN_WORK
    assert recommendation.due_date == date(2020, 8, 3)  # the municipality does not move it
    response = client.post(
        reverse("recommendations:recommendation_update", args=[recommendation.pk]),
        {"status": "done", "evidence": ""},
    )
    assert response.status_code == 200
    assert "опишите подтверждение" in response.content.decode()

    client.post(
        reverse("recommendations:recommendation_unlink_event", args=[recommendation.pk, event.pk])
    )
    assert not recommendation.events.exists()


def test_the_tracker_filters(client, world):
    _registry(world)
    _import(world)
    client.force_login(world["users"]["region"])
    url = reverse("recommendations:recommendation_list")
    kargasok = Municipality.objects.get(name="Каргасокский район")

    assert client.get(url).context["page"].paginator.count == 106
    assert client.get(url, {"municipality": kargasok.pk}).context["page"].paginator.count == 7
    overdue = client.get(url, {"overdue": "on"}).context["page"].paginator.count
    assert overdue == 106  # all are due 03.08.2020 (and the foreign one 01.03.2026)
    assert client.get(url, {"status": "done"}).context["page"].paginator.count == 0
    assert client.get(url, {"q": "конкурсы"}).context["page"].paginator.count >= 13
    assert client.get(url, {"municipality": "abc", "status": "??"}).status_code == 200
    rows = client.get(url, {"municipality": kargasok.pk}, HTTP_HX_REQUEST="true",
                      HTTP_HX_TARGET="tracker-rows")  # fmt: skip
    assert rows.templates[0].name == "recommendations/_tracker_rows.html"
    client.force_login(world["users"]["municipal"])
    assert client.get(url).context["page"].paginator.count == 7
    assert client.get(url, {"municipality": FOREIGN_PK}).context["page"].paginator.count == 7


def _grow(world, n: int, event) -> None:
    interview = Interview.objects.create(
        protocol=InterviewProtocol.objects.create(title="ПРОТОКОЛ"),
        municipality=world["home"],
        date=date(2026, 2, 1),
    )
    for i in range(n):
        template = RecommendationTemplate.objects.create(text=f"Совет {i}", key=f"совет {i} {n}")
        recommendation = Recommendation.objects.create(
            interview=interview,
            municipality=world["home"],
            template=template,
            text=f"Рекомендация {i}",
            due_date=date(2020, 1, 1),
        )
        recommendation.events.add(event)


@pytest.mark.parametrize("role", ["region", "municipal"])
def test_the_tracker_runs_the_same_queries_for_10_and_80_recommendations(client, world, role):
    _, event = _roadmap(world)
    client.force_login(world["users"][role])
    url = reverse("recommendations:recommendation_list")
    _grow(world, 10, event)
    client.get(url)  # warm up: session, user
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.content.decode().count('data-testid="tracker-row"') >= 10
    _grow(world, 70, event)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('data-testid="tracker-row"') >= 80
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_protocol_page_runs_the_same_queries_for_more_recommendations(client, world):
    client.force_login(world["users"]["region"])
    _, event = _roadmap(world)
    _grow(world, 5, event)
    protocol = InterviewProtocol.objects.exclude(pk=FOREIGN_PK).get()
    url = reverse("interviews:protocol_detail", args=[protocol.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    interview = protocol.interviews.get()
    for i in range(40):
        Recommendation.objects.create(
            interview=interview, municipality=world["home"], text=f"Ещё {i}"
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('data-testid="recommendation"') == 45
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "role", ["region", "operator", "curator", "municipal", "expert", "observer"]
)
def test_every_page_opens_for_those_who_see_it(client, world, role):
    _registry(world)
    protocol = _import(world)
    client.force_login(world["users"][role])
    recommendation = Recommendation.objects.get(
        interview__protocol=protocol, municipality=world["home"], order=0
    )
    urls = [
        reverse("interviews:protocol_list"),
        reverse("interviews:protocol_detail", args=[protocol.pk]),
        reverse("recommendations:recommendation_list"),
        reverse("recommendations:recommendation_detail", args=[recommendation.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Чуж" not in response.content.decode() or role in ("region", "operator", "expert",
                                                                   "observer")  # fmt: skip
    catalogue = client.get(reverse("recommendations:recommendation_catalogue"))
    assert catalogue.status_code == (403 if role in ("curator", "municipal") else 200)
    detail = client.get(reverse("recommendations:recommendation_detail", args=[recommendation.pk]))
    can_track = role in ("region", "operator", "municipal")
    assert ('data-testid="track-form"' in detail.content.decode()) == can_track


def test_a_school_sees_no_interviews(client, world):
    client.force_login(world["users"]["school"])
    assert client.get(reverse("interviews:protocol_list")).status_code == 403
    assert client.get(reverse("recommendations:recommendation_list")).status_code == 403
    recommendation = _home_recommendation(world)
    url = reverse("recommendations:recommendation_detail", args=[recommendation.pk])
    assert client.get(url).status_code == 404


def test_foreign_objects_are_not_found_for_the_municipality(client, world):
    client.force_login(world["users"]["municipal"])
    for name in (
        "interviews:protocol_detail",
        "interviews:protocol_export",
        "recommendations:recommendation_detail",
    ):
        assert client.get(reverse(name, args=[FOREIGN_PK])).status_code == 404
    response = client.post(
        reverse("recommendations:recommendation_update", args=[FOREIGN_PK]),
        {"status": "done", "evidence": "Чужое"},
    )
    assert response.status_code == 404
    recommendation = _home_recommendation(world)
    response = client.post(
        reverse("recommendations:recommendation_link_event", args=[recommendation.pk]),
        {"event": FOREIGN_PK},
    )
    assert response.status_code == 404
    assert not recommendation.events.exists()
    assert Recommendation.objects.get(pk=FOREIGN_PK).status == RecommendationStatus.OPEN


# --- the Word export --------------------------------------------------------------------------


def test_the_exported_protocol_reads_back_as_the_same_protocol(client, world):
    _registry(world)
    protocol = _import(world)
    client.force_login(world["users"]["region"])
    response = client.get(reverse("interviews:protocol_export", args=[protocol.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="protocol_2020-06-17.docx"'
    data = response.content

    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "«17, 18, 19, 22» июня 2020 г." in texts
    assert "Поручения ТОИПКРО:" in texts
    assert "Председатель:" in texts and "_____________ /Грабцевич И.Б./" in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "п/п",
        "Муниципальное образование",
        "Рекомендации в рамках собеседования",
    ]
    assert len(table.rows) == 1 + 4 + 20
    date_row = table.rows[1]
    assert len({id(c._tc) for c in date_row.cells}) == 1  # merged across
    assert date_row.cells[0].text == "17 июня 2020 года"
    first = table.rows[2].cells[2].paragraphs
    assert first[0].text.startswith("- организовывать участие 100 % педагогов")
    assert first[0].text.endswith(";") and first[-1].text.endswith(".")

    again = read_protocol(data)
    assert again.dates == DATES
    assert len(again.blocks) == 20 and again.recommendation_count == 105
    assert [len(a.items) for a in again.assignments] == [7, 0, 0]
    assert again.chairman.startswith("Грабцевич И.Б.")


def test_a_municipality_exports_an_excerpt_with_its_own_rows(client, world):
    _registry(world)
    protocol = _import(world)
    client.force_login(world["users"]["municipal"])
    data = client.get(reverse("interviews:protocol_export", args=[protocol.pk])).content
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Выписка из протокола"
    rows = document.tables[0].rows
    assert len(rows) == 3 and rows[2].cells[1].text == "Каргасокский район"
    assert "Асиновский" not in "".join(p.text for p in document.paragraphs)


def test_date_line_forms():
    assert interview_documents.date_line(DATES) == "«17, 18, 19, 22» июня 2020 г."
    assert (
        interview_documents.date_line([date(2020, 6, 30), date(2020, 7, 1)])
        == "«30» июня, «01» июля 2020 г."
    )
    assert interview_documents.date_line([date(2020, 6, 5)]) == "«05» июня 2020 г."
    assert interview_documents.date_line([]) == ""


# --- the demo ---------------------------------------------------------------------------------


def test_demo_loads_the_sample_once_and_links_kargasok_to_its_roadmap(world):
    _registry(world)
    roadmap, contests = _roadmap(world)
    RoadmapEvent.objects.create(
        roadmap=roadmap,
        order=2,
        number="18",
        text="Взаимодействие со специалистами «Методического десанта» ТОИПКРО",
    )
    demo_interviews.load(2026)
    demo_interviews.load(2026)

    protocol = InterviewProtocol.objects.get(source_name=SAMPLE)
    assert Recommendation.objects.filter(interview__protocol=protocol).count() == 105
    kargasok = Recommendation.objects.filter(
        interview__protocol=protocol, municipality=world["home"]
    )
    linked = kargasok.filter(events__isnull=False).distinct()
    assert linked.count() >= 2
    assert contests.recommendations.filter(text=CONTESTS).exists()
    assert kargasok.filter(status=RecommendationStatus.DONE).count() == 1
    statuses = set(
        Recommendation.objects.filter(interview__protocol=protocol).values_list("status", flat=True)
    )
    assert statuses == set(RecommendationStatus.values)
    assert ProtocolAssignment.objects.filter(protocol=protocol).count() == 3
