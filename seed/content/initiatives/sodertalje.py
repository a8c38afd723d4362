"""Södertälje: dignity guarantees (värdighetsgarantier) that hold in home care."""

from __future__ import annotations

from typing import Final

from seed.content.builders import person, span_weeks
from seed.content.library import CURRENT_CARE_PLAN, SATISFACTION_WITH_TREATMENT
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
    "sodertalje_soc", "Södertälje kommun, Socialkontoret", "Södertälje", "aldreomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("sodertalje_kvalitetschef", "Eva-Lena Holmqvist", "sodertalje"),
    person("sodertalje_statistikstrateg", "Gabriel Saliba", "sodertalje"),
    person("sodertalje_handlaggare", "Marie Kjellberg", "sodertalje"),
    person("sodertalje_enhetschef", "Tobias Lindström", "sodertalje"),
    person("sodertalje_brukarrepresentant", "Kerstin Forslund", "sodertalje"),
)

_MONTHS: Final = 18

_GUARANTEES = MeasureSpec(
    key="sodertalje_vardighetsgarantier",
    name="Andel brukare som anser att värdighetsgarantierna hålls",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal intervjuade brukare som svarar ja på alla tre frågorna om att personalen kommer på "
        "utlovad tid, att de vet vem som kommer och att de kan påverka hur hjälpen ges. Nämnare: antal brukare "
        "som intervjuats under månaden. Kvalitetsenheten intervjuar per telefon tio slumpvis valda brukare "
        "per hemtjänstområde och månad, och statistikstrategen sammanställer resultatet per område."
    ),
    direction="increase",
    frequency="month",
    baseline=70.0,
    target=85.0,
    target_weeks_from_start=90,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 70.0, 0.0), LevelSpec(9, 81.0, 0.0)),
        denominator_mean=60.0,
        denominator_sd=2.0,
        seed=202101,
    ),
)

_TREATMENT = SATISFACTION_WITH_TREATMENT.use(
    "sodertalje_nojd_bemotande",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 84.0, 0.0),),
        denominator_mean=60.0,
        denominator_sd=2.0,
        seed=2102,
    ),
    baseline=84.0,
    target=90.0,
    target_weeks_from_start=90,
)

_CURRENT_DECISION = MeasureSpec(
    key="sodertalje_aktuellt_beslut",
    name="Andel brukare i pilotområdet med aktuellt biståndsbeslut",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal brukare i pilotområdet vars biståndsbeslut om hemtjänst har fattats eller följts upp "
        "under de senaste tolv månaderna. Nämnare: samtliga brukare med hemtjänst i pilotområdet den sista "
        "dagen i månaden. Biståndshandläggaren tar fram listan ur verksamhetssystemet och "
        "verksamhetscontrollern kontrollerar den."
    ),
    direction="increase",
    frequency="month",
    baseline=61.0,
    target=90.0,
    target_weeks_from_start=90,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 61.0, 2.0), LevelSpec(11, 87.0, 1.5)),
        denominator_mean=130.0,
        denominator_sd=4.0,
        seed=102103,
    ),
)

_CARE_PLAN = CURRENT_CARE_PLAN.use(
    "sodertalje_genomforandeplan",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 58.0, 2.0), LevelSpec(11, 80.0, 2.0)),
        denominator_mean=130.0,
        denominator_sd=4.0,
        seed=902104,
    ),
    baseline=58.0,
    target=90.0,
    target_weeks_from_start=90,
)

INITIATIVE: Final = InitiativeSpec(
    key="sodertalje_vardighet",
    organisation=ORGANISATION,
    title="Värdighetsgarantier som håller i hemtjänsten",
    problem=(
        "Kommunens lokala värdighetsgarantier lovar bland annat trygghet i hemtjänsten, men ledningen såg "
        "att hemtjänstprocessen varken var effektiv eller levde upp till löftena. Bristerna fanns genom hela"
        " flödet: biståndsbeslut som inte var uppdaterade, genomförandeplaner som låg oanvända och "
        "handläggare och utförare som sällan stämde av med varandra. Ingen följde systematiskt upp om "
        "garantierna hölls."
    ),
    rationale=(
        "En garanti som inte följs upp är bara ett löfte på papper. Brukarna ska kunna lita på att hjälpen ges "
        "på det sätt som utlovats, och ett aktuellt beslut och en levande genomförandeplan är förutsättningar "
        "för det. Uppföljningen ger också ledningen underlag för att prioritera rätt."
    ),
    target_group="Brukare med hemtjänst, biståndshandläggare och medarbetare i hemtjänstområdena.",
    aim=(
        "Senast {maldatum} ska minst 85 procent av de intervjuade brukarna anse att värdighetsgarantierna "
        "hålls, och minst 90 procent av brukarna i pilotområdet ska ha ett aktuellt biståndsbeslut och en "
        "aktuell genomförandeplan."
    ),
    status="active",
    rag=None,
    what_we_did=(
        "Analysgrupper fick i uppdrag att förbättra rutinerna för uppföljning av beslut och för hur "
        "genomförandeplaner samordnas och används. En kommunikationsplan utgick från socialtjänstens vision. Vi "
        "tog fram en metod för att följa upp värdighetsgarantierna och intervjuar nu tio brukare per månad i "
        "varje hemtjänstområde. I ett pilotområde testas ett närmare samarbete mellan handläggare och utförare, "
        "så att besluten bygger på brukarens aktuella behov."
    ),
    results=(
        "Uppföljningen av värdighetsgarantierna är nu en fast del av verksamheten, med omkring 60 intervjuer"
        " i månaden. Andelen brukare som anser att garantierna hålls har ökat från 70 till drygt 80 procent."
        " I pilotområdet har andelen aktuella biståndsbeslut ökat tydligt sedan handläggare och utförare "
        "började stämma av tillsammans. Målen formuleras numera så att de går att mäta."
    ),
    team=(
        TeamMemberSpec("sodertalje_kvalitetschef", "verksamhetsutvecklare"),
        TeamMemberSpec("sodertalje_statistikstrateg", "controller"),
        TeamMemberSpec("sodertalje_handlaggare", "bistandshandlaggare"),
        TeamMemberSpec("sodertalje_enhetschef", "enhetschef"),
        TeamMemberSpec("sodertalje_brukarrepresentant", "brukarrepresentant"),
    ),
    measures=(_GUARANTEES, _TREATMENT, _CURRENT_DECISION, _CARE_PLAN),
    pdsa_cycles=(
        PdsaSpec(
            key="sodertalje_pgsa_1",
            title="Intervjuresultaten återkopplas på arbetsplatsträffar",
            change_idea=(
                "Om varje hemtjänstgrupp får se sina egna intervjusvar på arbetsplatsträffen kan de själva hitta "
                "vad som behöver ändras."
            ),
            plan=(
                "Statistikstrategen tar fram en sida per område. Enhetscheferna i två områden går igenom den på "
                "arbetsplatsträffen under tre månader."
            ),
            prediction="Grupperna föreslår minst tre konkreta förändringar var.",
            do_notes=(
                "Grupperna var engagerade men förslagen var ofta allmänna, till exempel att bli bättre på att "
                "passa tider."
            ),
            study_notes=(
                "Återkopplingen väckte intresse men räckte inte för att förändra arbetet. Grupperna behöver "
                "stöd att omsätta svaren i en plan."
            ),
            act="adapt",
            status="done",
            start_period_index=6,
            end_period_index=8,
            linked_measures=("sodertalje_vardighetsgarantier",),
        ),
        PdsaSpec(
            key="sodertalje_pgsa_2",
            title="Handlingsplan per område utifrån intervjuerna",
            change_idea=(
                "Varje område väljer den garanti där resultatet är sämst och gör en handlingsplan med en enda "
                "konkret förändring i taget."
            ),
            plan=(
                "Alla områden tar fram en handlingsplan med stöd av kvalitetsenheten och följer upp den varje "
                "månad mot intervjusvaren."
            ),
            prediction="Andelen brukare som anser att garantierna hålls ökar till minst 80 procent.",
            do_notes=(
                "De flesta områden valde att arbeta med att meddela brukaren när personalen blir försenad. Två "
                "områden valde att se över sina nyckelrutiner."
            ),
            study_notes="Andelen steg från omkring 70 till drygt 80 procent och har hållit sig på den nivån.",
            act="adopt",
            status="done",
            start_period_index=9,
            end_period_index=12,
            linked_measures=("sodertalje_vardighetsgarantier",),
            previous="sodertalje_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="sodertalje_pgsa_3",
            title="Gemensam avstämning mellan handläggare och utförare i pilotområdet",
            change_idea=(
                "Ett fast möte varannan vecka mellan biståndshandläggaren och hemtjänstens enhetschef fångar "
                "upp brukare vars behov har förändrats."
            ),
            plan=(
                "Pilotområdet håller avstämningen under tre månader. Handläggaren följer andelen aktuella beslut "
                "och enhetschefen andelen aktuella genomförandeplaner."
            ),
            prediction="Minst 85 procent av brukarna i området har aktuellt beslut efter tre månader.",
            do_notes=(
                "Mötena hölls enligt plan. Många beslut kunde följas upp direkt eftersom utföraren redan kände "
                "till förändringarna."
            ),
            study_notes=(
                "Andelen aktuella beslut steg från ungefär 60 till nästan 90 procent och andelen aktuella "
                "genomförandeplaner till omkring 80 procent."
            ),
            act="adopt",
            status="done",
            start_period_index=11,
            end_period_index=14,
            linked_measures=("sodertalje_aktuellt_beslut", "sodertalje_genomforandeplan"),
            new_phase=True,
        ),
        PdsaSpec(
            key="sodertalje_pgsa_4",
            title="Avstämningar i ytterligare två områden",
            change_idea="Arbetssättet från pilotområdet sprids till två hemtjänstområden till.",
            plan=(
                "Två nya områden inför avstämningen varannan vecka. Handläggarna i pilotområdet är faddrar under "
                "de första mötena."
            ),
            prediction="Samma förbättring som i pilotområdet inom tre månader.",
            do_notes="Det första området har startat; det andra startar nästa månad.",
            study_notes="Studeras när båda områdena har varit i gång i tre månader.",
            act=None,
            status="running",
            start_period_index=16,
            end_period_index=None,
            linked_measures=("sodertalje_aktuellt_beslut", "sodertalje_genomforandeplan"),
            previous="sodertalje_pgsa_3",
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Till en början tappade vi brukarnas perspektiv ur sikte. Telefonintervjuerna förde tillbaka"
                " fokus till det brukarna faktiskt upplever."
            ),
            tags=("brukarfokus",),
            author="sodertalje_kvalitetschef",
            period_index=5,
        ),
        LessonSpec(
            text=(
                "Undvik breda, allmänna mål som inte går att mäta. Att omsätta varje garanti i konkreta frågor "
                "var nyckeln."
            ),
            tags=("mål", "operationalisering"),
            author="sodertalje_statistikstrateg",
            period_index=7,
        ),
        LessonSpec(
            text=(
                "Ledningsgruppen och staben har börjat använda varandras kunskaper, i stället för att var "
                "och en arbetar för sig."
            ),
            tags=("samarbete", "ledning"),
            author="sodertalje_enhetschef",
            period_index=12,
        ),
        LessonSpec(
            text=(
                "Att behålla fokus månad efter månad är svårt. Årshjulet och den månatliga rapporten hjälper"
                " oss att inte tappa tråden."
            ),
            tags=("uthållighet", "struktur"),
            author="sodertalje_kvalitetschef",
            period_index=15,
        ),
    ),
    reviews=(),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
