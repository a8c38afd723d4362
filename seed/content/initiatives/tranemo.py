"""Tranemo: accessibility, participation and information for citizens; its data have stopped coming in."""

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
    ReviewSpec,
    SeriesSpec,
    TeamMemberSpec,
)

ORGANISATION: Final = OrganisationSpec(
    "tranemo_soc", "Tranemo kommun, Sektor socialtjänst", "Tranemo", "socialforvaltning"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("tranemo_sektionschef", "Gunilla Rosén", "tranemo"),
    person("tranemo_utvecklingsledare", "Axel Bjurström", "tranemo"),
    person("tranemo_funktionschef", "Charlotte Wiberg", "tranemo"),
    person("tranemo_handlaggare", "Hussein Omar", "tranemo"),
    person("tranemo_systemforvaltare", "Jimmy Strömberg", "tranemo"),
    person("tranemo_brukarutvecklare", "Monica Falk", "tranemo"),
)

_WEEKS: Final = 40
_WEEKS_STALE: Final = 3
_MONTHS: Final = 10
_MONTHS_STALE: Final = 1


def _month(week_index: int) -> int:
    return cross_index(week_index, source=("week", _WEEKS, _WEEKS_STALE), target=("month", _MONTHS, _MONTHS_STALE))


_PHONE = MeasureSpec(
    key="tranemo_telefon_direkt",
    name="Andel telefonsamtal till myndighetsenheten som besvaras direkt",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal inkommande samtal till myndighetsenhetens gemensamma nummer som besvarats av en "
        "handläggare utan att den som ringer behövt lämna meddelande eller ringa igen. Nämnare: samtliga "
        "inkommande samtal till numret under veckan. Systemförvaltaren tar ut statistiken ur telefonisystemet "
        "varje måndag."
    ),
    direction="increase",
    frequency="week",
    baseline=52.0,
    target=70.0,
    target_weeks_from_start=52,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        ends_periods_ago=_WEEKS_STALE,
        levels=(LevelSpec(0, 52.0, 2.0), LevelSpec(16, 66.0, 2.0)),
        denominator_mean=140.0,
        denominator_sd=15.0,
        seed=202601,
    ),
)

_EMAIL = MeasureSpec(
    key="tranemo_epost_inom_en_dag",
    name="Andel e-postfrågor som besvaras inom en arbetsdag",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal e-postmeddelanden till myndighetsenhetens funktionsbrevlåda som fått ett svar i sak "
        "inom en arbetsdag. Nämnare: antal e-postmeddelanden som kommit in under veckan, utom automatiska "
        "utskick och reklam. Utvecklingsledaren räknar i brevlådans logg varje måndag."
    ),
    direction="increase",
    frequency="week",
    baseline=68.0,
    target=90.0,
    target_weeks_from_start=52,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        ends_periods_ago=_WEEKS_STALE,
        levels=(LevelSpec(0, 68.0, 3.0), LevelSpec(24, 88.0, 2.0)),
        denominator_mean=38.0,
        denominator_sd=5.0,
        seed=3302602,
        clip_max=100.0,
    ),
)

_TREATMENT = SATISFACTION_WITH_TREATMENT.use(
    "tranemo_nojd_bemotande",
    series=SeriesSpec(
        n_periods=_MONTHS,
        ends_periods_ago=_MONTHS_STALE,
        levels=(LevelSpec(0, 74.0, 0.0), LevelSpec(_month(16), 80.0, 0.0)),
        denominator_mean=30.0,
        denominator_sd=4.0,
        seed=302603,
    ),
    baseline=74.0,
    target=85.0,
    target_weeks_from_start=70,
)

INITIATIVE: Final = InitiativeSpec(
    key="tranemo_tillganglighet",
    organisation=ORGANISATION,
    title="Tillgänglighet, delaktighet och information för medborgarna",
    problem=(
        "KKiK-mätningen (Kommunens Kvalitet i Korthet) visade att medborgarna inte alltid fick kontakt med "
        "socialtjänsten när de behövde, att deras synpunkter inte togs tillvara och att informationen var "
        "svår att förstå. Telefonsamtal gick ofta till telefonsvarare och frågor via e-post blev liggande. "
        "Socialtjänsten beskrevs dessutom mest i negativa sammanhang i lokalpressen."
    ),
    rationale=(
        "Bemötandet i den första kontakten avgör ofta om en medborgare vågar söka hjälp och om hen litar på "
        "beslutet. Tillgänglighet och begriplig information är också en rättighet för den som berörs av "
        "myndighetsutövning. Ett bättre anseende underlättar både rekrytering och samarbete med andra aktörer."
    ),
    target_group=(
        "Medborgare som kontaktar socialtjänsten, särskilt de som söker stöd för första gången, och "
        "medarbetarna på myndighetssidan."
    ),
    aim=(
        "Senast {maldatum} ska minst 70 procent av telefonsamtalen till myndighetsenheten besvaras direkt, minst "
        "90 procent av e-postfrågorna besvaras inom en arbetsdag och minst 85 procent av de tillfrågade vara "
        "nöjda med bemötandet."
    ),
    status="active",
    rag="amber",
    what_we_did=(
        "Webbplatsen har uppdaterats och ett förbättringsteam arbetar för att göra myndighetssidans "
        "kommunikation tydligare. Medborgarna har bjudits in till dialoger om bland annat "
        "värdegrundsgarantier och trygghetsboende, och om hur information och service kan bli bättre. Vi har"
        " arbetat aktivt med pressen och fått flera egna artiklar publicerade i lokaltidningen. "
        "Myndighetsenheten har testat en gemensam telefontid och en rutin för e-post."
    ),
    results=(
        "Pressbevakningen har i huvudsak blivit positiv. Andelen samtal som besvaras direkt har ökat från "
        "omkring hälften till två tredjedelar, och nästan nio av tio e-postfrågor besvaras nu inom en dag. "
        "Mätningarna har inte rapporterats de senaste veckorna sedan systemförvaltaren bytte tjänst, så vi vet "
        "inte om nivån håller. Hur medborgarna upplever förändringen visar sig också i nästa KKiK-mätning."
    ),
    team=(
        TeamMemberSpec("tranemo_utvecklingsledare", "verksamhetsutvecklare"),
        TeamMemberSpec("tranemo_funktionschef", "enhetschef"),
        TeamMemberSpec("tranemo_handlaggare", "bistandshandlaggare"),
        TeamMemberSpec("tranemo_systemforvaltare", "medarbetare"),
        TeamMemberSpec("tranemo_brukarutvecklare", "brukarutvecklare"),
    ),
    measures=(_PHONE, _EMAIL, _TREATMENT),
    pdsa_cycles=(
        PdsaSpec(
            key="tranemo_pgsa_1",
            title="Gemensam telefontid med två handläggare – test i två veckor",
            change_idea=(
                "Om två handläggare alltid bemannar telefonen under en fast tid får fler svar direkt i stället "
                "för att hamna i telefonsvararen."
            ),
            plan=(
                "Myndighetsenheten bemannar telefonen klockan nio till tolv med två handläggare i två veckor. "
                "Systemförvaltaren följer andelen besvarade samtal."
            ),
            prediction="Minst två av tre samtal under telefontiden besvaras direkt.",
            do_notes=(
                "Under telefontiden besvarades de flesta samtal, men många ringde efter lunch och hamnade då i "
                "telefonsvararen."
            ),
            study_notes=(
                "Telefontiden fungerade, men den behöver ligga även på eftermiddagen och vara känd för medborgarna."
            ),
            act="adapt",
            status="done",
            start_period_index=12,
            end_period_index=14,
            linked_measures=("tranemo_telefon_direkt",),
        ),
        PdsaSpec(
            key="tranemo_pgsa_2",
            title="Telefontid varje vardag med schemalagd bemanning",
            change_idea=(
                "Telefontid både förmiddag och eftermiddag, schemalagd i förväg och publicerad på webbplatsen."
            ),
            plan=(
                "Funktionschefen schemalägger två handläggare per pass. Tiderna publiceras på webben och i "
                "lokaltidningen. Vi följer andelen besvarade samtal varje vecka och bemötandet varje månad."
            ),
            prediction="Andelen samtal som besvaras direkt ökar till minst 65 procent.",
            do_notes=(
                "Schemat höll nästan alla veckor. Under semesterperioden fick telefontiden kortas på eftermiddagarna."
            ),
            study_notes=(
                "Andelen samtal som besvarades direkt steg till omkring två tredjedelar och andelen nöjda med "
                "bemötandet ökade."
            ),
            act="adopt",
            status="done",
            start_period_index=16,
            end_period_index=22,
            linked_measures=("tranemo_telefon_direkt", "tranemo_nojd_bemotande"),
            previous="tranemo_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="tranemo_pgsa_3",
            title="Dagsansvarig för funktionsbrevlådan",
            change_idea=(
                "En namngiven handläggare ansvarar varje dag för att alla e-postfrågor får svar eller en "
                "bekräftelse samma dag."
            ),
            plan=(
                "Ansvaret roterar enligt ett schema under sex veckor. Utvecklingsledaren räknar svarstider i "
                "brevlådans logg."
            ),
            prediction="Minst 85 procent av e-postfrågorna besvaras inom en arbetsdag.",
            do_notes="Rotationen fungerade bra. Några frågor krävde underlag från andra och fick först en bekräftelse.",
            study_notes="Andelen svar inom en dag steg från omkring två tredjedelar till nästan nio av tio.",
            act="adopt",
            status="done",
            start_period_index=24,
            end_period_index=30,
            linked_measures=("tranemo_epost_inom_en_dag",),
            new_phase=True,
        ),
        PdsaSpec(
            key="tranemo_pgsa_4",
            title="Medborgardialog om informationen på webben",
            change_idea=(
                "Om medborgare som nyligen varit i kontakt med oss får läsa och kommentera webbtexterna blir "
                "informationen lättare att förstå."
            ),
            plan=(
                "Brukarutvecklaren bjuder in sex medborgare till två träffar. Texterna om ekonomiskt bistånd och "
                "hemtjänst skrivs om utifrån synpunkterna."
            ),
            prediction="Deltagarna bedömer de nya texterna som lättare att förstå än de gamla.",
            do_notes="Den första träffen är genomförd och gav många konkreta förslag.",
            study_notes="Studeras efter den andra träffen, när de omskrivna texterna har testats.",
            act=None,
            status="running",
            start_period_index=34,
            end_period_index=None,
            linked_measures=("tranemo_nojd_bemotande",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Arbetet har stundtals varit tungt och visat hur viktigt det är att stödfunktionerna finns "
                "tillgängliga. Vi har haft mindre stöd än vi behövt."
            ),
            tags=("stödfunktioner", "resurser"),
            author="tranemo_utvecklingsledare",
            period_index=20,
        ),
        LessonSpec(
            text=(
                "Roller och ansvar mellan chefer och stödfunktioner behöver vara tydliga, annars faller "
                "uppgifter mellan stolarna, som mätningen när en person bytte tjänst."
            ),
            tags=("roller", "mätning"),
            author="tranemo_funktionschef",
            period_index=40,
        ),
        LessonSpec(
            text=(
                "Medborgardialogerna gav konkreta förbättringsförslag som vi inte hade kommit på själva. Att "
                "bjuda in tidigt lönar sig."
            ),
            tags=("medborgardialog", "delaktighet"),
            author="tranemo_brukarutvecklare",
            period_index=35,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=2,
            rag="amber",
            assessment=(
                "Telefontiden och e-postrutinen har gett tydliga förbättringar, men inga mätvärden har "
                "registrerats på tre veckor. Ledningsgruppen bedömer att arbetssätten lever kvar och sätter "
                "därför gul status i stället för den röda som föreslås."
            ),
            decision=(
                "Sektionschefen ser till att en ersättare tar över veckouttagen från och med nästa vecka. Ny "
                "genomgång om fyra veckor."
            ),
            next_review_in_weeks=4,
            reviewer="tranemo_sektionschef",
        ),
    ),
    started_weeks_ago=span_weeks(_WEEKS, "week", _WEEKS_STALE),
)
