"""Herrljunga: influence and everyday activities in residential care."""

from __future__ import annotations

from typing import Final

from seed.content.builders import cross_index, person, span_weeks
from seed.content.library import SATISFACTION_WITH_TREATMENT
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
    "herrljunga_vo", "Herrljunga kommun, Vård och omsorg", "Herrljunga", "vard_och_omsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("herrljunga_enhetschef", "Camilla Andersson", "herrljunga"),
    person("herrljunga_kvalitetssamordnare", "Stefan Alm", "herrljunga"),
    person("herrljunga_underskoterska", "Jenny Karlsson", "herrljunga"),
    person("herrljunga_arbetsterapeut", "Maja Svensson", "herrljunga"),
    person("herrljunga_anhorig", "Birgitta Olausson", "herrljunga"),
)

_MONTHS: Final = 12
_WEEKS: Final = 44


def _week(month_index: int) -> int:
    return cross_index(month_index, source=("month", _MONTHS, 0), target=("week", _WEEKS, 0))


_INFLUENCE = MeasureSpec(
    key="herrljunga_paverka_hjalpen",
    name="Andel boende som upplever att de kan påverka när och hur de får hjälp",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal boende som svarar ”alltid” eller ”oftast” på frågan om de kan påverka när och hur de "
        "får hjälp. Nämnare: antal boende på enheten som besvarat frågan. Frågan ställs varje månad i ett "
        "samtal med en medarbetare från en annan enhet, så att svaren inte påverkas av den egna personalen. "
        "Kvalitetssamordnaren sammanställer resultatet."
    ),
    direction="increase",
    frequency="month",
    baseline=52.0,
    target=80.0,
    target_weeks_from_start=65,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 52.0, 0.0), LevelSpec(7, 70.0, 0.0)),
        denominator_mean=18.0,
        denominator_sd=1.0,
        seed=1601,
    ),
)

_WISHES_IN_PLAN = MeasureSpec(
    key="herrljunga_onskemal_i_plan",
    name="Andel genomförandeplaner som beskriver den boendes egna önskemål",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal granskade genomförandeplaner som beskriver minst ett önskemål från den boende utöver "
        "grundläggande omvårdnad, till exempel en aktivitet eller en vana. Nämnare: antal granskade planer. "
        "Kvalitetssamordnaren granskar varje månad sju slumpvis valda planer på enheten."
    ),
    direction="increase",
    frequency="month",
    baseline=29.0,
    target=85.0,
    target_weeks_from_start=52,
    chart="run",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 29.0, 4.0), LevelSpec(4, 87.0, 3.0)),
        denominator_mean=7.0,
        seed=1602,
        clip_max=100.0,
    ),
)

_ACTIVITIES = MeasureSpec(
    key="herrljunga_individuella_aktiviteter",
    name="Antal individuella aktiviteter på enheten",
    kind="process",
    data_type="count",
    unit="aktiviteter",
    definition=(
        "Antal genomförda aktiviteter med en eller två boende utifrån deras egna önskemål, till exempel en "
        "promenad, bakning eller ett besök i affären. Personalen för in aktiviteten på aktivitetstavlan när "
        "den är genomförd och enhetschefen räknar samman veckan varje fredag. Gemensamma aktiviteter för hela "
        "huset räknas inte."
    ),
    direction="increase",
    frequency="week",
    baseline=4.0,
    target=10.0,
    target_weeks_from_start=65,
    chart="c",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 4.0, 0.0), LevelSpec(_week(4), 7.0, 0.0), LevelSpec(_week(7), 11.5, 0.0)),
        seed=201603,
        integer=True,
        gaps=(_week(6) + 1,),
    ),
)

_TREATMENT = SATISFACTION_WITH_TREATMENT.use(
    "herrljunga_nojd_bemotande",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 80.0, 0.0),),
        denominator_mean=18.0,
        denominator_sd=1.0,
        seed=301604,
    ),
    baseline=80.0,
    target=90.0,
    target_weeks_from_start=65,
)

INITIATIVE: Final = InitiativeSpec(
    key="herrljunga_inflytande",
    organisation=ORGANISATION,
    title="Inflytande och vardagsaktiviteter på särskilt boende",
    problem=(
        "Socialstyrelsens nationella brukarundersökning visade att de äldre i kommunen upplevde små "
        "möjligheter att påverka sin vardag, till exempel när och hur hjälpen ges. Genomförandeplanerna "
        "handlade nästan bara om grundläggande omvårdnad. Vid en genomgång av sju planer fanns önskemål utöver "
        "de basala behoven beskrivna i endast två."
    ),
    rationale=(
        "Inflytande över den egna dagen är centralt för livskvaliteten när man bor på ett boende. "
        "Gruppintervjuerna visade att de boende framför allt ville ha mer att säga till om i den personliga "
        "omvårdnaden och komma ut oftare. Behovet av att arbeta med delaktighet och genomförandeplaner finns"
        " i alla verksamheter, så erfarenheterna från ett boende kan spridas vidare."
    ),
    target_group=(
        "Boende på en enhet vid ett av kommunens två särskilda boenden, deras närstående och enhetens personal."
    ),
    aim=(
        "Senast {maldatum} ska minst 80 procent av de boende på enheten uppleva att de kan påverka när och hur "
        "de får hjälp, och minst sex av sju granskade genomförandeplaner ska beskriva den boendes egna "
        "önskemål."
    ),
    status="active",
    rag=None,
    what_we_did=(
        "Vi valde ett av kommunens två särskilda boenden och höll gruppintervjuer med de boende. I "
        "grupparbeten med personalen togs förslag fram, och vi bestämde tre fokusområden: aktiviteter för "
        "hela huset, för enheten och för den enskilde, där de två sista fick störst vikt. Föreningar och "
        "andra aktörer anordnar gemensamma aktiviteter som bingo och gudstjänst. På enheten promenerar och "
        "bakar personal och boende tillsammans, och en aktivitetstavla visar veckans planering."
    ),
    results=(
        "Genomförandeplanerna beskriver nu i betydligt högre grad den enskildes egna önskemål. Antalet "
        "individuella aktiviteter på enheten har mer än fördubblats och aktivitetstavlan används varje dag. "
        "Andelen boende som upplever att de kan påverka sin vardag har stigit men når ännu inte målet. "
        "Mätningarna fortsätter varje månad."
    ),
    team=(
        TeamMemberSpec("herrljunga_enhetschef", "enhetschef"),
        TeamMemberSpec("herrljunga_kvalitetssamordnare", "verksamhetsutvecklare"),
        TeamMemberSpec("herrljunga_underskoterska", "underskoterska"),
        TeamMemberSpec("herrljunga_arbetsterapeut", "arbetsterapeut"),
        TeamMemberSpec("herrljunga_anhorig", "anhorig"),
    ),
    measures=(_INFLUENCE, _WISHES_IN_PLAN, _ACTIVITIES, _TREATMENT),
    pdsa_cycles=(
        PdsaSpec(
            key="herrljunga_pgsa_1",
            title="Samtal om önskemål – två kontaktpersoner testar",
            change_idea=(
                "Om kontaktpersonen frågar den boende vad hen tycker om att göra och skriver in svaret i "
                "genomförandeplanen blir önskemålen synliga för alla som arbetar."
            ),
            plan=(
                "Två kontaktpersoner håller samtalet med sina fyra boende under två veckor, med tre "
                "stödfrågor som arbetsterapeuten tagit fram. Kvalitetssamordnaren granskar planerna efteråt."
            ),
            prediction="Alla åtta planer kommer att innehålla minst ett eget önskemål.",
            do_notes=(
                "Sju av åtta samtal blev av. Två boende med demenssjukdom hade svårt att svara, och där bidrog "
                "närstående med berättelser om tidigare vanor."
            ),
            study_notes=(
                "Planerna blev mer personliga, men samtalen tog längre tid än beräknat. Närståendes kunskap "
                "behöver tas in redan när samtalet bokas."
            ),
            act="adapt",
            status="done",
            start_period_index=3,
            end_period_index=3,
            linked_measures=("herrljunga_onskemal_i_plan",),
        ),
        PdsaSpec(
            key="herrljunga_pgsa_2",
            title="Önskemål vid varje uppdatering av genomförandeplanen",
            change_idea=(
                "Samtalet om önskemål, med närstående inbjudna, blir en fast del av varje uppdatering av "
                "genomförandeplanen."
            ),
            plan=(
                "Alla kontaktpersoner på enheten använder stödfrågorna vid nästa uppdatering. Enhetschefen "
                "följer upp på arbetsplatsträffen och kvalitetssamordnaren granskar sju planer i månaden."
            ),
            prediction="Minst sex av sju granskade planer beskriver egna önskemål inom två månader.",
            do_notes=(
                "Samtliga planer på enheten uppdaterades inom sju veckor. Önskemålen handlade oftast om att komma "
                "ut, om mat och om tider för dusch."
            ),
            study_notes=(
                "Andelen planer med egna önskemål steg från ungefär tre av tio till åtta av tio. Antalet "
                "individuella aktiviteter ökade samtidigt."
            ),
            act="adopt",
            status="done",
            start_period_index=4,
            end_period_index=6,
            linked_measures=("herrljunga_onskemal_i_plan", "herrljunga_individuella_aktiviteter"),
            previous="herrljunga_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="herrljunga_pgsa_3",
            title="Veckans aktivitetstavla",
            change_idea=(
                "En tavla i dagrummet där boende och personal tillsammans planerar veckans aktiviteter gör att "
                "önskemålen blir av och att de boende ser vad som ska hända."
            ),
            plan=(
                "Enheten planerar veckan tillsammans på måndagens förmiddagsfika under sex veckor. Personalen "
                "bockar av genomförda aktiviteter och vi frågar de boende om inflytande varje månad."
            ),
            prediction="Minst tio individuella aktiviteter i veckan och fler boende som upplever inflytande.",
            do_notes=(
                "Tavlan blev snabbt en samtalspunkt, även för närstående. Aktiviteterna fick ibland ställas in "
                "när någon var sjuk, men de flyttades oftast i stället för att strykas."
            ),
            study_notes=(
                "Antalet individuella aktiviteter ökade till omkring tio i veckan och andelen boende som "
                "upplever att de kan påverka steg till omkring 70 procent."
            ),
            act="adopt",
            status="done",
            start_period_index=7,
            end_period_index=9,
            linked_measures=("herrljunga_individuella_aktiviteter", "herrljunga_paverka_hjalpen"),
            new_phase=True,
        ),
        PdsaSpec(
            key="herrljunga_pgsa_4",
            title="Den boende väljer själv tid för dusch",
            change_idea=(
                "Om den boende själv får välja dag och tid för dusch ökar inflytandet över den personliga omvårdnaden."
            ),
            plan=(
                "Enheten erbjuder fria duschtider under fyra veckor och justerar schemat efter önskemålen. "
                "Undersköterskorna noterar hur ofta önskad tid kunde hållas."
            ),
            prediction="Minst åtta av tio duschar sker på den tid den boende valt.",
            do_notes="Testet har startat och schemat har anpassats för förmiddagar och kvällar.",
            study_notes="Utvärderas tillsammans med de boende efter fyra veckor.",
            act=None,
            status="running",
            start_period_index=10,
            end_period_index=None,
            linked_measures=("herrljunga_paverka_hjalpen",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Genom att analysera fakta kunde vi slå fast att problemet var verkligt och var det var störst. "
                "Det gjorde det lättare att prioritera."
            ),
            tags=("analys", "fakta"),
            author="herrljunga_kvalitetssamordnare",
            period_index=2,
        ),
        LessonSpec(
            text=(
                "Ledningen ska välja vad som är viktigast, besluta, ge stöd och följa upp resultaten, men "
                "inte själv genomföra förbättringarna."
            ),
            tags=("ledning", "roller"),
            author="herrljunga_enhetschef",
            period_index=5,
        ),
        LessonSpec(
            text=(
                "Kommunikation skapar delaktighet. Aktivitetstavlan blev ett sätt för boende, närstående och "
                "personal att se samma plan, och vi påminns om att vi finns till för de boende."
            ),
            tags=("kommunikation", "brukarfokus"),
            author="herrljunga_underskoterska",
            period_index=9,
        ),
    ),
    reviews=(),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
