"""Eslöv: shorter time from referral to decision in child and youth cases."""

from __future__ import annotations

from typing import Final

from seed.content.builders import person, span_weeks
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
    "eslov_sof", "Eslövs kommun, Socialförvaltningen", "Eslöv", "individ_och_familjeomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("eslov_avdelningschef", "Ingela Persson", "eslov"),
    person("eslov_enhetschef", "Robert Mårtensson", "eslov"),
    person("eslov_controller", "Lovisa Nordin", "eslov"),
    person("eslov_samordnare", "Kim Dahlberg", "eslov"),
    person("eslov_socialsekreterare", "Sara Ohlsson", "eslov"),
)

_WEEKS: Final = 40
_MONTHS: Final = 10

_LEAD_TIME = MeasureSpec(
    key="eslov_aktualisering_till_beslut",
    name="Dagar från aktualisering till beslut om utredning",
    kind="outcome",
    data_type="value",
    unit="dagar",
    definition=(
        "Medelvärdet av antal kalenderdagar från att ett ärende om ett barn aktualiserades till beslut om att "
        "inleda eller inte inleda utredning, för de beslut som fattats under veckan. Verksamhetscontrollern tar "
        "ut uppgifterna med det nya uttagsverktyget varje måndag. Värdet redovisas för hela förvaltningen och "
        "per enhet."
    ),
    direction="decrease",
    frequency="week",
    baseline=17.0,
    target=12.0,
    target_weeks_from_start=56,
    chart="i",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 17.0, 1.8), LevelSpec(18, 14.0, 1.6)),
        seed=201801,
        clip_min=1.0,
    ),
)

_SAME_DAY = MeasureSpec(
    key="eslov_kontakt_samma_dag",
    name="Andel anmälningar där förhandsbedömningen påbörjas samma dag",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal anmälningar där en socialsekreterare tagit kontakt med barnet, familjen eller "
        "anmälaren samma arbetsdag som anmälan kom in. Nämnare: antal anmälningar som kommit in under veckan. "
        "Samordnaren följer upp i verksamhetssystemet varje fredag."
    ),
    direction="increase",
    frequency="week",
    baseline=32.0,
    target=70.0,
    target_weeks_from_start=56,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 32.0, 3.0), LevelSpec(10, 40.0, 3.0), LevelSpec(18, 60.0, 3.0)),
        denominator_mean=14.0,
        denominator_sd=2.5,
        seed=1802,
    ),
)

_WITHIN_FOUR = INVESTIGATIONS_WITHIN_FOUR_MONTHS.use(
    "eslov_inom_fyra_manader",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 46.0, 0.0), LevelSpec(6, 54.0, 0.0)),
        denominator_mean=18.0,
        denominator_sd=3.0,
        seed=1803,
    ),
    baseline=46.0,
    target=70.0,
    target_weeks_from_start=78,
)

_CASELOAD = MeasureSpec(
    key="eslov_utredningar_per_socialsekreterare",
    name="Antal pågående utredningar per socialsekreterare",
    kind="balancing",
    data_type="value",
    unit="utredningar",
    definition=(
        "Antalet pågående utredningar om barn och unga den sista dagen i månaden, delat med antalet utredande "
        "socialsekreterare i tjänst räknat i heltider. Verksamhetscontrollern tar fram uppgiften ur "
        "verksamhetssystemet och personalsystemet. Måttet visar om arbetsbelastningen ökar när flödet går "
        "snabbare."
    ),
    direction="decrease",
    frequency="month",
    baseline=13.5,
    target=None,
    target_weeks_from_start=None,
    chart="i",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 13.5, 0.5, 0.12),),
        seed=201804,
    ),
)

INITIATIVE: Final = InitiativeSpec(
    key="eslov_aktualisering",
    organisation=ORGANISATION,
    title="Kortare tid från aktualisering till beslut för barn och unga",
    problem=(
        "På ett år blev det 32 procent fler nya barn- och ungdomsärenden att ta ställning till, och 9 "
        "procent fler pågående. Den genomsnittliga tiden från aktualisering till beslut hade stigit till mer"
        " än 14 dagar. Utredningar kunde inte starta direkt efter förhandsbedömningen, och allt fler "
        "utredningar blev inte klara inom den tid som lagen anger."
    ),
    rationale=(
        "Fördröjningar innebär att barn och familjer riskerar att inte få stöd när de behöver det. Läget "
        "påverkar också arbetsmiljön, eftersom socialsekreterare med för många ärenden inte hinner hålla "
        "kvaliteten. Politiken behöver fakta och inte bara magkänsla för att kunna besluta om resurser."
    ),
    target_group=(
        "Barn och unga som aktualiseras hos socialtjänsten, deras föräldrar och medarbetarna i barn- och "
        "familjeenheterna."
    ),
    aim=(
        "Senast {maldatum} ska den genomsnittliga tiden från aktualisering till beslut om att inleda eller inte "
        "inleda utredning vara högst 12 dagar, och minst 70 procent av utredningarna ska vara klara inom fyra "
        "månader."
    ),
    status="active",
    rag="amber",
    what_we_did=(
        "Vi införde ett nytt verktyg för att ta ut statistik ur verksamhetssystemet och började identifiera "
        "nyckeltal för varje enhet. Medarbetarna tog i grupper fram förbättringsidéer på teamträffar, med fasta "
        "datum för uppföljning och beslut. Tillsammans med socialhögskolan i Lund intervjuades tio slumpvis "
        "valda föräldrar om sina erfarenheter, som en del av en masteruppsats. En processkartläggning av flödet "
        "från aktualisering till beslut har påbörjats."
    ),
    results=(
        "Både medarbetare, chefer och politiker har i dag bättre koll på utredningstider och inflöde. Tiden "
        "från aktualisering till beslut har minskat från omkring 17 till 14 dagar men ligger ännu över "
        "målet. Underlaget har synliggjort behovet av fler socialsekreterare, vilket har redovisats för "
        "politikerna. Intervjuerna med föräldrarna blir grunden för nästa steg i förbättringsarbetet."
    ),
    team=(
        TeamMemberSpec("eslov_enhetschef", "enhetschef"),
        TeamMemberSpec("eslov_controller", "controller"),
        TeamMemberSpec("eslov_samordnare", "processledare"),
        TeamMemberSpec("eslov_socialsekreterare", "socialsekreterare"),
    ),
    measures=(_LEAD_TIME, _SAME_DAY, _WITHIN_FOUR, _CASELOAD),
    pdsa_cycles=(
        PdsaSpec(
            key="eslov_pgsa_1",
            title="Kontakt samma dag – test i ett team",
            change_idea=(
                "Om den socialsekreterare som har mottagningsdag ringer anmälaren eller familjen samma dag "
                "kommer bedömningen i gång direkt och onödiga väntedagar försvinner."
            ),
            plan=(
                "Ett av tre team testar i fem veckor. Samordnaren följer andelen anmälningar med kontakt samma "
                "dag och teamet noterar vad som hindrade kontakt."
            ),
            prediction="Minst hälften av teamets anmälningar får kontakt samma dag.",
            do_notes=(
                "Teamet hann ringa i ungefär varannan anmälan. Hindren var främst möten som låg på "
                "mottagningsdagen och anmälningar som kom in sent på eftermiddagen."
            ),
            study_notes=(
                "Idén fungerar om mottagningsdagen hålls fri från andra möten. Sena anmälningar behöver "
                "hanteras första timmen nästa dag."
            ),
            act="adapt",
            status="done",
            start_period_index=10,
            end_period_index=15,
            linked_measures=("eslov_kontakt_samma_dag",),
        ),
        PdsaSpec(
            key="eslov_pgsa_2",
            title="Fri mottagningsdag och kontakt samma dag i alla team",
            change_idea=(
                "Alla team har en mötesfri mottagningsdag, och anmälningar som kommer efter klockan 15 tas "
                "första timmen nästa dag."
            ),
            plan=(
                "Enhetschefen lägger om mötesschemat så att mottagningsdagen är fri. Alla tre team arbetar enligt "
                "det nya sättet i två månader och vi följer tiden till beslut varje vecka."
            ),
            prediction="Tiden från aktualisering till beslut sjunker till högst 14 dagar inom två månader.",
            do_notes=(
                "Mötesschemat ändrades utan större problem. Under en period med två vakanser fick samordnaren gå "
                "in som mottagare."
            ),
            study_notes=(
                "Andelen anmälningar med kontakt samma dag steg till omkring 60 procent och tiden till beslut "
                "sjönk till ungefär 14 dagar."
            ),
            act="adopt",
            status="done",
            start_period_index=18,
            end_period_index=26,
            linked_measures=("eslov_aktualisering_till_beslut", "eslov_kontakt_samma_dag"),
            previous="eslov_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="eslov_pgsa_3",
            title="Utredningen startar inom en vecka efter beslut",
            change_idea=(
                "Om utredaren bokar det första mötet med familjen inom en vecka från beslutet blir fler "
                "utredningar klara inom fyra månader."
            ),
            plan=(
                "Ett team testar under två månader. Enhetschefen fördelar utredningen vid beslutet och "
                "utredaren bokar mötet samma vecka."
            ),
            prediction="Minst sju av tio utredningar i teamet blir klara inom fyra månader.",
            do_notes="Testet pågår. Teamet har haft svårt att hitta tider när arbetsbelastningen är hög.",
            study_notes="Studeras när de första utredningarna i testet har avslutats.",
            act=None,
            status="running",
            start_period_index=34,
            end_period_index=None,
            linked_measures=("eslov_inom_fyra_manader", "eslov_utredningar_per_socialsekreterare"),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Magkänslan behöver stöd av fakta innan vi sätter in åtgärder. Statistiken visade att det var "
                "inflödet, inte handläggningen, som hade förändrats mest."
            ),
            tags=("fakta", "analys"),
            author="eslov_controller",
            period_index=4,
        ),
        LessonSpec(
            text=(
                "Det tar tid att tolka siffror och hitta rätt nyckeltal, och den tiden måste planeras in från början."
            ),
            tags=("nyckeltal", "planering"),
            author="eslov_samordnare",
            period_index=8,
        ),
        LessonSpec(
            text=(
                "Involvera stödfunktionerna tidigt och hela vägen. Controllern behövdes redan när problemet "
                "formulerades, inte först när vi skulle mäta."
            ),
            tags=("stödfunktioner",),
            author="eslov_enhetschef",
            period_index=12,
        ),
        LessonSpec(
            text=(
                "Medarbetarna måste vara med i förbättringsarbetet. Idéerna från teamträffarna var både fler och "
                "bättre än ledningens egna."
            ),
            tags=("delaktighet", "medarbetare"),
            author="eslov_socialsekreterare",
            period_index=20,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=6,
            rag="amber",
            assessment=(
                "Tiden från aktualisering till beslut har minskat från omkring 17 till 14 dagar, men målet på 12 "
                "dagar är inte nått. Antalet utredningar per socialsekreterare ökar långsamt."
            ),
            decision=(
                "Ledningsgruppen föreslår nämnden två tillfälliga utredartjänster. Teamet fortsätter testet med "
                "utredningsstart inom en vecka."
            ),
            next_review_in_weeks=8,
            reviewer="eslov_avdelningschef",
        ),
    ),
    started_weeks_ago=span_weeks(_WEEKS, "week"),
)
