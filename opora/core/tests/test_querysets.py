"""Lists most often empty, loaded and counted the cheap way (core.querysets)."""

from django.db.models import Count

from opora.core.querysets import Counted, count_all, counts_each, listed
from opora.registry.models import Municipality, School
from opora.testing.factories import MunicipalityFactory, SchoolFactory


def _schools(n, municipality=None, **extra):
    municipality = municipality or MunicipalityFactory()
    return [SchoolFactory(municipality=municipality, **extra) for _ in range(n)]


def test_listed_keeps_the_order_and_the_limit(db):
    made = _schools(5)
    rows = School.objects.select_related("municipality").order_by("-pk")
    assert listed(rows, 3) == sorted(made, key=lambda s: -s.pk)[:3]
    assert listed(rows, 10) == sorted(made, key=lambda s: -s.pk)


def test_listed_builds_nothing_when_the_candidates_are_empty(db, django_assert_num_queries):
    _schools(2)
    built = []

    def rows():
        built.append(1)
        return School.objects.all()

    with django_assert_num_queries(1):
        assert listed(rows, 10, candidates=School.objects.filter(is_active=False)) == []
    assert built == []
    assert len(listed(rows, 10, candidates=School.objects.all())) == 2
    assert built == [1]


def test_listed_of_nothing_asks_once(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert listed(School.objects.select_related("municipality"), 10) == []


def test_count_all_adds_up_every_part_in_one_statement(db, django_assert_num_queries):
    a, b = MunicipalityFactory(), MunicipalityFactory()
    _schools(3, a)
    _schools(2, b, is_active=False)
    grouped = Municipality.objects.annotate(n=Count("schools")).filter(n__gte=2)
    parts = [
        School.objects.filter(municipality=a),  # 3
        School.objects.filter(is_active=False),  # 2
        School.objects.none(),  # 0, never asked
        grouped,  # 2 municipalities, counted as groups
        Counted(lambda: School.objects.all(), candidates=School.objects.filter(pk__gt=0)),  # 5
        Counted(lambda: School.objects.all(), candidates=School.objects.none()),  # skipped
        Counted(
            lambda: School.objects.all(), candidates=School.objects.filter(short_name="нет такой")
        ),  # skipped
    ]
    expected = 3 + 2 + 0 + 2 + 5
    with django_assert_num_queries(1):
        assert count_all(parts) == expected
    assert count_all([]) == 0
    assert count_all([School.objects.none()]) == 0


def test_count_all_agrees_with_count_on_distinct_and_sliced_free_querysets(db):
    a = MunicipalityFactory()
    _schools(4, a)
    joined = Municipality.objects.filter(schools__is_active=True)  # a row per school
    assert count_all([joined]) == joined.count() == 4
    assert count_all([joined.distinct()]) == joined.distinct().count() == 1


def test_counts_each_keeps_a_values_selection_and_each_number(db, django_assert_num_queries):
    a = MunicipalityFactory()
    _schools(3, a)
    _schools(2)
    per_municipality = School.objects.values("municipality_id").distinct()
    with django_assert_num_queries(1):
        assert counts_each([School.objects.all(), per_municipality, School.objects.none()]) == [
            5,
            2,
            0,
        ]


def test_within_a_request_an_answered_superset_is_not_asked_again(db, django_assert_num_queries):
    from opora.core import memo

    _schools(1)
    token = memo.opened()
    try:
        guarded = Counted(lambda: School.objects.all(), candidates=School.objects.all())
        listed(School.objects.all(), 5, candidates=School.objects.all())
        with django_assert_num_queries(1):  # the counts only: the superset is known
            assert count_all([guarded]) == 1
    finally:
        memo.close(token)


def test_count_all_asks_as_many_statements_whether_the_candidates_are_there_or_not(
    db, django_assert_num_queries
):
    """A page's queries do not depend on whether something waits: one statement either way."""
    parts = [
        School.objects.all(),
        Counted(lambda: School.objects.filter(is_active=True), candidates=School.objects.all()),
    ]
    with django_assert_num_queries(1):
        assert count_all(parts) == 0
    _schools(2)
    with django_assert_num_queries(1):
        assert count_all(parts) == 4
