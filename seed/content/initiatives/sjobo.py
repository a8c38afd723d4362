"""Sjöbo, individual and family care: earlier support for people who seek help themselves."""

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
    "sjobo_ifo", "Sjöbo kommun, Individ- och familjeomsorgen", "Sjöbo", "individ_och_familjeomsorg"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("sjobo_verksamhetschef", "Agneta Malmqvist", "sjobo"),
    person("sjobo_enhetschef", "Fredrik Nyberg", "sjobo"),
    person("sjobo_socialsekreterare", "Nadia Rahimi", "sjobo"),
    person("sjobo_familjebehandlare", "Patrik Holmberg", "sjobo"),
    person("sjobo_administrativ_chef", "Ulrika Granath", "sjobo"),
    person("sjobo_brukarrepresentant", "Jessica Lindh", "sjobo"),
)

_WEEKS: Final = 36
_MONTHS: Final = 9

_WAITING = MeasureSpec(
    key="sjobo_vantetid_forstabesok",
    name="Väntetid till första besök för den som själv söker stöd",
    kind="outcome",
    data_type="value",
    unit="dagar",
    definition=(
        "Medelvärdet av antal kalenderdagar från första kontakten till det första besöket, för alla "
        "självsökande som haft förstabesök under veckan. Självsökande är de som själva tar kontakt, utan "
        "anmälan eller remiss. Mottagningens socialsekreterare registrerar datumen i ärendelistan och den "
        "administrativa chefen räknar fram värdet varje måndag."
    ),
    direction="decrease",
    frequency="week",
    baseline=16.0,
    target=7.0,
    target_weeks_from_start=52,
    chart="i",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 16.0, 2.2), LevelSpec(12, 11.0, 1.8), LevelSpec(24, 8.3, 1.4)),
        seed=1302001,
        clip_min=1.0,
        gaps=(20,),
        comments=((21, "Två medarbetare på utbildning; färre besökstider än vanligt."),),
    ),
)

_FIRST_VISITS = MeasureSpec(
    key="sjobo_forstabesok_sjalvsokande",
    name="Antal förstabesök för självsökande",
    kind="process",
    data_type="count",
    unit="besök",
    definition=(
        "Antal genomförda förstabesök under veckan för personer som själva tagit kontakt med individ- och "
        "familjeomsorgen. Rådgivning per telefon utan besök räknas inte. Mottagningens socialsekreterare "
        "registrerar besöken och den administrativa chefen summerar varje måndag."
    ),
    direction="increase",
    frequency="week",
    baseline=3.0,
    target=5.0,
    target_weeks_from_start=52,
    chart="c",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 3.0, 0.0), LevelSpec(12, 4.2, 0.0)),
        seed=102002,
        integer=True,
        gaps=(20,),
    ),
)

_WITHIN_FOUR = INVESTIGATIONS_WITHIN_FOUR_MONTHS.use(
    "sjobo_inom_fyra_manader",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 60.0, 0.0),),
        denominator_mean=6.0,
        denominator_sd=1.0,
        seed=202003,
    ),
    baseline=60.0,
    target=80.0,
    target_weeks_from_start=78,
)

INITIATIVE: Final = InitiativeSpec(
    key="sjobo_tillganglighet",
    organisation=ORGANISATION,
    title="Tidigare stöd för den som själv söker hjälp",
    problem=(
        "Tillgängligheten till förebyggande och tidiga insatser hade försämrats. Den som själv sökte stöd fick "
        "vänta länge på ett första besök, samtidigt som allt fler ärenden kom in via anmälningar och remisser, "
        "ofta i ett senare och svårare skede. Registreringen var inte enhetlig och vi kunde inte följa flödet."
    ),
    rationale=(
        "Stöd som ges tidigt och frivilligt är oftast mer verksamt och mindre ingripande för familjen än "
        "insatser som sätts in när problemen har vuxit. En kort väntetid gör det lättare för människor att ta "
        "steget och söka hjälp. Om fler får hjälp tidigt kan trycket på utredningar minska på sikt."
    ),
    target_group=(
        "Barn, unga, vuxna och familjer som själva söker stöd hos individ- och familjeomsorgen samt "
        "medarbetarna i öppenvården."
    ),
    aim=(
        "Senast {maldatum} ska den som själv söker stöd erbjudas ett första besök inom i genomsnitt högst "
        "7 dagar, och antalet förstabesök för självsökande ska ha ökat till minst fem i veckan."
    ),
    status="active",
    rag="amber",
    what_we_did=(
        "Vi tog fram relevant statistik, samlade in synpunkter från brukarna och utformade en aktivitets- och "
        "verksamhetsplan utifrån mätningar och analyser på flera nivåer. Medarbetare och ledning arbetade "
        "tillsammans med planen, och flera delprojekt startade utifrån förändringsidéerna. Vi införde öppen "
        "telefontid och reserverade tider för förstabesök varje dag. Informationsmaterialet ses över och "
        "öppnandet av en familjecentral planeras."
    ),
    results=(
        "Väntetiden till första besök för självsökande har halverats, från omkring 16 till drygt 8 dagar, men "
        "ligger ännu över målet. Personalresurserna används mer effektivt utifrån uppdrag och behov. Antalet "
        "självsökande har ökat något. Andelen utredningar som blir klara inom fyra månader har inte påverkats "
        "i någon riktning."
    ),
    team=(
        TeamMemberSpec("sjobo_enhetschef", "enhetschef"),
        TeamMemberSpec("sjobo_socialsekreterare", "socialsekreterare"),
        TeamMemberSpec("sjobo_familjebehandlare", "medarbetare"),
        TeamMemberSpec("sjobo_administrativ_chef", "controller"),
        TeamMemberSpec("sjobo_brukarrepresentant", "brukarrepresentant"),
    ),
    measures=(_WAITING, _FIRST_VISITS, _WITHIN_FOUR),
    pdsa_cycles=(
        PdsaSpec(
            key="sjobo_pgsa_1",
            title="Öppen telefontid varje förmiddag",
            change_idea=(
                "En fast telefontid då en socialsekreterare alltid svarar gör det lättare att nå oss och att "
                "boka ett besök direkt."
            ),
            plan=(
                "Mottagningen har öppen telefontid klockan nio till elva i fyra veckor. Socialsekreteraren "
                "noterar antalet samtal och hur många som fick en besökstid."
            ),
            prediction="Väntetiden till första besök sjunker med minst tre dagar.",
            do_notes=(
                "Det kom fler samtal än väntat. Många fick besökstid, men kalendern fylldes snabbt eftersom "
                "inga tider var reserverade för nya besök."
            ),
            study_notes=(
                "Telefontiden gjorde oss lättare att nå, men väntetiden sjönk bara lite. Vi behöver reservera "
                "besökstider för att kunna erbjuda dem."
            ),
            act="adapt",
            status="done",
            start_period_index=8,
            end_period_index=11,
            linked_measures=("sjobo_vantetid_forstabesok", "sjobo_forstabesok_sjalvsokande"),
        ),
        PdsaSpec(
            key="sjobo_pgsa_2",
            title="Reserverade tider för förstabesök varje dag",
            change_idea=(
                "Två tider om dagen hålls fria för nya besök, så att den som ringer på telefontiden kan få komma "
                "inom en vecka."
            ),
            plan=(
                "Mottagningen och öppenvården turas om att hålla två tider fria varje dag under sex veckor. Vi "
                "följer väntetid och antal förstabesök varje vecka."
            ),
            prediction="Väntetiden sjunker till högst 11 dagar och antalet förstabesök ökar.",
            do_notes=("Tiderna användes nästan alltid. När de inte fylldes lämnades de till akuta ärenden samma dag."),
            study_notes=(
                "Väntetiden sjönk till omkring 11 dagar och antalet förstabesök ökade till drygt fyra i veckan."
            ),
            act="adopt",
            status="done",
            start_period_index=12,
            end_period_index=18,
            linked_measures=("sjobo_vantetid_forstabesok", "sjobo_forstabesok_sjalvsokande"),
            previous="sjobo_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="sjobo_pgsa_3",
            title="Förstabesök hos familjebehandlaren direkt",
            change_idea=(
                "När behovet är tydligt kan den självsökande boka in sig direkt hos en familjebehandlare i "
                "stället för att först träffa mottagningen."
            ),
            plan=(
                "Familjebehandlarna tar emot självsökande föräldrar direkt under sex veckor, med en enkel "
                "checklista för när ärendet ska gå via mottagningen."
            ),
            prediction="Väntetiden sjunker till under 9 dagar utan att fler ärenden behöver göras om.",
            do_notes="Nästan alla föräldrar kunde tas emot direkt. Tre ärenden fick gå tillbaka till mottagningen.",
            study_notes="Väntetiden sjönk till drygt 8 dagar och checklistan fungerade väl.",
            act="adopt",
            status="studied",
            start_period_index=24,
            end_period_index=30,
            linked_measures=("sjobo_vantetid_forstabesok",),
            new_phase=True,
        ),
        PdsaSpec(
            key="sjobo_pgsa_4",
            title="Information om tidiga insatser i skolornas veckobrev",
            change_idea=(
                "Om föräldrar får veta att de kan söka stöd själva, och hur det går till, söker fler i ett "
                "tidigt skede."
            ),
            plan=(
                "En kort text om familjestöd skickas med två skolors veckobrev. Vi följer antal självsökande "
                "från skolornas upptagningsområden."
            ),
            prediction="Antalet förstabesök för självsökande ökar till minst fem i veckan.",
            do_notes="Texten har skickats ut en gång. Ett andra utskick planeras om två veckor.",
            study_notes="Effekten studeras efter åtta veckor.",
            act=None,
            status="running",
            start_period_index=32,
            end_period_index=None,
            linked_measures=("sjobo_forstabesok_sjalvsokande",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Vi når bäst resultat när vi bygger på befintlig kunskap: forskningen, vår egen erfarenhet och "
                "brukarnas."
            ),
            tags=("kunskap", "brukarfokus"),
            author="sjobo_enhetschef",
            period_index=10,
        ),
        LessonSpec(
            text=(
                "Utan enhetlig registrering kan vi inte veta om vi gör rätt saker. Att alla registrerar på samma "
                "sätt var det första vi behövde lösa."
            ),
            tags=("registrering", "mätning"),
            author="sjobo_administrativ_chef",
            period_index=4,
        ),
        LessonSpec(
            text=(
                "Fortsatt utveckling kräver att olika kompetenser och resurser samverkar, både inom förvaltningen "
                "och med skola och region."
            ),
            tags=("samverkan",),
            author="sjobo_familjebehandlare",
            period_index=28,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=7,
            rag="amber",
            assessment=(
                "Väntetiden har halverats men ligger på drygt 8 dagar mot målet 7. Antalet självsökande har inte "
                "ökat så mycket som planerat."
            ),
            decision=(
                "Teamet fortsätter med information via skolorna. Planeringen av familjecentralen tas upp i "
                "ledningsgruppen nästa månad."
            ),
            next_review_in_weeks=8,
            reviewer="sjobo_verksamhetschef",
        ),
    ),
    started_weeks_ago=span_weeks(_WEEKS, "week"),
)
