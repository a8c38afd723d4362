"""Torsås: care plans (genomförandeplaner) on time and made with the client (completed)."""

from __future__ import annotations

from typing import Final

from seed.content.builders import person, span_weeks
from seed.content.library import CURRENT_CARE_PLAN
from seed.content.types import (
    InitiativeSpec,
    LessonSpec,
    LevelSpec,
    MeasureSpec,
    OrganisationSpec,
    PdsaSpec,
    PersonSpec,
    ReviewSpec,
    SeriesSpec,
    TeamMemberSpec,
)

ORGANISATION: Final = OrganisationSpec("torsas_sof", "Torsås kommun, Socialförvaltningen", "Torsås", "aldreomsorg")

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("torsas_socialchef", "Lennart Gunnarsson", "torsas"),
    person("torsas_controller", "Pernilla Abrahamsson", "torsas"),
    person("torsas_omradeschef", "Viktoria Håkansson", "torsas"),
    person("torsas_underskoterska", "Zeynep Demir", "torsas"),
    person("torsas_mas", "Ann-Sofie Petersson", "torsas"),
    person("torsas_brukarrepresentant", "Rune Carlsson", "torsas"),
)

_MONTHS: Final = 20

_INVOLVED = MeasureSpec(
    key="torsas_delaktig_i_plan",
    name="Andel brukare som upplever sig delaktiga i sin genomförandeplan",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal intervjuade brukare som svarar ja på frågan om de fått vara med och bestämma vad som "
        "står i genomförandeplanen. Nämnare: samtliga brukare som deltog i månadens intervjuer. Utredaren "
        "intervjuar varje månad ett slumpvis urval av brukare som har en plan, per telefon eller vid hembesök, och "
        "resultatet redovisas för nämnden enligt årshjulet."
    ),
    direction="increase",
    frequency="month",
    baseline=46.0,
    target=75.0,
    target_weeks_from_start=60,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 46.0, 0.0), LevelSpec(7, 66.0, 0.0), LevelSpec(11, 80.0, 0.0)),
        denominator_mean=22.0,
        denominator_sd=2.0,
        seed=2802301,
    ),
)

_ON_TIME = MeasureSpec(
    key="torsas_plan_inom_14_dagar",
    name="Andel nya insatser med genomförandeplan inom 14 dagar",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal insatser som verkställts under månaden och där en genomförandeplan upprättats inom "
        "14 dagar från verkställigheten. Nämnare: antal insatser som verkställts under månaden. Controllern "
        "hämtar datumen ur verksamhetssystemet en månad i efterhand, så att alla planer hunnit registreras."
    ),
    direction="increase",
    frequency="month",
    baseline=34.0,
    target=85.0,
    target_weeks_from_start=60,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 34.0, 3.0), LevelSpec(7, 70.0, 3.0), LevelSpec(11, 88.0, 2.0)),
        denominator_mean=16.0,
        denominator_sd=3.0,
        seed=502302,
        clip_max=100.0,
    ),
)

_CARE_PLAN = CURRENT_CARE_PLAN.use(
    "torsas_genomforandeplan",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 62.0, 1.5), LevelSpec(11, 91.0, 1.5)),
        denominator_mean=160.0,
        denominator_sd=3.0,
        seed=2303,
    ),
    baseline=62.0,
    target=90.0,
    target_weeks_from_start=78,
)

INITIATIVE: Final = InitiativeSpec(
    key="torsas_genomforandeplan",
    organisation=ORGANISATION,
    title="Genomförandeplaner i tid och tillsammans med brukaren",
    problem=(
        "Genomförandeplaner upprättades inte inom rimlig tid efter att en insats startat, och brukarna "
        "upplevde inte att de var delaktiga i planeringen. Ingen visste riktigt vems uppgift det var att se "
        "till att planen blev gjord. Uppföljningen var sporadisk och nämnden fick ingen samlad bild."
    ),
    rationale=(
        "Genomförandeplanen är brukarens möjlighet att påverka hur insatsen utförs i vardagen. Utan en plan "
        "blir hjälpen beroende av vem som arbetar, och brukarens önskemål riskerar att gå förlorade. En tydlig "
        "rutin ger också personalen trygghet i vad som förväntas av dem."
    ),
    target_group=(
        "Brukare med nya och pågående insatser i äldreomsorg och hemtjänst, deras kontaktpersoner och områdescheferna."
    ),
    aim=(
        "Senast {maldatum} ska minst 85 procent av nya insatser ha en genomförandeplan inom 14 dagar från att "
        "insatsen startat, och minst 75 procent av brukarna ska uppleva att de varit delaktiga i sin plan."
    ),
    status="completed",
    rag="green",
    what_we_did=(
        "Vi skapade en rutin som anger när och av vem genomförandeplanen ska göras. Vi följer regelbundet "
        "upp både nystartade insatser och befintliga planer, bland annat genom intervjuer med brukarna. Ett "
        "årshjul styr när resultatet återrapporteras till nämnden. Kontaktpersonerna fick utbildning i att "
        "göra planen tillsammans med brukaren."
    ),
    results=(
        "Nästan nio av tio nya insatser har numera en genomförandeplan inom 14 dagar, jämfört med ungefär en "
        "tredjedel vid starten. Andelen brukare som upplever sig delaktiga har ökat till omkring åtta av tio. "
        "Det är tydligt vem som ansvarar och varför planen ska göras, och planen används som ett levande "
        "dokument. Förbättringsarbetet är avslutat och måtten ingår nu i den ordinarie uppföljningen."
    ),
    team=(
        TeamMemberSpec("torsas_controller", "controller"),
        TeamMemberSpec("torsas_omradeschef", "enhetschef"),
        TeamMemberSpec("torsas_underskoterska", "underskoterska"),
        TeamMemberSpec("torsas_mas", "mas"),
        TeamMemberSpec("torsas_brukarrepresentant", "brukarrepresentant"),
    ),
    measures=(_INVOLVED, _ON_TIME, _CARE_PLAN),
    pdsa_cycles=(
        PdsaSpec(
            key="torsas_pgsa_1",
            title="Plansamtalet bokas vid första besöket",
            change_idea=(
                "Om kontaktpersonen bokar tid för plansamtalet redan vid första besöket blir planen gjord inom "
                "två veckor."
            ),
            plan=(
                "Ett hemtjänstområde testar under två månader. Controllern följer hur många nya insatser som får "
                "en plan inom 14 dagar."
            ),
            prediction="Minst sju av tio nya insatser i området får en plan inom 14 dagar.",
            do_notes=(
                "Samtalen bokades, men flera ställdes in när kontaktpersonen var ledig och ingen annan visste "
                "att de skulle genomföras."
            ),
            study_notes=(
                "Idén fungerar när någon har ansvaret. Rutinen måste säga vem som tar över när kontaktpersonen "
                "är borta."
            ),
            act="adapt",
            status="done",
            start_period_index=4,
            end_period_index=6,
            linked_measures=("torsas_plan_inom_14_dagar",),
        ),
        PdsaSpec(
            key="torsas_pgsa_2",
            title="Rutin med tydligt ansvar och tidsgräns",
            change_idea=(
                "En skriftlig rutin anger att kontaktpersonen gör planen inom 14 dagar, att områdeschefen "
                "kontrollerar och att en namngiven ersättare tar över vid frånvaro."
            ),
            plan=(
                "Rutinen införs i alla områden efter en utbildningsträff. Områdescheferna går igenom listan över "
                "nya insatser varje vecka i tre månader."
            ),
            prediction="Minst 70 procent av nya insatser får plan inom 14 dagar och fler brukare känner sig delaktiga.",
            do_notes="Utbildningsträffen nådde nästan alla. Listan blev en stående punkt på områdesmötena.",
            study_notes=(
                "Andelen planer i tid steg från en tredjedel till ungefär sju av tio, och andelen delaktiga "
                "brukare steg till omkring två tredjedelar."
            ),
            act="adopt",
            status="done",
            start_period_index=7,
            end_period_index=10,
            linked_measures=("torsas_plan_inom_14_dagar", "torsas_delaktig_i_plan"),
            previous="torsas_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="torsas_pgsa_3",
            title="Brukaren formulerar sina egna mål i planen",
            change_idea=(
                "Om planen börjar med brukarens egna ord om vad hen vill uppnå blir hen mer delaktig och planen "
                "används oftare i vardagen."
            ),
            plan=(
                "Alla kontaktpersoner inleder plansamtalet med frågan om vad brukaren vill att hjälpen ska leda "
                "till. Utredaren intervjuar brukare om delaktighet varje månad."
            ),
            prediction="Minst 75 procent av brukarna upplever sig delaktiga inom tre månader.",
            do_notes=(
                "Många brukare tyckte att frågan var ovanlig men viktig. Planerna blev något längre men mer personliga."
            ),
            study_notes=(
                "Andelen delaktiga brukare steg till omkring 80 procent och andelen aktuella planer till omkring "
                "90 procent."
            ),
            act="adopt",
            status="done",
            start_period_index=11,
            end_period_index=14,
            linked_measures=("torsas_delaktig_i_plan", "torsas_plan_inom_14_dagar", "torsas_genomforandeplan"),
            new_phase=True,
        ),
    ),
    lessons=(
        LessonSpec(
            text=("Statistik och regelbunden uppföljning behövs för att vi ska veta om vi blir bättre eller inte."),
            tags=("mätning", "uppföljning"),
            author="torsas_controller",
            period_index=8,
        ),
        LessonSpec(
            text=("Alla måste veta vem som gör vad, och alla i teamet behöver tillräcklig utbildning för sin uppgift."),
            tags=("ansvar", "kompetens"),
            author="torsas_omradeschef",
            period_index=10,
        ),
        LessonSpec(
            text=(
                "Fortsätt fråga varför tills ni når den egentliga orsaken; hos oss krävdes fem varv. Det "
                "första svaret var tidsbrist, men det verkliga skälet var att ingen visste vem som skulle "
                "göra planen."
            ),
            tags=("analys", "rotorsak"),
            author="torsas_mas",
            period_index=6,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=34,
            rag="green",
            assessment=(
                "Båda målen är nådda: nästan nio av tio nya insatser får en plan i tid och åtta av tio brukare "
                "känner sig delaktiga."
            ),
            decision="Arbetssätten behålls. Teamet följer resultaten i ett halvår till innan arbetet avslutas.",
            next_review_in_weeks=24,
            reviewer="torsas_socialchef",
        ),
        ReviewSpec(
            weeks_ago=10,
            rag="green",
            assessment="Resultaten har hållit i ett halvår och rutinen följs i alla områden.",
            decision=(
                "Förbättringsarbetet avslutas. Måtten följs fortsatt i årshjulet och rapporteras till nämnden "
                "två gånger om året."
            ),
            next_review_in_weeks=26,
            reviewer="torsas_socialchef",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
    ended_weeks_ago=10,
)
