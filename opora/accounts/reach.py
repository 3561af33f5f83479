"""Who a message to schools or municipalities reaches: those with an active account of their role.

A reminder or a notice addressed to a school is delivered to the school's users; a school
without one in Opora learns nothing from it. Pages that send such messages say how many of
their addressees it reached, so that the sender knows whom to call.
"""

from dataclasses import dataclass

from opora.accounts.models import Role, User


@dataclass(frozen=True)
class Reach:
    addressed: int
    reached: int

    @property
    def unreached(self) -> int:
        return self.addressed - self.reached


def reach_of(*, school_ids=(), municipality_ids=()) -> Reach:
    """How many of the schools and municipalities have at least one active user of their role."""
    schools, municipalities = set(school_ids), set(municipality_ids)
    reached = 0
    if schools:
        reached += (
            User.objects.filter(role=Role.SCHOOL, is_active=True, school_id__in=schools)
            .values("school_id")
            .distinct()
            .count()
        )
    if municipalities:
        reached += (
            User.objects.filter(
                role=Role.MUNICIPAL, is_active=True, municipality_id__in=municipalities
            )
            .values("municipality_id")
            .distinct()
            .count()
        )
    return Reach(len(schools) + len(municipalities), reached)


# The addressee's forms: dative (sent to …), genitive after «у» (… have no account), and the
# genitive plural after «ни у одной/одного из N».
_FORMS = {
    "school": (("школе", "школам", "школам"), ("школы", "школ", "школ"), "ни у одной", "школ"),
    "municipality": (
        ("муниципалитету", "муниципалитетам", "муниципалитетам"),
        ("муниципалитета", "муниципалитетов", "муниципалитетов"),
        "ни у одного",
        "муниципалитетов",
    ),
}


def reminder_message(reach: Reach, kind: str = "school") -> tuple[bool, str]:
    """(reached anyone, the sentence for the sender): «Напоминание отправлено: 2 школам из 69.
    У 67 школ нет учётной записи в «Опоре» — сообщите им иначе.»"""
    from opora.core.russian.plurals import count, number

    dative, genitive, none_of, many = _FORMS[kind]
    if not reach.reached:
        return False, (
            f"Напоминание никому не отправлено: {none_of} из {number(reach.addressed)} {many} "
            "нет учётной записи в «Опоре». Сообщите им иначе."
        )
    text = f"Напоминание отправлено: {count(reach.reached, *dative)}"
    if reach.unreached:
        text += (
            f" из {number(reach.addressed)}. У {count(reach.unreached, *genitive)} нет учётной "
            "записи в «Опоре» — сообщите им иначе."
        )
    else:
        text += "."
    return True, text
