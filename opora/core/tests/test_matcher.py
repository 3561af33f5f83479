"""The meaning matcher: which roadmap events address a recommendation, and which catalogue
entries say the same thing (issue 13). Each rule on a small set of events worked out by hand."""

from opora.core.russian import meaning
from opora.core.russian.lemmas import is_modifier, same_root
from opora.core.russian.matcher import MeaningIndex, group_by_meaning
from opora.core.russian.vectors import similarity, vectors_path

BURNOUT = "организовать мероприятия по профилактике профессионального выгорания педагогов"
EVENTS = [
    "Мероприятия по профилактике профессионального выгорания педагогов",  # 0 verbatim
    "Занятия психолога с педагогами по профилактике эмоционального выгорания",  # 1 paraphrase
    "Профилактика профессионального выгорания педагогов не планируется",  # 2 refused
    "Разное: выгорание, профилактика, психолог, педагоги",  # 3 a list of words
    "Участие педагогов в региональных конкурсах профессионального мастерства",  # 4 other topic
    "Ремонт спортивного зала",  # 5 unrelated
    # The rest of a roadmap, where «педагог» is everywhere, as in a real one.
    "Направление педагогов на КПК по функциональной грамотности",
    "Семинар для педагогов начальных классов по преемственности",
    "Закрепление наставников за молодыми педагогами",
    "Анализ результатов ВПР на заседаниях РМО педагогов",
    "Стимулирующие выплаты педагогам за работу с отстающими",
    "Информационное сопровождение программы на сайте управления образования",
]


def test_an_event_that_does_what_the_recommendation_asks_covers_it_in_other_words_too():
    index = MeaningIndex(EVENTS)
    assert [i for i, _ in index.matches(BURNOUT)] == [0, 1]


def test_a_refused_or_cancelled_event_or_a_list_of_keywords_covers_nothing():
    index = MeaningIndex(EVENTS)
    found = {i for i, _ in index.matches(BURNOUT)}
    assert not found & {2, 3}
    assert index.acting[:6] == [True, True, False, False, True, True]


def test_an_adjective_shared_with_another_topic_is_not_enough():
    # «профессиональный» and «педагог» are in the contests event; the topic is «выгорание».
    index = MeaningIndex(EVENTS)
    assert 4 not in {i for i, _ in index.matches(BURNOUT)}
    assert is_modifier("профессиональный") and not is_modifier("выгорание")


def test_the_reason_names_the_shared_words_and_the_near_ones():
    index = MeaningIndex(["Закрепление наставников за молодыми учителями"])
    why = index.why("организовать работу по наставничеству", 0)
    assert why == "общие слова: наставничество ~ наставник"


def test_uncovered_recommendations_get_the_closest_acting_events():
    index = MeaningIndex(EVENTS)
    closest = [i for i, _ in index.closest("профилактика выгорания у обучающихся", n=3)]
    assert closest[0] in (0, 1)
    assert 2 not in closest and 3 not in closest


def test_doing_away_with_a_problem_is_an_action_not_a_refusal():
    assert not meaning.refuses("Мероприятия по ликвидации пробелов у учащихся")
    assert not meaning.refuses("Устранение дефицитов знаний по математике")
    assert meaning.refuses("Ликвидация методического кабинета")
    assert meaning.refuses("Занятия по ликвидации пробелов отменены")


def test_a_list_of_topics_is_not_an_action_even_when_one_topic_is_a_word_of_doing():
    assert meaning.is_keyword_list("функциональная грамотность, педагоги, обучение, курсы")
    assert not meaning.is_keyword_list("Обучение педагогов: семинары, вебинары, КПК, стажировки")


def test_word_vectors_ship_inside_an_installed_package():
    assert vectors_path().is_file()
    assert similarity("учитель", "педагог") > 0.5
    assert similarity("педагог", "ремонт") < 0.2
    assert similarity("тоипкро", "курс") == 0.0  # no vector: no claim


def test_a_long_common_beginning_makes_one_root():
    assert same_root("наблюдение", "наблюдатель")
    assert not same_root("педагог", "педиатр")


def test_the_catalogue_groups_the_same_advice_written_differently():
    texts = [
        "использовать региональные профессиональные конкурсы для педагогов в качестве "
        "механизма повышения профессионального мастерства",
        "организовать работу с кадровым резервом",
        "использовать региональные профессиональные конкурсы для педагогов как механизмы "
        "повышения профессионального мастерства с акцентом на молодых педагогов, методистов и "
        "наставников",
        "проводить анализ участия педагогов в конкурсах профессионального мастерства",
        "организовать работу с кадровым резервом руководителей",
    ]
    # The same head noun and the same words (or all of them with an emphasis added) group;
    # «анализ участия … в конкурсах» is about an analysis, not about the contests.
    assert group_by_meaning(texts) == [[0, 2], [1, 4], [3]]
