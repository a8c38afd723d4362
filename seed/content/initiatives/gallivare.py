"""Gällivare: safety and influence for home-care clients (sustaining)."""

from __future__ import annotations

from typing import Final

from seed.content.builders import cross_index, person, span_weeks
from seed.content.library import CURRENT_CARE_PLAN, SATISFACTION_WITH_TREATMENT
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
    "gallivare_sof", "Gällivare kommun, Socialförvaltningen", "Gällivare", "aldreomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("gallivare_socialchef", "Lars Isaksson", "gallivare"),
    person("gallivare_kvalitetsutvecklare", "Annika Henriksson", "gallivare"),
    person("gallivare_enhetschef", "Kristina Lantto", "gallivare"),
    person("gallivare_underskoterska", "Sanna Pekkari", "gallivare"),
    person("gallivare_mas", "Eva Nilsson", "gallivare"),
    person("gallivare_brukarrepresentant", "Gunnar Rova", "gallivare"),
)

_MONTHS: Final = 20
_WEEKS: Final = 60


def _week(month_index: int) -> int:
    return cross_index(month_index, source=("month", _MONTHS, 0), target=("week", _WEEKS, 0))


_SAFE = MeasureSpec(
    key="gallivare_trygghet",
    name="Andel brukare som känner sig trygga med hemtjänsten",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal brukare som svarar ”alltid” eller ”oftast” på frågan om de känner sig trygga med "
        "hemtjänsten. Nämnare: antal brukare som besvarat frågan under månaden. Kvalitetsutvecklaren ringer "
        "varje månad upp ett slumpmässigt urval av brukarna, så att sammanlagt en fjärdedel av alla med "
        "hemtjänst tillfrågas under ett år."
    ),
    direction="increase",
    frequency="month",
    baseline=63.0,
    target=80.0,
    target_weeks_from_start=60,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 63.0, 0.0), LevelSpec(6, 71.0, 0.0), LevelSpec(10, 81.0, 0.0)),
        denominator_mean=15.0,
        denominator_sd=2.0,
        seed=1801501,
    ),
)

_TREATMENT = SATISFACTION_WITH_TREATMENT.use(
    "gallivare_nojd_bemotande",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 71.0, 0.0), LevelSpec(10, 87.0, 0.0)),
        denominator_mean=15.0,
        denominator_sd=2.0,
        seed=701502,
    ),
    baseline=71.0,
    target=85.0,
    target_weeks_from_start=60,
)

_NAME_BADGE = MeasureSpec(
    key="gallivare_namnskylt",
    name="Andel besök där personalen bär synlig namnskylt och presenterar sig",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal besök där medarbetaren bar synlig namnskylt och presenterade sig när hen kom. "
        "Nämnare: antal besök som ingick i veckans stickprov. Enhetscheferna gör varje vecka oanmälda stickprov "
        "på sammanlagt 20 besök, fördelade över grupperna och olika tider på dygnet."
    ),
    direction="increase",
    frequency="week",
    baseline=45.0,
    target=95.0,
    target_weeks_from_start=60,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 45.0, 4.0), LevelSpec(_week(10), 96.0, 1.0)),
        denominator_mean=20.0,
        seed=101503,
        clip_max=100.0,
        gaps=(_week(13), _week(13) + 1),
        comments=((_week(10), "Namnskylt och presentation infördes i alla grupper."),),
    ),
)

_CARE_PLAN = CURRENT_CARE_PLAN.use(
    "gallivare_genomforandeplan",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 55.0, 2.0), LevelSpec(8, 91.0, 1.5)),
        denominator_mean=230.0,
        denominator_sd=5.0,
        seed=401504,
    ),
    baseline=55.0,
    target=90.0,
    target_weeks_from_start=60,
)

INITIATIVE: Final = InitiativeSpec(
    key="gallivare_hemtjanst",
    organisation=ORGANISATION,
    title="Trygghet och inflytande för brukare med hemtjänst",
    problem=(
        "De som har hemtjänst i sitt eget hem gav låga betyg för trygghet och inflytande. Många visste inte "
        "vem som skulle komma, kände inte igen personalen och var osäkra på hur de kunde lämna synpunkter. "
        "Genomförandeplanerna var i många fall inaktuella."
    ),
    rationale=(
        "Att känna sig trygg i sitt eget hem är en förutsättning för att kunna bo kvar, och inflytande över "
        "hur och när hjälpen ges hör till ett värdigt liv. Otrygghet leder ofta till fler larm, fler samtal "
        "och till slut ansökningar om särskilt boende. Frågorna ingår också i de jämförelser som nämnden följer."
    ),
    target_group=(
        "Brukare med beviljade hemtjänstinsatser i ordinärt boende, deras anhöriga och personalen i hemtjänstgrupperna."
    ),
    aim=(
        "Senast {maldatum} ska minst 80 procent av de tillfrågade brukarna svara att de känner sig trygga med "
        "hemtjänsten, och resultatet ska ha förbättrats i minst fyra av de fem uppföljda frågorna om trygghet "
        "och inflytande."
    ),
    status="sustaining",
    rag="green",
    what_we_did=(
        "Vi plockade fem frågor från Kommunkompassen som handlar om trygghet och inflytande, och ringde upp "
        "en fjärdedel av brukarna med hemtjänst för att ställa dem. Alla brukare fick ett brev om arbetet, "
        "och anhöriga och allmänheten informerades i flera kanaler. Varje hemtjänstgrupp tog fram "
        "förändringarna tillsammans med sina brukare. Genomförandeplanerna uppdaterades, all personal bär "
        "namnskylt och presenterar sig, och vid besöken berättar personalen hur man lämnar synpunkter och "
        "klagomål."
    ),
    results=(
        "Mätningarna visar förbättring i fyra av de fem frågorna. Andelen som känner sig trygga har ökat från "
        "knappt två tredjedelar till omkring 80 procent och har legat kvar där i över ett halvår. Vid "
        "stickproven bär nästan all personal namnskylt. Arbetssättet ingår nu i den ordinarie verksamheten och "
        "följs upp varje månad."
    ),
    team=(
        TeamMemberSpec("gallivare_kvalitetsutvecklare", "verksamhetsutvecklare"),
        TeamMemberSpec("gallivare_enhetschef", "enhetschef"),
        TeamMemberSpec("gallivare_underskoterska", "underskoterska"),
        TeamMemberSpec("gallivare_mas", "mas"),
        TeamMemberSpec("gallivare_brukarrepresentant", "brukarrepresentant"),
    ),
    measures=(_SAFE, _TREATMENT, _NAME_BADGE, _CARE_PLAN),
    pdsa_cycles=(
        PdsaSpec(
            key="gallivare_pgsa_1",
            title="Namnskylt och presentation – test i en hemtjänstgrupp",
            change_idea=(
                "Om personalen alltid bär namnskylt och säger vem de är och när de kommer tillbaka vet brukaren "
                "vem som är i hemmet."
            ),
            plan=(
                "En hemtjänstgrupp testar i fyra veckor. Enhetschefen gör stickprov på besöken och "
                "kvalitetsutvecklaren ringer brukarna i gruppen efter testet."
            ),
            prediction="Minst åtta av tio besök i stickprovet uppfyller kraven och fler brukare känner sig trygga.",
            do_notes=(
                "Namnskyltarna räckte inte till vikarierna de första veckorna. Flera medarbetare tyckte att det "
                "kändes konstigt att presentera sig för brukare de träffat många gånger."
            ),
            study_notes=(
                "Brukarna i gruppen uppskattade presentationen, även de som kände personalen. Tryggheten ökade "
                "något. Vikarierna behöver skyltar från första dagen."
            ),
            act="adapt",
            status="done",
            start_period_index=6,
            end_period_index=7,
            linked_measures=("gallivare_trygghet",),
            new_phase=True,
        ),
        PdsaSpec(
            key="gallivare_pgsa_2",
            title="Genomförandeplanen uppdateras tillsammans med brukaren",
            change_idea=(
                "Om kontaktpersonen går igenom genomförandeplanen med brukaren vid ett bokat besök blir planen "
                "aktuell och brukarens önskemål kommer med."
            ),
            plan=(
                "Alla kontaktpersoner bokar ett plansamtal med sina brukare under två månader. Enhetscheferna "
                "följer andelen aktuella planer varje månad."
            ),
            prediction="Andelen brukare med aktuell genomförandeplan ökar till minst 85 procent.",
            do_notes=(
                "De flesta samtal hölls enligt plan. Brukare med anhöriga som ville delta tog längre tid att boka."
            ),
            study_notes="Andelen aktuella planer steg från drygt hälften till nästan nio av tio.",
            act="adopt",
            status="done",
            start_period_index=8,
            end_period_index=10,
            linked_measures=("gallivare_genomforandeplan",),
            new_phase=True,
        ),
        PdsaSpec(
            key="gallivare_pgsa_3",
            title="Namnskylt, presentation och information om synpunkter i alla grupper",
            change_idea=(
                "Alla grupper inför namnskylt och presentation, vikarier får skylt första dagen och personalen "
                "berättar hur man lämnar synpunkter."
            ),
            plan=(
                "Samtliga hemtjänstgrupper inför arbetssättet samtidigt. Enhetscheferna gör stickprov varje "
                "vecka och kvalitetsutvecklaren följer trygghet och bemötande varje månad."
            ),
            prediction="Minst nio av tio besök uppfyller kraven och andelen trygga brukare når 80 procent.",
            do_notes=(
                "Arbetssättet togs upp på morgonmötena i alla grupper under de första veckorna. Skyltar till "
                "vikarier ligger nu i introduktionspärmen."
            ),
            study_notes=(
                "Stickproven visar att nästan alla besök uppfyller kraven. Andelen trygga brukare steg till "
                "omkring 80 procent och andelen nöjda med bemötandet ökade också."
            ),
            act="adopt",
            status="done",
            start_period_index=10,
            end_period_index=12,
            linked_measures=("gallivare_trygghet", "gallivare_nojd_bemotande", "gallivare_namnskylt"),
            previous="gallivare_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="gallivare_pgsa_4",
            title="Informationsbrev till nya brukare",
            change_idea=(
                "Ett kort brev med gruppens telefonnummer, kontaktpersonens namn och hur man lämnar synpunkter "
                "ger nya brukare trygghet från början."
            ),
            plan=(
                "Alla nya brukare under tre månader får brevet vid första besöket. Kvalitetsutvecklaren frågar "
                "dem efter en månad om de vet vem de ska ringa."
            ),
            prediction="Minst nio av tio nya brukare vet vem de ska kontakta.",
            do_notes="Brevet delades ut till samtliga nya brukare under perioden.",
            study_notes=(
                "Nästan alla visste vem de skulle ringa. Brevet har blivit en del av introduktionen för nya brukare."
            ),
            act="adopt",
            status="done",
            start_period_index=14,
            end_period_index=16,
            linked_measures=("gallivare_trygghet",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Det viktigaste är att både personal och brukare får forma förändringen. Förslagen från "
                "hemtjänstgrupperna fungerade bättre än de vi hade tänkt ut själva."
            ),
            tags=("delaktighet", "medarbetare"),
            author="gallivare_kvalitetsutvecklare",
            period_index=7,
        ),
        LessonSpec(
            text=(
                "Vi måste äga våra resultat på alla nivåer, både de goda och de dåliga. När grupperna fick sina "
                "egna siffror blev diskussionen konkret."
            ),
            tags=("resultat", "ledning"),
            author="gallivare_enhetschef",
            period_index=10,
        ),
        LessonSpec(
            text=(
                "En kommunikationsplan för varje målgrupp – brukare, anhöriga, personal och allmänhet – gjorde "
                "det lättare att nå ut."
            ),
            tags=("kommunikation",),
            author="gallivare_kvalitetsutvecklare",
            period_index=11,
        ),
        LessonSpec(
            text=(
                "Förändring tar tid och byggs av små steg. För att det ska hålla måste vi fortsätta följa upp "
                "även när målet är nått."
            ),
            tags=("uthållighet", "hållbarhet"),
            author="gallivare_brukarrepresentant",
            period_index=17,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=30,
            rag="green",
            assessment=(
                "Andelen trygga brukare har nått 80 procent och fyra av fem frågor visar förbättring. Namnskylt "
                "och presentation fungerar i alla grupper."
            ),
            decision=(
                "Arbetet går över i förvaltning. Mätningarna fortsätter varje månad i den ordinarie "
                "uppföljningen och enhetscheferna ansvarar för stickproven."
            ),
            next_review_in_weeks=24,
            reviewer="gallivare_socialchef",
        ),
        ReviewSpec(
            weeks_ago=6,
            rag="green",
            assessment="Resultaten har hållit i ett halvår utan att något särskilt stöd har behövts.",
            decision="Fortsatt förvaltning. Nästa genomgång sker i samband med årsbokslutet.",
            next_review_in_weeks=26,
            reviewer="gallivare_socialchef",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
