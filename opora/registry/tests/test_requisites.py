"""The requisites of a region's documents come from the registry, never from code."""

from __future__ import annotations

from opora.registry.models import Municipality, Organisation, OrganisationKind, Region
from opora.registry.requisites import (
    municipal_authority,
    place_of,
    regional_authority,
    regional_operator,
)


def test_a_city_is_where_its_documents_are_signed(db):
    region = Region.objects.create(name="Томская область")
    city = Municipality.objects.create(region=region, name="Город Томск", kind="city")
    district = Municipality.objects.create(
        region=region, name="Каргасокский район", kind="district"
    )
    assert place_of(city) == "г. Томск"
    assert place_of(district) == ""
    assert place_of(None) == ""


def test_the_regional_bodies_and_their_place(db):
    region = Region.objects.create(name="Томская область", centre="г. Томск")
    Organisation.objects.create(
        short_name="ТОИПКРО",
        name="Томский областной институт повышения квалификации и переподготовки работников "
        "образования",
        kind=OrganisationKind.REGIONAL_OPERATOR,
    )
    Organisation.objects.create(
        short_name="ДОО ТО",
        name="Департамент общего образования Томской области",
        kind=OrganisationKind.REGIONAL_AUTHORITY,
    )
    operator = regional_operator()
    assert operator.organisation == (
        "Томский областной институт повышения квалификации и переподготовки работников "
        "образования (ТОИПКРО)"
    )
    assert operator.place == "г. Томск"
    assert regional_authority().organisation == "Департамент общего образования Томской области"

    city = Municipality.objects.create(region=region, name="Город Томск", kind="city")
    Organisation.objects.create(
        short_name="ДО",
        name="Департамент образования администрации Города Томска",
        kind=OrganisationKind.MUNICIPAL_AUTHORITY,
        municipality=city,
    )
    authority = municipal_authority(city)
    assert (authority.organisation, authority.place) == (
        "Департамент образования администрации Города Томска",
        "г. Томск",
    )


def test_an_empty_registry_leaves_the_header_for_the_official_to_fill(db):
    assert (regional_operator().organisation, regional_operator().place) == ("", "")
