"""Demo data of monitoring (idempotent): seed 004 as a finished campaign.

The city of Tomsk monitored its seven schools for the first half of 2020/2021; the answers
below are seed 004's findings read back item by item, every sheet accepted, and a draft of
the order generated from them — so the demo opens on the grouping of the seed. A second,
current campaign is open for the same schools (the demo user «school28» fills its sheet).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opora.documents.models import Document, DocumentKind
from opora.monitoring.checklist import item_labels
from opora.monitoring.defaults import ensure_default_template
from opora.monitoring.models import CampaignSchool, ChecklistAnswer, MonitoringCampaign, SheetStatus
from opora.monitoring.selectors import template_items
from opora.registry.models import Municipality, School

TITLE = "Мониторинг выполнения программ повышения качества образования"
SEED_PERIOD = "1 полугодие 2020-2021 учебного года"
SCHOOLS = {
    5: "МАОУ СОШ № 5 имени А.К. Ерохина",
    11: "МАОУ СОШ № 11 имени В.И. Смирнова",
    28: "МАОУ СОШ № 28",
    38: "МАОУ ООШ № 38",
    41: "МАОУ СОШ № 41",
    44: "МАОУ СОШ № 44",
    66: "МБОУ ООШ № 66",
}
ALL = tuple(SCHOOLS)
CHECKED = {"status": "ok", "note": "открывается (по данным распоряжения)"}
UNCHECKED = {"status": "unchecked", "note": "не проверено: нет сети"}
MECHANISMS = "механизмы мониторинга качества подготовки обучающихся описаны"


def _forms(*values: str) -> dict:
    return {"forms": list(values)}


# Seed 004, finding by finding: {school: details} for «выполнено» and «частично»; the schools
# not named answered «не выполнено». Only the items' numbers tie this to the template.
SEED_004: dict[str, dict[str, dict[int, dict]]] = {
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
            5: _forms("родительские собрания", "Совет профилактики"),
            11: _forms(
                "online собрание родительского комитета и Управляющего совета школы по вопросам "
                "формирующего оценивания, путем повышения мотивации обучающихся"
            ),
            28: _forms(
                "индивидуальные консультации",
                "родительские собрания",
                "лектории",
                "спецкурс для родителей обучающихся-инофонов по овладению русским языком",
            ),
            38: _forms(
                "индивидуальные встречи родителей и администрации школы",
                "родительское собрание в формате ВКС",
                "школьный ПМП консилиум",
            ),
            41: _forms(
                "родительские собрания индивидуальная работа",
                "школьный и классный родительские комитеты",
                "родительское патрулирование (наблюдение за образовательным процессом)",
            ),
            44: _forms(
                "разработан Календарный план взаимодействия с родителями (законными "
                "представителями) обучающихся на 2020-2021 учебный год, включающий "
                "взаимодействие с классным руководителем, членами администрации и "
                "психолого-педагогической службой"
            ),
            66: _forms("индивидуальные беседы/встречи", "родительские собрания"),
        }
    },
    "3.2": {
        "done": {
            5: _forms(
                "тематические классные часы",
                "психолого-педагогическое сопровождение разных групп обучающихся",
            ),
            11: _forms(
                "индивидуальные образовательные маршруты для обучающихся",
                "технологические карты занятий",
            ),
            28: _forms(
                "реализация дополнительных образовательных программ с привлечением ресурсов "
                "учреждений высшего профессионального образования",
                "с кванториумом - Дни науки",
                "с региональным Центром русского языка - реализация спецкурсов для "
                "обучающихся-инофонов и их родителей",
                "с региональным Центром этно-культурного образования - проведение "
                "образовательных квестов",
                "с АНО ДПО «ОМУ» в рамках регионального проекта «Территория интеллекта» - курсы "
                "по профориентации, дополнительные образовательные программы",
                "в проекте Школьной Цифровой платформы - освоение образовательных программ (ШЦП)",
                "в муниципальной сети по сопровождению одаренных детей - образовательные "
                "мероприятия",
            ),
            66: _forms(
                "Дни науки",
                "предметные недели",
                "научное общество школьников «Истоки»",
                "Экологический центр",
                "реализуются программы дополнительного образования и воспитания школьников",
                "участвуют в мероприятиях муниципальной сети по работе с одарёнными детьми "
                "(2-3 классы)",
            ),
        }
    },
    "4.1": {
        "done": {
            n: {"links": [{"url": f"https://school{n}.demo.opora.example/kachestvo", **CHECKED}]}
            for n in (5, 11, 28, 44, 66)
        }
    },
    "4.2": {
        "done": {
            n: {"links": [{"url": f"https://school{n}.demo.opora.example/roditeli", **UNCHECKED}]}
            for n in (5, 28, 41, 44)
        }
    },
    "4.3": {
        "done": {
            5: {
                "text": "памятки для всех участников образовательных отношений и рекомендации "
                "педагога-психолога"
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
                "text": "порядок проведения ГИА по образовательным программам основного общего "
                "образования, расписание ГВЭ-2021, ОГЭ-2021"
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
                "text": "описаны механизмы и объекты, системно представлена структура стартовой "
                "оценки содержания образования и образовательной деятельности, условий "
                "реализации ООП, достижения предметных результатов освоения ООП, содержание "
                "оценки метапредметных и личностных результатов освоения учащимися ООП",
            },
            11: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-20"}],
                "text": "описаны механизмы и объекты, представлена программа внутришкольной "
                "системы оценки качества образования на 2020-2021 учебный год",
            },
            28: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-08-28"}],
                "text": f"{MECHANISMS}. Имеется план-график подготовки выпускников к "
                "государственной итоговой аттестации по образовательным программам основного "
                "общего и среднего общего образования в 2020-2021 учебном году",
                "legal_base": True,
            },
            38: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-12-30"}],
                "text": MECHANISMS,
                "legal_base": True,
            },
            41: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2020-01-20"}],
                "text": MECHANISMS,
                "legal_base": True,
            },
            44: {
                "document_date": [{"title": "положение о ВСОКО", "date": "2019-08-08"}],
                "text": MECHANISMS,
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
            **dict.fromkeys((5, 28, 38, 41, 44), {}),
            11: {"text": "посредством Анкеты обратной связи посещенных методических мероприятий"},
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
            5: _forms("Учитель года-2021"),
            11: _forms("Учитель года-2021", "Первые шаги", "Педагог-наставник"),
            28: _forms("Учитель года-2021", "Педагог-наставник"),
            41: _forms("Учитель года-2021", "Первые шаги", "Педагог-наставник"),
            44: _forms("Чемпион-2020", "Педагог-наставник"),
            66: _forms("Учитель года-2021", "Педагог-наставник"),
        }
    },
}

ORDER_REQUISITES = {
    "organisation": "Администрация Города Томска\nДепартамент образования",
    "place": "г. Томск",
    "signer": "Начальник департамента\nИ.В. Васильева",
    "executor": "Исполнитель: специалист департамента образования (демо)\n8 (3822) 00-00-00",
}


@transaction.atomic
def load(year: int) -> None:
    """Seed 004's campaign with its answers and draft order; a current open campaign."""
    tomsk = Municipality.objects.filter(name="Город Томск").first()
    schools = {n: School.objects.filter(full_name=name).first() for n, name in SCHOOLS.items()}
    if tomsk is None or not all(schools.values()):
        return  # the registry's demo has not been loaded
    template = ensure_default_template()
    seed, created = MonitoringCampaign.objects.get_or_create(
        municipality=tomsk,
        title=TITLE,
        period_text=SEED_PERIOD,
        defaults={"template": template, "due_date": date(2021, 2, 15), "status": "closed"},
    )
    if created:
        _fill(seed, schools)
        _draft_order(seed)
    current_period = f"1 полугодие {year}-{year + 1} учебного года"
    current, created = MonitoringCampaign.objects.get_or_create(
        municipality=tomsk,
        title=TITLE,
        period_text=current_period,
        defaults={"template": template, "due_date": date(year, 12, 25)},
    )
    if created:
        for school in schools.values():
            CampaignSchool.objects.create(campaign=current, school=school)


def _fill(campaign: MonitoringCampaign, schools: dict[int, School]) -> None:
    items = template_items(campaign.template)
    labels = item_labels(items)
    by_label = {labels[item.pk]: item for item in items}
    for number, school in schools.items():
        sheet = CampaignSchool.objects.create(
            campaign=campaign, school=school, status=SheetStatus.ACCEPTED
        )
        answers = []
        for label, groups in SEED_004.items():
            if label not in by_label:
                continue
            if number in groups.get("done", {}):
                answer, details = "done", groups["done"][number]
            elif number in groups.get("partly", {}):
                answer, details = "partly", groups["partly"][number]
            else:
                answer, details = "not_done", {}
            answers.append(
                ChecklistAnswer(sheet=sheet, item=by_label[label], answer=answer, details=details)
            )
        ChecklistAnswer.objects.bulk_create(answers)


def _draft_order(campaign: MonitoringCampaign) -> None:
    from opora.monitoring.documents import OrderOptions, build_order, monitoring_data

    options = OrderOptions(
        kind=DocumentKind.ORDER,
        basis="В соответствии с распоряжениями Департамента общего образования Томской "
        "области от 10.03.2020 № 187-р «Об утверждении программы повышения качества "
        "образования в школах с низкими результатами обучения и /или в школах, "
        "функционирующих в неблагоприятных социальных условиях на территории Томской "
        "области», департамента образования администрации Города Томска от 22.01.2021 "
        "№ 25-р «О выполнении программы повышения качества образования в школах с низкими "
        "результатами обучения и/или в школах, функционирующих в неблагоприятных социальных "
        "условиях на территории Города Томска»",
        report_to="Предоставить в комитет по общему образованию (председатель комитета "
        "Назарова О.И.) Программы повышения качества образования",
        report_due=date(2021, 3, 10),
        control_person="Швайко И.В.",
        control_position="заместитель начальника департамента образования администрации "
        "Города Томска",
        **{k: v for k, v in ORDER_REQUISITES.items() if k in ("organisation", "place")},
    )
    text = build_order(monitoring_data(campaign), options)
    document = Document(
        kind=DocumentKind.ORDER,
        title=text.title,
        body=text.body,
        **ORDER_REQUISITES,
    )
    document.source = campaign
    document.save()
