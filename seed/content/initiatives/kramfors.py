"""Kramfors: coordinated individual plans (SIP) for children and young people."""

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
    "kramfors_sof", "Kramfors kommun, Socialförvaltningen", "Kramfors", "socialforvaltning"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("kramfors_forvaltningschef", "Åsa Westerlund", "kramfors"),
    person("kramfors_verksamhetsutvecklare", "Henrik Bodin", "kramfors"),
    person("kramfors_socialsekreterare", "Therese Hägglund", "kramfors"),
    person("kramfors_enhetschef", "Jan Sjölander", "kramfors"),
    person("kramfors_skolkurator", "Ida Norberg", "kramfors"),
    person("kramfors_foralder", "Mats Eriksson", "kramfors"),
)

_MONTHS: Final = 16
_FOLLOW_UP_MONTHS: Final = 10

_SHARE_WITH_SIP = MeasureSpec(
    key="kramfors_andel_med_sip",
    name="Andel barn och unga med insatser från flera huvudmän som har en SIP",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal barn och unga med pågående insatser från socialtjänsten och minst en annan huvudman "
        "som har en upprättad och giltig samordnad individuell plan. Nämnare: antal barn och unga med pågående "
        "insatser från socialtjänsten och minst en annan huvudman den sista dagen i månaden. "
        "Socialsekreterarna markerar samverkansärenden i verksamhetssystemet och verksamhetsutvecklaren "
        "sammanställer."
    ),
    direction="increase",
    frequency="month",
    baseline=3.0,
    target=50.0,
    target_weeks_from_start=100,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 3.0, 0.0), LevelSpec(5, 16.0, 0.0), LevelSpec(9, 33.0, 1.0, 0.8)),
        denominator_mean=38.0,
        denominator_sd=2.0,
        seed=1901,
    ),
)

_NEW_SIP = MeasureSpec(
    key="kramfors_upprattade_sip",
    name="Antal upprättade SIP för barn och unga",
    kind="process",
    data_type="count",
    unit="planer",
    definition=(
        "Antal samordnade individuella planer för barn och unga som upprättats under månaden, det vill säga "
        "där planen skrivits vid ett gemensamt möte med barnet eller föräldrarna. Uppdateringar av befintliga "
        "planer räknas inte. Sekreteraren i barn- och ungagruppen för en lista som verksamhetsutvecklaren "
        "stämmer av mot verksamhetssystemet."
    ),
    direction="increase",
    frequency="month",
    baseline=0.3,
    target=6.0,
    target_weeks_from_start=100,
    chart="c",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 0.3, 0.0), LevelSpec(5, 2.5, 0.0), LevelSpec(9, 4.5, 0.0)),
        seed=501902,
        integer=True,
    ),
)

_FOLLOWED_UP = MeasureSpec(
    key="kramfors_sip_uppfoljd",
    name="Andel SIP som följts upp inom tre månader",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal planer där ett uppföljningsmöte hållits inom tre månader från att planen upprättades. "
        "Nämnare: antal planer vars tremånadersgräns infallit under månaden. Sekreteraren i barn- och "
        "ungagruppen går igenom listan över planer i slutet av varje månad."
    ),
    direction="increase",
    frequency="month",
    baseline=55.0,
    target=90.0,
    target_weeks_from_start=100,
    chart="run",
    series=SeriesSpec(
        n_periods=_FOLLOW_UP_MONTHS,
        levels=(LevelSpec(0, 55.0, 5.0), LevelSpec(5, 86.0, 4.0)),
        denominator_mean=6.0,
        denominator_sd=1.0,
        seed=1903,
        clip_max=100.0,
    ),
)

_WITHIN_FOUR = INVESTIGATIONS_WITHIN_FOUR_MONTHS.use(
    "kramfors_inom_fyra_manader",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 62.0, 0.0),),
        denominator_mean=9.0,
        denominator_sd=2.0,
        seed=1101904,
    ),
    baseline=62.0,
    target=80.0,
    target_weeks_from_start=100,
)

INITIATIVE: Final = InitiativeSpec(
    key="kramfors_sip",
    organisation=ORGANISATION,
    title="Samordnad individuell plan för barn och unga",
    problem=(
        "När ett barn hade insatser från flera håll, till exempel socialtjänst, skola och region, saknades "
        "en gemensam bild av behoven och insatserna hängde inte ihop. Verktyget samordnad individuell plan "
        "(SIP) hade över huvud taget inte använts i ärenden som rörde barn och unga. Öppna jämförelser "
        "visade dessutom att kommunen hade förbättringsområden när det gällde helhetssyn och samordning."
    ),
    rationale=(
        "När flera huvudmän arbetar med samma barn utan gemensam plan får familjen själv hålla ihop "
        "kontakterna, och insatser riskerar att krocka eller utebli. SIP är ett lagstadgat verktyg för att "
        "samordna insatserna med barnet och föräldrarna delaktiga. Ett gemensamt arbetssätt minskar också "
        "dubbelarbete mellan verksamheterna."
    ),
    target_group=(
        "Barn och unga med insatser från flera huvudmän, deras föräldrar samt socialsekreterare, elevhälsa och "
        "barn- och ungdomspsykiatri."
    ),
    aim=(
        "Senast {maldatum} ska minst hälften av de barn och unga som har insatser från både socialtjänsten och "
        "skola eller region ha en upprättad SIP, och minst 90 procent av planerna ska följas upp inom tre "
        "månader."
    ),
    status="active",
    rag="green",
    what_we_did=(
        "Vi analyserade resultaten i Öppna jämförelser och startade gemensamma grupper för socialtjänst, "
        "skola och region. Ett förbättringsteam tillsattes och alla berörda fick information om arbetet. "
        "Samtliga socialsekreterare gick en webbutbildning om SIP. Vi tog fram en kort uppföljningsmall och "
        "gjorde genomförda och planerade SIP till en stående punkt på barn- och ungagruppens möten."
    ),
    results=(
        "Planer upprättas nu regelbundet för barn och unga och befintliga planer har kompletterats. "
        "Socialsekreterarna har lärt sig arbetssättet och både skola och region ber numera själva om SIP. "
        "Barnens och föräldrarnas syn på nyttan av planen efterfrågas vid varje uppföljning. Andelen barn "
        "med SIP har stigit från nästan noll till omkring en tredjedel och fortsätter att öka."
    ),
    team=(
        TeamMemberSpec("kramfors_verksamhetsutvecklare", "verksamhetsutvecklare"),
        TeamMemberSpec("kramfors_socialsekreterare", "socialsekreterare"),
        TeamMemberSpec("kramfors_enhetschef", "enhetschef"),
        TeamMemberSpec("kramfors_skolkurator", "medarbetare"),
        TeamMemberSpec("kramfors_foralder", "anhorig"),
    ),
    measures=(_SHARE_WITH_SIP, _NEW_SIP, _FOLLOWED_UP, _WITHIN_FOUR),
    pdsa_cycles=(
        PdsaSpec(
            key="kramfors_pgsa_1",
            title="En SIP per socialsekreterare",
            change_idea=(
                "Om varje socialsekreterare upprättar en SIP i ett lämpligt ärende får alla egen erfarenhet "
                "av arbetssättet."
            ),
            plan=(
                "Under två månader väljer varje socialsekreterare ett ärende där skola eller region har "
                "insatser. Verksamhetsutvecklaren stöttar med kallelse och mall och räknar upprättade planer."
            ),
            prediction="Minst sex planer upprättas under de två månaderna.",
            do_notes=(
                "Fem planer upprättades. I flera ärenden var det svårt att hitta en mötestid som passade skola, "
                "region och familj."
            ),
            study_notes=(
                "Socialsekreterarna tyckte att mötena gav mycket, men kallelserna tog för lång tid. Mötena "
                "behöver planeras i ett gemensamt forum."
            ),
            act="adapt",
            status="done",
            start_period_index=5,
            end_period_index=6,
            linked_measures=("kramfors_andel_med_sip", "kramfors_upprattade_sip"),
            new_phase=True,
        ),
        PdsaSpec(
            key="kramfors_pgsa_2",
            title="SIP som stående punkt i barn- och ungagruppen",
            change_idea=(
                "När behov av SIP lyfts och möten bokas direkt i barn- och ungagruppen, där skola och region "
                "redan sitter med, blir det lättare att komma i gång."
            ),
            plan=(
                "Barn- och ungagruppen har SIP som första punkt på varje möte under tre månader. Sekreteraren "
                "för lista över planerade och genomförda planer."
            ),
            prediction="Minst fyra planer i månaden och en andel barn med SIP på minst 30 procent.",
            do_notes=(
                "Punkten fanns med på alla möten. Regionens representant tog med sig frågan till barn- och "
                "ungdomspsykiatrin, som därefter själv började initiera planer."
            ),
            study_notes=(
                "Antalet nya planer steg till fyra–fem i månaden och andelen barn med SIP till omkring en tredjedel."
            ),
            act="adopt",
            status="done",
            start_period_index=9,
            end_period_index=11,
            linked_measures=("kramfors_andel_med_sip", "kramfors_upprattade_sip"),
            previous="kramfors_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="kramfors_pgsa_3",
            title="Uppföljningsmall med frågor till barn och föräldrar",
            change_idea=(
                "En enkel mall där uppföljningsdatum bokas redan när planen skrivs, och där barnet och "
                "föräldrarna får säga vad planen gett, gör att fler planer följs upp i tid."
            ),
            plan=(
                "Alla nya planer under tre månader får ett uppföljningsdatum i kalendern och mallen används vid "
                "uppföljningen. Sekreteraren följer andelen planer som följts upp inom tre månader."
            ),
            prediction="Minst nio av tio planer följs upp inom tre månader.",
            do_notes="Mallen användes vid samtliga uppföljningar. Några föräldrar ville svara skriftligt i förväg.",
            study_notes=(
                "Andelen planer som följs upp i tid steg från ungefär hälften till närmare nio av tio. Barnens "
                "svar har lett till ändringar i flera planer."
            ),
            act="adopt",
            status="done",
            start_period_index=11,
            end_period_index=13,
            linked_measures=("kramfors_sip_uppfoljd",),
            new_phase=True,
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Att enas med skola och region om vad problemet egentligen var krävde mycket mer tid än vi "
                "hade räknat med. Analysen måste få ta tid."
            ),
            tags=("analys", "samverkan"),
            author="kramfors_verksamhetsutvecklare",
            period_index=3,
        ),
        LessonSpec(
            text=(
                "Innan vi startar något nytt behöver vi veta vad som ska förändras, varför, för vilka och på"
                " vilket sätt. Vi har också blivit bättre på att välja ut, begränsa oss och hålla det "
                "enkelt."
            ),
            tags=("planering", "avgränsning"),
            author="kramfors_enhetschef",
            period_index=6,
        ),
        LessonSpec(
            text=(
                "Vi frågar oss allt oftare var barnet finns i det vi gör. Det har också blivit tydligare vem som "
                "äger förbättringsprocessen."
            ),
            tags=("barnperspektiv", "ägarskap"),
            author="kramfors_socialsekreterare",
            period_index=12,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=14,
            rag="green",
            assessment=(
                "Andelen barn med SIP ökar stadigt och uppföljningen fungerar. Målet om hälften är ännu inte "
                "nått men ökningstakten räcker för att nå det i tid."
            ),
            decision=(
                "Arbetet fortsätter enligt plan. Verksamhetsutvecklaren tar fram ett förslag på hur arbetssättet "
                "kan spridas till vuxna med samordningsbehov."
            ),
            next_review_in_weeks=16,
            reviewer="kramfors_forvaltningschef",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
