"""Builders of the monitoring tests that other tests need too: a campaign's sheets and items,
answering a whole sheet, and the campaign of seed 004 (the city of Tomsk, read back into answers
item by item — see ``opora/monitoring/tests/test_monitoring_order.py``)."""

from __future__ import annotations

from datetime import date

from opora.monitoring import selectors as monitoring_selectors
from opora.monitoring import services as monitoring
from opora.monitoring.checklist import item_labels
from opora.monitoring.defaults import ensure_default_template
from opora.monitoring.models import CampaignSchool, ChecklistAnswer, MonitoringCampaign, SheetStatus
from opora.monitoring.selectors import template_items
from opora.registry.models import Organisation, OrganisationKind, SchoolKind
from opora.testing.factories import MunicipalityFactory, SchoolFactory


def sheet_of(campaign, school) -> CampaignSchool:
    return campaign.sheets.get(school=school)


def items_of(campaign):
    return monitoring_selectors.template_items(campaign.template)


def answer_all(user, sheet, answer="done"):
    for item in items_of(sheet.campaign):
        monitoring.save_answer(user, sheet, item, answer=answer)


ALL = (5, 11, 28, 38, 41, 44, 66)

OK = "ok"


# Seed 004, finding by finding. Per item: {school: details} for «выполнено» and «частично»;
# the schools not named there answered «не выполнено».
SEED_004 = {
    "1.1": {"done": dict.fromkeys(ALL, {})},
    "1.2": {
        "done": dict.fromkeys((11, 28, 38, 41, 44, 66), {}),
        "partly": {5: {"text": "определены первоочередные мероприятия ближайшего развития ООУ"}},
    },
    "2": {
        "done": {
            5: {"grades": "для 2-9 классов"},
            11: {"grades": "для обучающихся 5-9 классов"},
            28: {"grades": "для обучающихся 5-9, 10 классов, 4 классов, 9, 11 классов"},
            38: {"grades": "для обучающихся 5-9 классов"},
            41: {"grades": "для обучающимися 9-х, 11-х классов"},
            44: {"grades": "для обучающимися 2-11 классов"},
        },
        "partly": {66: {"text": "ведутся только курсы внеурочной деятельности"}},
    },
    "3.1": {
        "done": {
            5: {"forms": ["родительские собрания", "Совет профилактики"]},
            11: {
                "forms": [
                    "online собрание родительского комитета и Управляющего совета школы по "
                    "вопросам формирующего оценивания, путем повышения мотивации обучающихся"
                ]
            },
            28: {
                "forms": [
                    "индивидуальные консультации",
                    "родительские собрания",
                    "лектории",
                    "спецкурс для родителей обучающихся-инофонов по овладению русским языком",
                ]
            },
            38: {
                "forms": [
                    "индивидуальные встречи родителей и администрации школы",
                    "родительское собрание в формате ВКС",
                    "школьный ПМП консилиум",
                ]
            },
            41: {
                "forms": [
                    "родительские собрания индивидуальная работа",
                    "школьный и классный родительские комитеты",
                    "родительское патрулирование (наблюдение за образовательным процессом)",
                ]
            },
            44: {
                "forms": [
                    "разработан Календарный план взаимодействия с родителями (законными "
                    "представителями) обучающихся на 2020-2021 учебный год, включающий "
                    "взаимодействие с классным руководителем, членами администрации и "
                    "психолого-педагогической службой"
                ]
            },
            66: {"forms": ["индивидуальные беседы/встречи", "родительские собрания"]},
        }
    },
    "3.2": {
        "done": {
            5: {
                "forms": [
                    "тематические классные часы",
                    "психолого-педагогическое сопровождение разных групп обучающихся",
                ]
            },
            11: {
                "forms": [
                    "индивидуальные образовательные маршруты для обучающихся",
                    "технологические карты занятий",
                ]
            },
            28: {
                "forms": [
                    "реализация дополнительных образовательных программ с привлечением "
                    "ресурсов учреждений высшего профессионального образования, с кванториумом "
                    "-Дни науки"
                ]
            },
            66: {
                "forms": [
                    "Дня науки",
                    "предметные недели",
                    "научное общество школьников «Истоки»",
                    "Экологический центр",
                ]
            },
        }
    },
    "4.1": {
        "done": {
            n: {"links": [{"url": f"https://school{n}.example/vpr", "status": OK}]}
            for n in (5, 11, 28, 44, 66)
        }
    },
    "4.2": {  # the seed says nothing of these links: left unchecked, no note
        "done": {
            n: {"links": [{"url": f"https://school{n}.example/parents", "status": "unchecked"}]}
            for n in (5, 28, 41, 44)
        }
    },
    "4.3": {
        "done": {
            5: {
                "text": "памятки для всех участников образовательных отношений и "
                "рекомендации педагога-психолога"
            },
            11: {
                "text": "памятки, тренажеры для подготовки к мониторингам, для педагогов "
                "дополнительно размещены материалы по международным исследованиям (PISA, "
                "TIMSS, PIRLS) в электронной учительской"
            },
            28: {
                "text": "рекомендации психолога родителям и обучающимся 9, 11 классов при "
                "подготовке к экзаменам"
            },
            38: {
                "text": "порядок проведения ГИА по образовательным программам основного "
                "общего образования, расписание ГВЭ-2021, ОГЭ -2021"
            },
            41: {
                "text": "советы психолога родителям и обучающимся 9 класса при подготовке к "
                "экзаменам"
            },
            44: {
                "text": "ссылки на сайты приемных комиссий учебных заведений высшего "
                "профессионального образования (вузов) г. Томска"
            },
        }
    },
    "5.1": {"done": dict.fromkeys((11, 28, 38, 41, 44), {}), "partly": {66: {}}},
    "5.2": {
        "done": {
            5: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-25"}],
                "text": "описаны механизмы и объекты, системно представлена структура "
                "стартовой оценки содержания образования и образовательной деятельности",
            },
            11: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-20"}],
                "text": "описаны механизмы и объекты, представлена программа внутришкольной "
                "системы оценки качества образования на 2020-2021 учебный год",
            },
            28: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-08-28"}],
                "text": "механизмы мониторинга качества подготовки обучающихся описаны",
                "legal_base": True,
            },
            38: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-30"}],
                "text": "механизмы мониторинга качества подготовки обучающихся описаны",
                "legal_base": True,
            },
            41: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-01-20"}],
                "text": "механизмы мониторинга качества подготовки обучающихся описаны",
                "legal_base": True,
            },
            44: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2019-08-08"}],
                "text": "механизмы мониторинга качества подготовки обучающихся описаны",
                "legal_base": True,
            },
        },
        "partly": {
            66: {
                "document_date": [{"title": "положение о ВШК", "date": "2013-11-01"}],
                "text": "механизмы не описаны",
            }
        },
    },
    "6.1": {
        "done": {
            5: {},
            11: {"text": "посредством Анкеты обратной связи посещенных методических мероприятий"},
            28: {},
            38: {},
            41: {},
            44: {},
        },
        "partly": {66: {}},
    },
    "6.2": {"done": dict.fromkeys((5, 28, 41, 44), {})},
    "6.3": {"done": dict.fromkeys((28, 41, 44), {})},
    "7.1": {"done": dict.fromkeys((11, 28, 38, 41, 44, 66), {})},
    "7.2": {"done": dict.fromkeys(ALL, {})},
    "7.3": {"done": dict.fromkeys((11, 38), {})},
    "8": {
        "done": dict.fromkeys((5, 28, 44), {}),
        "partly": {
            11: {
                "text": "обучающиеся 11 класса зарегистрированы в системе moodle.imc.ru для "
                "участия в тренингах по русскому языку"
            }
        },
    },
    "9": {
        "done": {
            5: {"forms": ["Учитель года-2021"]},
            11: {"forms": ["Учитель года-2021", "Первые шаги", "Педагог-наставник"]},
            28: {"forms": ["Учитель года-2021", "Педагог-наставник"]},
            41: {"forms": ["Учитель года-2021", "Первые шаги", "Педагог-наставник"]},
            44: {"forms": ["Чемпион -2020", "Педагог-наставник"]},
            66: {"forms": ["Учитель года-2021", "Педагог-наставник"]},
        }
    },
}


TOMSK = [
    ("МАОУ СОШ № 5 имени А.К. Ерохина", 5, SchoolKind.SOSH),
    ("МАОУ СОШ № 11 имени В.И. Смирнова", 11, SchoolKind.SOSH),
    ("МАОУ СОШ № 28", 28, SchoolKind.SOSH),
    ("МАОУ СОШ № 41", 41, SchoolKind.SOSH),
    ("МАОУ СОШ № 44", 44, SchoolKind.SOSH),
    ("МАОУ ООШ № 38", 38, SchoolKind.OOSH),
    ("МБОУ ООШ № 66", 66, SchoolKind.OOSH),
]


def seed_campaign(answers: dict = SEED_004) -> MonitoringCampaign:
    """The city of Tomsk, its seven schools and a campaign whose sheets hold seed 004."""
    tomsk = MunicipalityFactory(name="Город Томск")
    Organisation.objects.create(
        short_name="Департамент образования г. Томска",
        name="Департамент образования администрации Города Томска",
        kind=OrganisationKind.MUNICIPAL_AUTHORITY,
        municipality=tomsk,
    )
    schools = {
        number: SchoolFactory(full_name=name, number=number, kind=kind, municipality=tomsk)
        for name, number, kind in TOMSK
    }
    template = ensure_default_template()
    campaign = MonitoringCampaign.objects.create(
        title="Мониторинг выполнения программ повышения качества образования",
        municipality=tomsk,
        template=template,
        period_text="1 полугодие 2020-2021 учебного года",
        due_date=date(2021, 2, 15),
    )
    sheets = {
        number: CampaignSchool.objects.create(
            campaign=campaign, school=school, status=SheetStatus.ACCEPTED
        )
        for number, school in schools.items()
    }
    items = template_items(template)
    by_label = {label: item for item in items for label in [item_labels(items)[item.pk]]}
    assert set(by_label) == set(answers), "the transcription names every item of the template"
    for label, groups in answers.items():
        for number, sheet in sheets.items():
            if number in groups.get("done", {}):
                answer, details = "done", groups["done"][number]
            elif number in groups.get("partly", {}):
                answer, details = "partly", groups["partly"][number]
            else:
                answer, details = "not_done", {}
            ChecklistAnswer.objects.create(
                sheet=sheet, item=by_label[label], answer=answer, details=details
            )
    return campaign
