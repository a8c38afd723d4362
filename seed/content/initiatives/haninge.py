"""Haninge: higher attendance in daily activities (daglig verksamhet) under LSS."""

from __future__ import annotations

from typing import Final

from seed.content.builders import person, span_weeks
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
    "haninge_funktionsstod", "Haninge kommun, Socialförvaltningen – funktionsstöd", "Haninge", "funktionsstod"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("haninge_forvaltningschef", "Christer Wahlberg", "haninge"),
    person("haninge_utvecklingsledare", "Paula Ekman", "haninge"),
    person("haninge_arbetsterapeut", "Sebastian Åberg", "haninge"),
    person("haninge_lss_handlaggare", "Yasmin Haddad", "haninge"),
    person("haninge_handledare", "Tove Lundqvist", "haninge"),
    person("haninge_enhetschef", "Martin Söderberg", "haninge"),
    person("haninge_deltagare", "Alexander Berggren", "haninge"),
)

_WEEKS: Final = 34

_ATTENDANCE = MeasureSpec(
    key="haninge_narvaro",
    name="Andel planerade dagar med närvaro i daglig verksamhet",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal dagar under veckan då deltagarna var på plats i daglig verksamhet enligt sina scheman. "
        "Nämnare: antal planerade närvarodagar enligt deltagarnas scheman samma vecka. Personalen registrerar "
        "närvaro varje dag i närvarolistan och utvecklingsledaren sammanställer den varje måndag."
    ),
    direction="increase",
    frequency="week",
    baseline=66.0,
    target=80.0,
    target_weeks_from_start=60,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 66.0, 1.2), LevelSpec(16, 72.5, 1.2)),
        denominator_mean=180.0,
        denominator_sd=12.0,
        seed=2501,
        gaps=(26,),
        comments=((25, "Röda dagar i veckan; färre planerade dagar än vanligt."),),
    ),
)

_KNOWN_CAUSE = MeasureSpec(
    key="haninge_kand_franvaroorsak",
    name="Andel frånvarodagar med känd och registrerad orsak",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal frånvarodagar där orsaken registrerats med en av de fasta koderna, till exempel "
        "sjukdom, uteblivet resa, eget val eller aktivitet på boendet. Nämnare: samtliga frånvarodagar under "
        "veckan. Personalen i daglig verksamhet registrerar orsaken i samband med närvarolistan."
    ),
    direction="increase",
    frequency="week",
    baseline=38.0,
    target=90.0,
    target_weeks_from_start=40,
    chart="p",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 38.0, 3.0), LevelSpec(6, 84.0, 3.0)),
        denominator_mean=55.0,
        denominator_sd=8.0,
        seed=2502,
        gaps=(26,),
        clip_max=100.0,
    ),
)

_INCIDENTS = MeasureSpec(
    key="haninge_avvikelser",
    name="Antal avvikelser i daglig verksamhet",
    kind="balancing",
    data_type="count",
    unit="avvikelser",
    definition=(
        "Antal avvikelser som registrerats för daglig verksamhet under veckan, till exempel konflikter, fall "
        "eller resor som inte blev av. Enhetschefen räknar avvikelserna i avvikelsesystemet varje måndag. "
        "Måttet visar om högre närvaro leder till fler incidenter i grupperna."
    ),
    direction="decrease",
    frequency="week",
    baseline=2.2,
    target=None,
    target_weeks_from_start=None,
    chart="c",
    series=SeriesSpec(n_periods=_WEEKS, levels=(LevelSpec(0, 2.2, 0.0),), seed=2002503, integer=True, gaps=(26,)),
)

INITIATIVE: Final = InitiativeSpec(
    key="haninge_daglig_verksamhet",
    organisation=ORGANISATION,
    title="Högre närvaro i daglig verksamhet",
    problem=(
        "Personer med beslut om daglig verksamhet enligt LSS var i hög grad frånvarande från sin verksamhet. "
        "Frånvaron registrerades, men inte varför, så orsakerna var okända i de flesta fall. Daglig "
        "verksamhet, boende och handläggare hade var sin bild av problemet."
    ),
    rationale=(
        "Daglig verksamhet ger struktur, gemenskap och meningsfull sysselsättning, och är för många den "
        "viktigaste delen av veckan utanför hemmet. Hög frånvaro kan vara ett tecken på att insatsen inte "
        "motsvarar personens önskemål eller att något i vardagen inte fungerar, till exempel resorna. Platser "
        "som står tomma är dessutom resurser som inte kommer någon till nytta."
    ),
    target_group=(
        "Personer med beslut om daglig verksamhet enligt LSS, deras gruppbostäder och anhöriga samt personalen "
        "i daglig verksamhet."
    ),
    aim=(
        "Senast {maldatum} ska deltagarna vara på plats minst 80 procent av sina planerade dagar, och orsaken "
        "ska vara känd och registrerad för minst 90 procent av frånvarodagarna."
    ),
    status="active",
    rag="amber",
    what_we_did=(
        "Ett förbättringsteam sattes samman av personal från daglig verksamhet och gruppbostäder, en "
        "LSS-handläggare, en arbetsterapeut och en utvecklingsledare, och en deltagare var med som "
        "brukarrepresentant. Teamet skulle ta reda på varför deltagarna uteblev och föreslå förbättringar "
        "för ledningsgruppen, som sedan beslutar vad som ska genomföras. Teamet införde registrering av "
        "frånvaroorsak och testade en gemensam veckoplan mellan boende och daglig verksamhet."
    ),
    results=(
        "Registreringen av orsaker visar att resor och otydlig veckoplanering står för en stor del av "
        "frånvaron. Närvaron har ökat från omkring 66 till 72 procent efter införandet av den gemensamma "
        "veckoplanen, men når ännu inte målet. Olika yrkesgrupper har fått inblick i varandras arbete och den "
        "kunskapen förs vidare ut i verksamheterna. Teamet lämnar sina samlade förslag till ledningsgruppen "
        "vid nästa statusgenomgång."
    ),
    team=(
        TeamMemberSpec("haninge_utvecklingsledare", "verksamhetsutvecklare"),
        TeamMemberSpec("haninge_arbetsterapeut", "arbetsterapeut"),
        TeamMemberSpec("haninge_lss_handlaggare", "bistandshandlaggare"),
        TeamMemberSpec("haninge_handledare", "medarbetare"),
        TeamMemberSpec("haninge_enhetschef", "enhetschef"),
        TeamMemberSpec("haninge_deltagare", "brukarrepresentant"),
    ),
    measures=(_ATTENDANCE, _KNOWN_CAUSE, _INCIDENTS),
    pdsa_cycles=(
        PdsaSpec(
            key="haninge_pgsa_1",
            title="Fasta koder för frånvaroorsak",
            change_idea=(
                "Om personalen väljer en av sex fasta orsakskoder varje gång någon är frånvarande kan vi se "
                "varför deltagarna inte kommer."
            ),
            plan=(
                "Alla grupper i daglig verksamhet använder koderna i närvarolistan i fyra veckor. "
                "Utvecklingsledaren följer andelen frånvarodagar med känd orsak."
            ),
            prediction="Minst åtta av tio frånvarodagar får en känd orsak.",
            do_notes=(
                "Det gick fort att komma i gång. Personalen ringde boendet när orsaken var okänd, vilket i sig "
                "ledde till bättre kontakt med gruppbostäderna."
            ),
            study_notes=(
                "Andelen frånvarodagar med känd orsak steg från knappt fyra av tio till över åtta av tio. Resor "
                "och ändrade planer på boendet var de vanligaste orsakerna."
            ),
            act="adopt",
            status="done",
            start_period_index=6,
            end_period_index=10,
            linked_measures=("haninge_kand_franvaroorsak",),
            new_phase=True,
        ),
        PdsaSpec(
            key="haninge_pgsa_2",
            title="Gemensam veckoplan – en gruppbostad",
            change_idea=(
                "En gemensam veckoplan mellan gruppbostaden och daglig verksamhet gör att tider för läkarbesök, "
                "resor och aktiviteter inte krockar."
            ),
            plan=(
                "En gruppbostad och två grupper i daglig verksamhet gör en gemensam veckoplan varje fredag i fyra "
                "veckor. Vi följer närvaron för de sex berörda deltagarna."
            ),
            prediction="Närvaron för de berörda deltagarna ökar med minst tio procentenheter.",
            do_notes=(
                "Planen gjordes varje fredag. Deltagarna ville själva vara med och bestämma, vilket inte fanns "
                "med i planeringen från början."
            ),
            study_notes=(
                "Närvaron ökade tydligt för de sex deltagarna. Deltagarna behöver vara med när planen görs, och "
                "planen måste delas med färdtjänsten."
            ),
            act="adapt",
            status="done",
            start_period_index=12,
            end_period_index=15,
            linked_measures=("haninge_narvaro",),
        ),
        PdsaSpec(
            key="haninge_pgsa_3",
            title="Gemensam veckoplan för alla gruppbostäder",
            change_idea=(
                "Alla gruppbostäder gör veckoplanen tillsammans med deltagaren och daglig verksamhet, och "
                "planen skickas till färdtjänsten."
            ),
            plan=(
                "Arbetssättet införs stegvis i samtliga gruppbostäder under sex veckor. Vi följer närvaron och "
                "antalet avvikelser varje vecka."
            ),
            prediction="Närvaron ökar till minst 72 procent utan att avvikelserna blir fler.",
            do_notes=(
                "Införandet gick snabbare än väntat i de flesta bostäder. Två bostäder med många vikarier hade "
                "svårt att hålla fredagstiden."
            ),
            study_notes="Närvaron steg till omkring 72 procent och antalet avvikelser var oförändrat.",
            act="adopt",
            status="done",
            start_period_index=16,
            end_period_index=24,
            linked_measures=("haninge_narvaro", "haninge_avvikelser"),
            previous="haninge_pgsa_2",
            new_phase=True,
        ),
        PdsaSpec(
            key="haninge_pgsa_4",
            title="Samordnade resor med färdtjänsten",
            change_idea=(
                "Om resorna till daglig verksamhet beställs samlat en gång i veckan utifrån veckoplanen uteblir "
                "färre resor."
            ),
            plan=(
                "Utvecklingsledaren och färdtjänsten testar en samlad beställning för två gruppbostäder under "
                "sex veckor."
            ),
            prediction="Frånvaro på grund av resor halveras för de berörda deltagarna.",
            do_notes="Testet har startat i en gruppbostad; den andra startar nästa vecka.",
            study_notes="Studeras efter sex veckor tillsammans med färdtjänsten.",
            act=None,
            status="running",
            start_period_index=28,
            end_period_index=None,
            linked_measures=("haninge_narvaro",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Svaren fanns hos våra egna medarbetare och deltagare. Teamet hittade orsaker som "
                "ledningsgruppen aldrig hade sett."
            ),
            tags=("medarbetare", "delaktighet"),
            author="haninge_utvecklingsledare",
            period_index=12,
        ),
        LessonSpec(
            text=(
                "Att blanda yrkesgrupper i teamet gav alla inblick i varandras vardag, och den kunskapen sprids "
                "nu ut i verksamheterna."
            ),
            tags=("samverkan", "lärande"),
            author="haninge_arbetsterapeut",
            period_index=20,
        ),
        LessonSpec(
            text=(
                "Vi behövde mäta orsaken till frånvaron, inte bara frånvaron. Först då kunde vi välja vad vi "
                "skulle testa."
            ),
            tags=("mätning", "analys"),
            author="haninge_deltagare",
            period_index=11,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=4,
            rag="amber",
            assessment=(
                "Orsakerna till frånvaron är nu kända och närvaron har ökat till omkring 72 procent, men målet 80 "
                "procent är långt borta. Resorna är den största kvarvarande orsaken."
            ),
            decision=(
                "Teamet fortsätter testet med samordnade resor. Förvaltningschefen tar upp frågan om "
                "färdtjänstens beställningsregler med kommunens färdtjänsthandläggare."
            ),
            next_review_in_weeks=8,
            reviewer="haninge_forvaltningschef",
        ),
    ),
    started_weeks_ago=span_weeks(_WEEKS, "week"),
)
