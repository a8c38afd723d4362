"""Uppsala, children and young people: shorter waiting and investigation times."""

from __future__ import annotations

from typing import Final

from seed.content.builders import cross_index, person, span_weeks
from seed.content.library import INVESTIGATIONS_WITHIN_FOUR_MONTHS
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

ORGANISATION: Final = OrganisationSpec(
    "uppsala_bou", "Uppsala kommun, Socialtjänsten barn och unga", "Uppsala", "individ_och_familjeomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("leader_uppsala", "Karin Wallin", "uppsala"),
    person("member_uppsala", "Amir Karimi", "uppsala"),
    person("uppsala_enhetschef", "Cecilia Törnqvist", "uppsala"),
    person("uppsala_processledare", "Jonas Hedlund", "uppsala"),
    person("uppsala_controller", "Elin Forsberg", "uppsala"),
    person("uppsala_foralder", "Petra Johansson", "uppsala"),
)

_MONTHS: Final = 18
_WEEKS: Final = 52


def _week(month_index: int) -> int:
    return cross_index(month_index, source=("month", _MONTHS, 0), target=("week", _WEEKS, 0))


_DURATION = MeasureSpec(
    key="uppsala_utredningstid",
    name="Genomsnittlig utredningstid för barn och unga",
    kind="outcome",
    data_type="value",
    unit="månader",
    definition=(
        "Medelvärdet av tiden från beslut om att inleda utredning till beslut om att avsluta den, för samtliga "
        "utredningar om barn och unga som avslutats under månaden. Tiden räknas i dagar och delas med 30,4. "
        "Controllern tar ut uppgiften ur verksamhetssystemet den första vardagen i påföljande månad."
    ),
    direction="decrease",
    frequency="month",
    baseline=4.2,
    target=3.8,
    target_weeks_from_start=56,
    chart="i",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 4.22, 0.1), LevelSpec(8, 3.74, 0.08)),
        decimals=2,
        seed=1201,
    ),
)

_WITHIN_FOUR = INVESTIGATIONS_WITHIN_FOUR_MONTHS.use(
    "uppsala_inom_fyra_manader",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 55.0, 0.0), LevelSpec(8, 70.0, 0.0)),
        denominator_mean=85.0,
        denominator_sd=8.0,
        seed=201202,
    ),
    baseline=55.0,
    target=80.0,
    target_weeks_from_start=104,
)

_DECISION_14_DAYS = MeasureSpec(
    key="uppsala_besked_14_dagar",
    name="Andel anmälningar med besked om utredning inom 14 dagar",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal anmälningar där beslut om att inleda eller inte inleda utredning fattats inom 14 dagar "
        "från att anmälan kom in. Nämnare: antal anmälningar med ett sådant beslut under veckan. "
        "Förbättringsteamets samordnare hämtar uppgifterna ur verksamhetssystemet varje måndag."
    ),
    direction="increase",
    frequency="week",
    baseline=52.0,
    target=75.0,
    target_weeks_from_start=56,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 52.0, 2.0), LevelSpec(_week(11), 77.0, 2.0)),
        denominator_mean=75.0,
        denominator_sd=9.0,
        seed=401203,
        gaps=(_week(12) + 3,),
    ),
)

_FIRST_CONTACT = MeasureSpec(
    key="uppsala_dagar_till_forsta_kontakt",
    name="Dagar från beslut om utredning till första kontakt med utredaren",
    kind="process",
    data_type="value",
    unit="dagar",
    definition=(
        "Medelvärdet av antal kalenderdagar från beslutet att inleda utredning till det första samtalet eller "
        "mötet mellan barnet eller familjen och den socialsekreterare som ska utreda. Gäller utredningar där "
        "första kontakten ägde rum under veckan. Enhetscheferna registrerar datumen och samordnaren räknar "
        "fram värdet varje måndag."
    ),
    direction="decrease",
    frequency="week",
    baseline=22.0,
    target=10.0,
    target_weeks_from_start=78,
    chart="i",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(
            LevelSpec(0, 22.0, 2.0),
            LevelSpec(_week(8), 15.5, 1.8),
            LevelSpec(_week(13), 9.6, 1.3),
        ),
        seed=1701204,
        clip_min=1.0,
    ),
)

INITIATIVE: Final = InitiativeSpec(
    key="uppsala_utredningstid",
    organisation=ORGANISATION,
    title="Kortare väntan och utredningstid för barn och unga",
    problem=(
        "En utredning om ett barn tog i genomsnitt 4,2 månader, trots att lagen anger fyra månader som längsta "
        "tid om inte särskilda skäl finns. Efter beslutet att inleda utredning fick barnet och familjen vänta "
        "i genomsnitt 22 dagar innan de träffade den socialsekreterare som skulle utreda. Arbetssätten skilde "
        "sig åt mellan de nio enheterna och ingen följde tiderna löpande."
    ),
    rationale=(
        "För ett barn som far illa är varje veckas väntan lång, och utdragna utredningar skjuter upp det stöd "
        "som familjen behöver. Att överskrida lagens tidsgräns är också en fråga om rättssäkerhet som "
        "tillsynsmyndigheten granskar. Kortare och mer förutsägbara tider gör det dessutom lättare för "
        "medarbetarna att planera sitt arbete."
    ),
    target_group=(
        "Barn och unga som blir föremål för utredning, deras vårdnadshavare och socialsekreterarna på de nio "
        "myndighetsenheterna."
    ),
    aim=(
        "Senast {maldatum} ska den genomsnittliga utredningstiden vara högst 3,8 månader och minst 75 procent "
        "av alla anmälningar ska få besked inom 14 dagar om utredning inleds eller inte."
    ),
    status="active",
    rag="green",
    what_we_did=(
        "Medarbetare från alla nio enheter gjorde tillsammans 13 fiskbensanalyser av varför utredningarna "
        "drog ut på tiden. Varje enhet valde själv sina förbättringsambassadörer, och de utgör i dag ett "
        "gemensamt förbättringsteam. Utredningstiderna visas varje vecka på en tavla i varje enhet och tas "
        "upp på enhetsmötet. Vi har också testat gemensamma beslutsmöten på mottagningen och att nya "
        "utredningar fördelas till en utredare inom två arbetsdagar."
    ),
    results=(
        "Den genomsnittliga utredningstiden har sjunkit från 4,2 till 3,8 månader och ligger nu under lagens "
        "gräns. Tre av fyra anmälningar får besked inom 14 dagar om utredning inleds, jämfört med ungefär "
        "hälften när arbetet startade. Väntan från beslut till första kontakt med utredaren har mer än "
        "halverats. Rutinerna på enheterna har blivit mer lika varandra."
    ),
    team=(
        TeamMemberSpec("member_uppsala", "socialsekreterare"),
        TeamMemberSpec("uppsala_enhetschef", "enhetschef"),
        TeamMemberSpec("uppsala_processledare", "processledare"),
        TeamMemberSpec("uppsala_controller", "controller"),
        TeamMemberSpec("uppsala_foralder", "brukarrepresentant"),
    ),
    measures=(_DURATION, _WITHIN_FOUR, _DECISION_14_DAYS, _FIRST_CONTACT),
    pdsa_cycles=(
        PdsaSpec(
            key="uppsala_pgsa_1",
            title="Tavla med utredningstider på en enhet",
            change_idea=(
                "Om varje utredares pågående utredningar och antal dagar syns på en tavla blir det lättare att "
                "se vilka som riskerar att dra över tiden och att hjälpas åt."
            ),
            plan=(
                "En enhet sätter upp en tavla och går igenom den tio minuter på måndagsmötet i sex veckor. "
                "Enhetschefen uppdaterar tavlan varje fredag och förbättringsambassadören leder genomgången."
            ),
            prediction="Inga utredningar på enheten passerar fyra månader utan att det uppmärksammats i förväg.",
            do_notes=(
                "Tavlan uppdaterades alla veckor utom en. Två utredningar som var på väg att dra över tiden "
                "fick stöd av en kollega. Uppdateringen tog längre tid än väntat, ungefär en timme i veckan."
            ),
            study_notes=(
                "Förutsägelsen höll. Medarbetarna uppskattade överblicken men uppdateringen måste bli enklare "
                "om alla nio enheter ska kunna använda den."
            ),
            act="adapt",
            status="done",
            start_period_index=6,
            end_period_index=7,
            linked_measures=("uppsala_utredningstid",),
        ),
        PdsaSpec(
            key="uppsala_pgsa_2",
            title="Veckovis genomgång av utredningstider på alla enheter",
            change_idea=(
                "Alla nio enheter använder tavlan, med en lista som controllern tar fram automatiskt ur "
                "verksamhetssystemet varje fredag."
            ),
            plan=(
                "Controllern bygger en veckolista per enhet. Varje enhet går igenom listan på måndagsmötet "
                "under tre månader. Vi följer utredningstiden och tiden till första kontakt."
            ),
            prediction=(
                "Den genomsnittliga utredningstiden sjunker under fyra månader inom ett kvartal, och tiden till "
                "första kontakt minskar med minst en vecka."
            ),
            do_notes=(
                "Alla enheter kom igång inom tre veckor. Två enheter lade till en egen kolumn för väntande "
                "utredningar, vilket de andra sedan tog efter."
            ),
            study_notes=(
                "Utredningstiden sjönk till omkring 3,8 månader och väntan på första kontakt till ungefär "
                "15 dagar. Andelen utredningar klara i tid steg tydligt."
            ),
            act="adopt",
            status="done",
            start_period_index=8,
            end_period_index=10,
            linked_measures=(
                "uppsala_utredningstid",
                "uppsala_inom_fyra_manader",
                "uppsala_dagar_till_forsta_kontakt",
            ),
            previous="uppsala_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="uppsala_pgsa_3",
            title="Beslutsmöte två gånger i veckan på mottagningen",
            change_idea=(
                "Om mottagningen samlar besluten om att inleda utredning till två fasta möten i veckan blir "
                "ingen anmälan liggande i väntan på att en chef ska hinna läsa den."
            ),
            plan=(
                "Mottagningen håller beslutsmöte på tisdagar och fredagar i åtta veckor. Varje anmälan som är "
                "färdigbedömd tas upp på närmaste möte. Samordnaren följer andelen besked inom 14 dagar."
            ),
            prediction="Minst 70 procent av anmälningarna får besked inom 14 dagar efter åtta veckor.",
            do_notes=(
                "Mötena hölls enligt plan. Under en sommarvecka slogs de ihop till ett möte på grund av semestrar."
            ),
            study_notes=(
                "Andelen besked inom 14 dagar steg från omkring hälften till tre av fyra, en tydlig förändring "
                "i diagrammet."
            ),
            act="adopt",
            status="done",
            start_period_index=11,
            end_period_index=12,
            linked_measures=("uppsala_besked_14_dagar",),
            new_phase=True,
        ),
        PdsaSpec(
            key="uppsala_pgsa_4",
            title="Ny utredning fördelas inom två arbetsdagar",
            change_idea=(
                "Om en ny utredning fördelas till en namngiven utredare inom två arbetsdagar kan första "
                "kontakten bokas direkt."
            ),
            plan=(
                "Enhetscheferna fördelar nya utredningar vid ett kort avstämningsmöte varje morgon. Utredaren "
                "kontaktar familjen inom en vecka. Vi följer antal dagar till första kontakt varje vecka."
            ),
            prediction="Väntan på första kontakt sjunker till under 12 dagar.",
            do_notes=(
                "Fördelningen fungerade på åtta av nio enheter. På den nionde saknades utredare under en period "
                "och där fördelades ärendena en gång i veckan."
            ),
            study_notes=(
                "Väntan på första kontakt sjönk till omkring tio dagar. Enheten med vakanser låg kvar på en högre nivå."
            ),
            act="adopt",
            status="done",
            start_period_index=13,
            end_period_index=15,
            linked_measures=("uppsala_dagar_till_forsta_kontakt",),
            new_phase=True,
        ),
        PdsaSpec(
            key="uppsala_pgsa_5",
            title="Gemensam mall för utredningsplan vid första mötet",
            change_idea=(
                "En gemensam mall för utredningsplanen, som fylls i tillsammans med familjen vid första mötet, "
                "gör utredningen mer fokuserad och förutsägbar."
            ),
            plan=(
                "Två enheter använder mallen i alla nya utredningar under två månader. Vi jämför utredningstiden "
                "med övriga enheter och frågar familjerna hur de uppfattade planen."
            ),
            prediction="Utredningar med mall blir klara minst två veckor snabbare än utredningar utan.",
            do_notes="Testet pågår på två enheter sedan början av månaden.",
            study_notes="Resultaten studeras när de första utredningarna med mall har avslutats.",
            act=None,
            status="running",
            start_period_index=16,
            end_period_index=None,
            linked_measures=("uppsala_utredningstid", "uppsala_inom_fyra_manader"),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Bara genom att börja tala om utredningstiderna varje vecka blev de kortare. Det som syns på "
                "tavlan blir prioriterat."
            ),
            tags=("visualisering", "mätning"),
            author="member_uppsala",
            period_index=9,
        ),
        LessonSpec(
            text=(
                "Medarbetarna kan påverka mycket själva. Förbättringsambassadörer som enheterna valt har större "
                "genomslag än uppdrag som kommer uppifrån."
            ),
            tags=("delaktighet", "medarbetare"),
            author="uppsala_processledare",
            period_index=11,
        ),
        LessonSpec(
            text=(
                "Ledningen måste fortsätta efterfråga resultaten, annars glider tiderna tillbaka. "
                "Utredningstiderna är nu en stående punkt i ledningsgruppen."
            ),
            tags=("ledning", "hållbarhet"),
            author="uppsala_enhetschef",
            period_index=14,
        ),
        LessonSpec(
            text=(
                "En öppnare dialog mellan enheterna gör att goda idéer sprids snabbare. Rutinerna i "
                "utredningsgrupperna är i dag mer lika än när vi började."
            ),
            tags=("samverkan", "spridning"),
            author="member_uppsala",
            period_index=16,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=34,
            rag="amber",
            assessment=(
                "Utredningstiden ligger fortfarande över fyra månader i genomsnitt. Testet med tavla på en "
                "enhet har fallit väl ut men är inte spritt."
            ),
            decision=(
                "Tavlan och veckogenomgången införs på alla nio enheter. Controllern får i uppdrag att ta fram "
                "en automatisk veckolista."
            ),
            next_review_in_weeks=12,
            reviewer="leader_uppsala",
        ),
        ReviewSpec(
            weeks_ago=5,
            rag="green",
            assessment=(
                "Utredningstiden har legat runt 3,8 månader i nästan ett år och tre av fyra anmälningar får "
                "besked inom 14 dagar. Andelen utredningar klara inom fyra månader når ännu inte 80 procent."
            ),
            decision=(
                "Arbetssätten behålls. Teamet fortsätter med mallen för utredningsplan och redovisar effekten "
                "på andelen utredningar klara i tid vid nästa genomgång."
            ),
            next_review_in_weeks=8,
            reviewer="leader_uppsala",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
