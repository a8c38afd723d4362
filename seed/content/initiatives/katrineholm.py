"""Katrineholm: faster and better initial assessments (förhandsbedömningar) for children."""

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
    "katrineholm_sof", "Katrineholms kommun, Socialförvaltningen", "Katrineholm", "individ_och_familjeomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("katrineholm_forvaltningschef", "Ulf Hellström", "katrineholm"),
    person("katrineholm_utvecklingsledare", "Sofia Rydberg", "katrineholm"),
    person("katrineholm_enhetschef", "Marcus Ljung", "katrineholm"),
    person("katrineholm_socialsekreterare", "Emma Wikström", "katrineholm"),
    person("katrineholm_controller", "Nils Aronsson", "katrineholm"),
    person("katrineholm_jurist", "Lina Berglund", "katrineholm"),
)

_WEEKS: Final = 48
_MONTHS: Final = 11


_LEAD_TIME = MeasureSpec(
    key="katrineholm_tid_forhandsbedomning",
    name="Handläggningstid för förhandsbedömning",
    kind="outcome",
    data_type="value",
    unit="dagar",
    definition=(
        "Medelvärdet av antal kalenderdagar från att en anmälan om ett barn kom in till beslut om att inleda "
        "eller inte inleda utredning, för alla förhandsbedömningar som avslutats under veckan. "
        "Utvecklingsledaren hämtar uppgiften ur verksamhetssystemet varje måndag. Veckor utan avslutade "
        "bedömningar lämnas tomma."
    ),
    direction="decrease",
    frequency="week",
    baseline=19.0,
    target=12.0,
    target_weeks_from_start=40,
    chart="i",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 19.0, 2.2), LevelSpec(14, 14.5, 1.8), LevelSpec(28, 10.5, 1.3)),
        seed=601701,
        clip_min=1.0,
        gaps=(33,),
        comments=((32, "Få avslutade bedömningar denna vecka på grund av utbildningsdag."),),
    ),
)

_WITHIN_FOUR = INVESTIGATIONS_WITHIN_FOUR_MONTHS.use(
    "katrineholm_inom_fyra_manader",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 62.0, 0.0),),
        denominator_mean=14.0,
        denominator_sd=3.0,
        seed=901702,
    ),
    baseline=62.0,
    target=80.0,
    target_weeks_from_start=78,
)

_QUALITY = MeasureSpec(
    key="katrineholm_kvalitet_forhandsbedomning",
    name="Andel förhandsbedömningar som uppfyller kvalitetskriterierna",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal granskade förhandsbedömningar som uppfyller samtliga fem kriterier i checklistan, bland "
        "annat att barnets egen röst finns med, att beslutet är motiverat och att relevanta register är "
        "kontrollerade. Nämnare: antal granskade bedömningar. Varje vecka granskar en erfaren socialsekreterare "
        "åtta slumpvis valda avslutade bedömningar."
    ),
    direction="increase",
    frequency="week",
    baseline=48.0,
    target=85.0,
    target_weeks_from_start=52,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 48.0, 3.0), LevelSpec(28, 72.0, 3.0, 0.5)),
        denominator_mean=8.0,
        seed=701703,
        clip_max=100.0,
    ),
)

_RE_REFERRALS = MeasureSpec(
    key="katrineholm_ateraktualisering",
    name="Andel barn som återaktualiseras inom sex månader efter beslut att inte utreda",
    kind="balancing",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal barn där en ny anmälan kommit in inom sex månader efter beslutet att inte inleda "
        "utredning. Nämnare: antal barn med beslut om att inte inleda utredning under samma månad sex månader "
        "tidigare. Controllern tar fram uppgiften ur verksamhetssystemet varje månad. Måttet visar om "
        "snabbare bedömningar sker på bekostnad av kvaliteten."
    ),
    direction="decrease",
    frequency="month",
    baseline=14.0,
    target=None,
    target_weeks_from_start=None,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 14.0, 0.0),),
        denominator_mean=30.0,
        denominator_sd=4.0,
        seed=1704,
    ),
)

INITIATIVE: Final = InitiativeSpec(
    key="katrineholm_forhandsbedomning",
    organisation=ORGANISATION,
    title="Snabbare och säkrare förhandsbedömningar för barn och unga",
    problem=(
        "Förhandsbedömningarna av anmälningar om barn och unga tog lång tid och höll ojämn kvalitet. "
        "Bedömningar blev liggande i väntan på kompletteringar, och dokumentationen saknade ofta en tydlig "
        "motivering. Mottagandet av orosanmälningar var krångligt för både anmälare och handläggare."
    ),
    rationale=(
        "Förhandsbedömningen avgör om ett barns situation blir utredd, och den ska göras skyndsamt, normalt "
        "inom 14 dagar. Långsamma eller bristfälliga bedömningar kan innebära att barn som far illa inte får "
        "hjälp i tid. Ett tydligt arbetssätt stärker också förtroendet hos politiker, samarbetspartner och "
        "allmänhet."
    ),
    target_group=(
        "Barn och unga som anmäls till socialtjänsten, deras familjer och socialsekreterarna på mottagningsenheten."
    ),
    aim=(
        "Senast {maldatum} ska den genomsnittliga handläggningstiden för förhandsbedömningar vara högst "
        "12 dagar, och minst 85 procent av de granskade bedömningarna ska uppfylla våra kvalitetskriterier."
    ),
    status="active",
    rag="green",
    what_we_did=(
        "Vi satte mätbara och tidsatta mål för mottagningen och började följa tiderna varje vecka. Den dagliga "
        "verksamheten effektiviserades med ett kort morgonmöte där nya anmälningar fördelas direkt. "
        "Mottagandet av orosanmälningar förenklades med ett webbformulär och en gemensam mall för anmälare. "
        "Personalen fick utbildning i bedömning och dokumentation."
    ),
    results=(
        "Handläggningstiden för förhandsbedömningar har sjunkit från omkring 19 till ungefär 10 dagar och "
        "ligger nu under målet. Andelen bedömningar som klarar kvalitetsgranskningen har ökat men når ännu "
        "inte 85 procent. Ärendeflödet är nu ordnat och överblickbart, och förtroendet mellan politik och "
        "förvaltning har blivit bättre. Andelen barn som återkommer med en ny anmälan har inte ökat."
    ),
    team=(
        TeamMemberSpec("katrineholm_utvecklingsledare", "verksamhetsutvecklare"),
        TeamMemberSpec("katrineholm_enhetschef", "enhetschef"),
        TeamMemberSpec("katrineholm_socialsekreterare", "socialsekreterare"),
        TeamMemberSpec("katrineholm_controller", "controller"),
        TeamMemberSpec("katrineholm_jurist", "medarbetare"),
    ),
    measures=(_LEAD_TIME, _QUALITY, _WITHIN_FOUR, _RE_REFERRALS),
    pdsa_cycles=(
        PdsaSpec(
            key="katrineholm_pgsa_1",
            title="Morgonmöte där nya anmälningar fördelas",
            change_idea=(
                "Om nya anmälningar fördelas till en namngiven socialsekreterare på ett kort morgonmöte varje "
                "dag börjar bedömningen samma dag som anmälan kommer in."
            ),
            plan=(
                "Mottagningen håller ett femton minuter långt stående möte klockan halv nio under sex veckor. "
                "Enhetschefen fördelar och utvecklingsledaren följer handläggningstiden varje vecka."
            ),
            prediction="Handläggningstiden sjunker med minst tre dagar inom sex veckor.",
            do_notes=(
                "Mötet hölls alla vardagar utom två. Det visade sig att en del anmälningar kom in via post och "
                "registrerades först dagen efter."
            ),
            study_notes=(
                "Handläggningstiden sjönk från omkring 19 till 14–15 dagar. Vägen in för anmälningar är nästa "
                "flaskhals."
            ),
            act="adopt",
            status="done",
            start_period_index=14,
            end_period_index=19,
            linked_measures=("katrineholm_tid_forhandsbedomning",),
            new_phase=True,
        ),
        PdsaSpec(
            key="katrineholm_pgsa_2",
            title="Webbformulär för orosanmälningar – test med två skolor",
            change_idea=(
                "Ett webbformulär med obligatoriska fält gör att anmälningarna kommer in snabbare och mer kompletta."
            ),
            plan=(
                "Två skolor använder formuläret i fyra veckor i stället för brev och telefon. Vi jämför tiden "
                "till beslut och antalet kompletteringar med övriga anmälare."
            ),
            prediction="Anmälningar via formuläret behöver hälften så många kompletteringar.",
            do_notes=(
                "Skolorna använde formuläret för nästan alla anmälningar. Flera fält uppfattades som svåra, "
                "särskilt frågan om vårdnadshavarna informerats."
            ),
            study_notes=(
                "Kompletteringarna minskade tydligt, men formuläret behöver förenklas och kompletteras med en "
                "mall för anmälare som inte kan använda webben."
            ),
            act="adapt",
            status="done",
            start_period_index=20,
            end_period_index=25,
            linked_measures=("katrineholm_tid_forhandsbedomning",),
        ),
        PdsaSpec(
            key="katrineholm_pgsa_3",
            title="Webbformulär och gemensam mall för alla anmälare",
            change_idea=(
                "Ett förenklat formulär och en gemensam mall för brev och telefon ger alla anmälare samma "
                "struktur och gör bedömningen snabbare och säkrare."
            ),
            plan=(
                "Formuläret och mallen sprids till skolor, förskolor, hälso- och sjukvård och polis. Mottagningen "
                "använder checklistan vid varje beslut. Vi följer tid och kvalitet varje vecka."
            ),
            prediction=(
                "Handläggningstiden sjunker under 12 dagar och minst sju av tio bedömningar klarar granskningen."
            ),
            do_notes=(
                "Spridningen tog längre tid än planerat för hälso- och sjukvården. Polisen fortsatte med sitt "
                "eget formulär men följer mallens rubriker."
            ),
            study_notes=(
                "Handläggningstiden sjönk till omkring tio dagar och andelen godkända bedömningar steg till "
                "drygt sju av tio. Andelen barn som återkommer har inte ökat."
            ),
            act="adopt",
            status="done",
            start_period_index=28,
            end_period_index=36,
            linked_measures=(
                "katrineholm_tid_forhandsbedomning",
                "katrineholm_kvalitet_forhandsbedomning",
                "katrineholm_ateraktualisering",
            ),
            previous="katrineholm_pgsa_2",
            new_phase=True,
        ),
        PdsaSpec(
            key="katrineholm_pgsa_4",
            title="Kollegial granskning innan beslut",
            change_idea=(
                "Om en kollega läser bedömningen mot checklistan innan beslutet fattas fångas brister upp "
                "innan de blir en del av akten."
            ),
            plan=(
                "Socialsekreterarna granskar varandras bedömningar i par under sex veckor. Vi följer andelen "
                "som klarar granskningen."
            ),
            prediction="Minst 85 procent av bedömningarna uppfyller kvalitetskriterierna.",
            do_notes="Paren är utsedda och granskningen pågår sedan tre veckor.",
            study_notes="Studeras efter sex veckor tillsammans med mottagningens socialsekreterare.",
            act=None,
            status="running",
            start_period_index=44,
            end_period_index=None,
            linked_measures=("katrineholm_kvalitet_forhandsbedomning",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Ett tillförlitligt datasystem är en förutsättning. De första veckorna lade vi mer tid på att "
                "rätta registreringar än på att förbättra."
            ),
            tags=("data", "mätning"),
            author="katrineholm_controller",
            period_index=6,
        ),
        LessonSpec(
            text=(
                "Förankra tidigt. När politikerna fick se veckosiffrorna blev samtalet om resurser och "
                "prioriteringar sakligt."
            ),
            tags=("förankring", "politik"),
            author="katrineholm_utvecklingsledare",
            period_index=20,
        ),
        LessonSpec(
            text=(
                "Tydliga roller mellan ledning och stöd gör arbetet lättare. Ledningen beslutar och efterfrågar "
                "resultat, medan utvecklingsledaren tar fram underlag och håller i mätningen."
            ),
            tags=("roller", "ledning"),
            author="katrineholm_enhetschef",
            period_index=30,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=10,
            rag="green",
            assessment=(
                "Handläggningstiden ligger stabilt under 12 dagar och målet är nått. Kvaliteten har förbättrats "
                "men når ännu inte 85 procent."
            ),
            decision=(
                "Morgonmötet och formuläret blir ordinarie rutin. Teamet fortsätter med kollegial granskning "
                "för att nå kvalitetsmålet."
            ),
            next_review_in_weeks=12,
            reviewer="katrineholm_forvaltningschef",
        ),
    ),
    started_weeks_ago=span_weeks(_WEEKS, "week"),
)
