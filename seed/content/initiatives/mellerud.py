"""Mellerud: calmer residents and fewer repeated alarms in residential care (draft, baseline only)."""

from __future__ import annotations

from typing import Final

from seed.content.builders import person
from seed.content.types import (
    InitiativeSpec,
    LessonSpec,
    LevelSpec,
    MeasureSpec,
    OrganisationSpec,
    PdsaSpec,
    PersonSpec,
    SeriesSpec,
    TeamMemberSpec,
)

ORGANISATION: Final = OrganisationSpec(
    "mellerud_sof", "Melleruds kommun, Socialförvaltningen", "Mellerud", "aldreomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("mellerud_socialchef", "Kjell Andreasson", "mellerud"),
    person("mellerud_mas", "Lena Hermansson", "mellerud"),
    person("mellerud_enhetschef", "Anna Thorén", "mellerud"),
    person("mellerud_underskoterska", "Elin Johansson", "mellerud"),
    person("mellerud_anhorig", "Karl-Erik Berg", "mellerud"),
)

# Baseline taken retrospectively from the alarm system's log; the initiative itself started recently.
_WEEKS: Final = 20

_REPEATED = MeasureSpec(
    key="mellerud_upprepade_larm",
    name="Andel larm som följs av ett nytt larm inom tio minuter",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal larm som följs av ett nytt larm från samma boende inom tio minuter. Nämnare: samtliga "
        "larm från boendets lägenheter under veckan. MAS tar ut larmloggen ur larmsystemet varje måndag och "
        "räknar fram andelen i ett kalkylark."
    ),
    direction="decrease",
    frequency="week",
    baseline=28.0,
    target=15.0,
    target_weeks_from_start=30,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 28.0, 1.5),),
        denominator_mean=105.0,
        denominator_sd=10.0,
        seed=902401,
    ),
)

_RESPONSE_TIME = MeasureSpec(
    key="mellerud_svarstid_larm",
    name="Tid från larm till att personal är på plats",
    kind="process",
    data_type="value",
    unit="minuter",
    definition=(
        "Medianen av antalet minuter från att ett larm utlöses till att personalen kvitterar det på plats hos "
        "den boende, för samtliga larm under veckan. Larm som kvitteras utan besök räknas inte. MAS hämtar "
        "värdet ur larmsystemets logg varje måndag."
    ),
    direction="decrease",
    frequency="week",
    baseline=7.5,
    target=4.0,
    target_weeks_from_start=30,
    chart="i",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 7.5, 0.8),),
        seed=102402,
        clip_min=1.0,
    ),
)

_ALARM_RATE = MeasureSpec(
    key="mellerud_larm_per_boendedygn",
    name="Trygghetslarm per 100 boendedygn",
    kind="outcome",
    data_type="rate",
    unit="per 100 boendedygn",
    definition=(
        "Täljare: antal utlösta larm från boendets lägenheter under veckan. Nämnare: antal boendedygn samma "
        "vecka, det vill säga antal belagda lägenheter multiplicerat med antalet dygn. MAS tar fram uppgifterna "
        "ur larmloggen och beläggningslistan varje måndag."
    ),
    direction="decrease",
    frequency="week",
    baseline=46.0,
    target=30.0,
    target_weeks_from_start=30,
    chart="u",
    rate_multiplier=100.0,
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 46.0, 2.0),),
        denominator_mean=224.0,
        denominator_sd=3.0,
        seed=102403,
    ),
)

INITIATIVE: Final = InitiativeSpec(
    key="mellerud_trygghet",
    organisation=ORGANISATION,
    title="Tryggare boende och färre upprepade larm",
    problem=(
        "Oro hos några boende på ett särskilt boende gör att de larmar ofta och larmar igen innan det första "
        "larmet hunnit besvaras. Personalen upplever larmen som en stor belastning, särskilt på kvällar och "
        "nätter. De boende som larmar upprepade gånger får ändå inte den trygghet de söker."
    ),
    rationale=(
        "Upprepade larm är ofta ett tecken på oro och ensamhet snarare än på ett konkret hjälpbehov. Med ett"
        " lugnare samspel och ett bemötande som tar oron på allvar kan de boende känna sig tryggare, "
        "samtidigt som personalen får mer tid för de planerade insatserna. Frågan gäller både de boendes "
        "livskvalitet och personalens arbetsmiljö."
    ),
    target_group="Boende på ett särskilt boende som larmar upprepade gånger, och personalen på boendet.",
    aim=(
        "Senast {maldatum} ska andelen larm som följs av ett nytt larm från samma boende inom tio minuter ha "
        "minskat från omkring 28 till högst 15 procent."
    ),
    status="draft",
    rag=None,
    what_we_did=(
        "Arbetet är i planeringsfasen. Vi har tagit ut larmstatistik för de senaste månaderna som "
        "nollmätning och förberett intervjuer med de boende utifrån ett enkätformulär. För att svaren ska "
        "bli så ärliga som möjligt ska intervjuerna göras av medarbetare som inte arbetar på boendet. Sedan "
        "är planen att personalen ska få lära sig motiverande samtal."
    ),
    results=(
        "Nollmätningen visar att drygt en fjärdedel av alla larm följs av ett nytt larm från samma boende inom "
        "tio minuter. Svarstiden är längst på kvällarna. Inga förändringar har ännu testats, eftersom "
        "bemanningsläget inte har tillåtit det. Ledningsgruppen har beslutat att starta när bemanningen är "
        "säkrad."
    ),
    team=(
        TeamMemberSpec("mellerud_enhetschef", "enhetschef"),
        TeamMemberSpec("mellerud_mas", "mas"),
        TeamMemberSpec("mellerud_underskoterska", "underskoterska"),
        TeamMemberSpec("mellerud_socialchef", "socialchef"),
        TeamMemberSpec("mellerud_anhorig", "anhorig"),
    ),
    measures=(_REPEATED, _RESPONSE_TIME, _ALARM_RATE),
    pdsa_cycles=(
        PdsaSpec(
            key="mellerud_pgsa_1",
            title="Intervjuer med boende om vad som skapar oro",
            change_idea=(
                "Om vi frågar de boende som larmar ofta vad som gör dem oroliga kan vi hitta andra sätt att möta "
                "behovet än att svara på larm."
            ),
            plan=(
                "Två medarbetare från hemtjänsten intervjuar de åtta boende som larmar mest, med stöd av en kort "
                "enkät. MAS sammanställer svaren och teamet väljer en första förändring."
            ),
            prediction="Oron handlar främst om ensamhet på kvällen och om osäkerhet kring när personalen kommer.",
            do_notes="Intervjuerna är inte påbörjade; de startar när bemanningen är säkrad.",
            study_notes="Studeras när intervjuerna är genomförda och sammanställda.",
            act=None,
            status="planned",
            start_period_index=22,
            end_period_index=25,
            linked_measures=("mellerud_upprepade_larm", "mellerud_larm_per_boendedygn"),
        ),
        PdsaSpec(
            key="mellerud_pgsa_2",
            title="Motiverande samtal – utbildning för en arbetsgrupp",
            change_idea=(
                "Personal som är tränad i motiverande samtal kan bemöta oro på ett sätt som gör att den boende "
                "känner sig lyssnad på och larmar mer sällan."
            ),
            plan=(
                "Kvällspersonalen på en avdelning går en kort utbildning och använder metoden i sex veckor. Vi "
                "följer upprepade larm och svarstid varje vecka."
            ),
            prediction="Andelen upprepade larm på avdelningen minskar till under 20 procent.",
            do_notes="Ännu inte påbörjad; utbildningen är bokad med en extern utbildare.",
            study_notes="Studeras efter sex veckors test.",
            act=None,
            status="planned",
            start_period_index=26,
            end_period_index=32,
            linked_measures=("mellerud_upprepade_larm", "mellerud_svarstid_larm"),
            previous="mellerud_pgsa_1",
        ),
    ),
    lessons=(
        LessonSpec(
            text="Innan vi sätter i gång behöver vi veta varför, hur det ska gå till och hur vi ska följa upp det.",
            tags=("planering",),
            author="mellerud_socialchef",
            period_index=18,
        ),
        LessonSpec(
            text=(
                "Redan när arbetet planeras behöver det vara bestämt vem som informerar vilka, när och i vilket syfte."
            ),
            tags=("kommunikation", "planering"),
            author="mellerud_enhetschef",
            period_index=19,
        ),
        LessonSpec(
            text=(
                "Använd stödfunktionerna. MAS kunde ta fram larmstatistiken på en dag när vi väl frågade, och "
                "rollerna blev tydligare när vi gjorde det."
            ),
            tags=("stödfunktioner", "roller"),
            author="mellerud_mas",
            period_index=19,
        ),
    ),
    reviews=(),
    started_weeks_ago=4,
)
