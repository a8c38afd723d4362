"""Falkenberg: physical activity and time outdoors in residential care (särskilt boende)."""

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
    "falkenberg_sof", "Falkenbergs kommun, Socialförvaltningen", "Falkenberg", "socialforvaltning"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("leader_falkenberg", "Margareta Holm", "falkenberg"),
    person("member_falkenberg", "Erik Sandberg", "falkenberg"),
    person("viewer_falkenberg", "Ingrid Nyström", "falkenberg"),
    person("falkenberg_enhetschef", "Linnea Bergström", "falkenberg"),
    person("falkenberg_fysioterapeut", "Oskar Lind", "falkenberg"),
    person("falkenberg_underskoterska", "Fatima Ali", "falkenberg"),
    person("falkenberg_mas", "Helena Strand", "falkenberg"),
    person("falkenberg_anhorig", "Göran Åkesson", "falkenberg"),
)

_MONTHS: Final = 15
_WEEKS: Final = 56


def _week(month_index: int) -> int:
    return cross_index(month_index, source=("month", _MONTHS, 0), target=("week", _WEEKS, 0))


_SATISFIED = MeasureSpec(
    key="falkenberg_nojd_fysisk_aktivitet",
    name="Andel boende som är nöjda med möjligheten till fysisk aktivitet",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal boende som anger 5 eller högre på frågan om hur nöjda de är med möjligheten till "
        "fysisk aktivitet (skala 1–10). Nämnare: antal boende som besvarat frågan den månaden. "
        "Kontaktpersonen ställer frågan i ett enskilt samtal under månadens sista vecka, och närstående får "
        "hjälpa till vid behov. Kvalitetscontrollern sammanställer svaren från båda boendena."
    ),
    direction="increase",
    frequency="month",
    baseline=58.0,
    target=75.0,
    target_weeks_from_start=52,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 58.0, 2.5), LevelSpec(6, 75.0, 2.0)),
        denominator_mean=50.0,
        denominator_sd=3.0,
        seed=101101,
        comments=((6, "Schemalagda rörelsepass infördes på alla avdelningar denna månad."),),
    ),
)

_ACTIVITIES = MeasureSpec(
    key="falkenberg_gruppaktiviteter",
    name="Antal gruppaktiviteter med rörelse eller utevistelse",
    kind="process",
    data_type="count",
    unit="aktiviteter",
    definition=(
        "Antal genomförda, schemalagda gruppaktiviteter med rörelse eller utevistelse på de två boendena "
        "under veckan, till exempel promenadgrupp, sittgympa eller trädgårdsstund. En aktivitet räknas när "
        "minst två boende deltagit i minst 20 minuter. Personalen bockar av på aktivitetstavlan och "
        "enhetschefen summerar varje måndag."
    ),
    direction="increase",
    frequency="week",
    baseline=6.0,
    target=14.0,
    target_weeks_from_start=52,
    chart="c",
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(
            LevelSpec(0, 6.0, 0.0),
            LevelSpec(_week(4), 8.0, 0.0),
            LevelSpec(_week(6), 13.0, 0.0),
            LevelSpec(_week(9), 15.0, 0.0),
        ),
        seed=2601102,
        integer=True,
        gaps=(_week(8) + 2,),
    ),
)

_FALLS = MeasureSpec(
    key="falkenberg_fall",
    name="Fall per 1 000 vårddygn",
    kind="balancing",
    data_type="rate",
    unit="per 1 000 vårddygn",
    definition=(
        "Täljare: antal fall som registrerats som avvikelse på de två boendena under veckan, oavsett om de "
        "ledde till skada. Nämnare: antal vårddygn samma vecka, det vill säga summan av belagda platser "
        "varje dygn. MAS tar fram uppgifterna ur avvikelsesystemet och beläggningslistan varje måndag. "
        "Måttet visar om mer rörelse leder till fler fall."
    ),
    direction="decrease",
    frequency="week",
    baseline=6.5,
    target=None,
    target_weeks_from_start=None,
    chart="u",
    rate_multiplier=1000.0,
    series=SeriesSpec(
        n_periods=_WEEKS,
        levels=(LevelSpec(0, 6.5, 0.8),),
        denominator_mean=420.0,
        denominator_sd=8.0,
        seed=401103,
    ),
)

_TREATMENT = SATISFACTION_WITH_TREATMENT.use(
    "falkenberg_nojd_bemotande",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 82.0, 2.0), LevelSpec(9, 86.0, 2.0)),
        denominator_mean=50.0,
        denominator_sd=3.0,
        seed=101104,
    ),
    baseline=82.0,
    target=90.0,
    target_weeks_from_start=78,
)

INITIATIVE: Final = InitiativeSpec(
    key="falkenberg_aktivitet",
    organisation=ORGANISATION,
    title="Mer rörelse och utevistelse på särskilt boende",
    problem=(
        "I nationella brukarundersökningar och Öppna jämförelser gav de boende på kommunens särskilda "
        "boenden låga betyg åt möjligheterna att komma ut och att röra på sig. Falkenberg hamnade i den "
        "fjärdedel av landets kommuner som hade sämst resultat på dessa frågor. Aktiviteterna på boendena "
        "var få, sällan planerade och berodde på vem som råkade arbeta. Ingen hade en samlad bild av vad som "
        "faktiskt erbjöds under en vanlig vecka."
    ),
    rationale=(
        "Fysisk aktivitet och tid utomhus påverkar aptit, sömn, humör och förmågan att klara förflyttningar. "
        "För många äldre på boende är en promenad eller en stund i trädgården ett av få sätt att själv forma "
        "sin dag. Frågorna ingår i de nationella jämförelserna, så en förbättring blir synlig även för "
        "nämnden och för kommunens invånare."
    ),
    target_group=(
        "Boende på två av kommunens särskilda boenden för äldre, deras närstående och personalen på boendena."
    ),
    aim=(
        "Senast {maldatum} ska minst 75 procent av de boende på de två särskilda boendena ange 5 eller högre "
        "(skala 1–10) på frågan om nöjdhet med möjligheten till fysisk aktivitet. På längre sikt ska "
        "kommunen tillhöra den bästa fjärdedelen i de nationella jämförelserna för samma frågor."
    ),
    status="active",
    rag="green",
    what_we_did=(
        "Vi gjorde en kommunikations- och aktivitetsplan och höll fokusgrupper med boende, närstående och "
        "personal på båda boendena. Varje boende inventerade vilka aktiviteter som erbjöds under en vanlig "
        "vecka och vad som stod i vägen för fler. Fysioterapeuten tog fram enkla rörelseprogram som "
        "undersköterskorna själva kan leda, och promenader och sittgympa lades in i veckoschemat i stället "
        "för att ske när det fanns tid över. Därefter testade vi daglig utevistelse med hjälp av närstående."
    ),
    results=(
        "I kommunens egen brukarundersökning svarade 40 av 53 boende, det vill säga 75 procent, att de är "
        "nöjda med möjligheten till fysisk aktivitet, och målet är därmed nått. För utevistelse var "
        "motsvarande siffra 38 av 53, eller 72 procent, alltså strax under målet. Antalet schemalagda "
        "gruppaktiviteter har ungefär fördubblats och ligger stabilt på den nya nivån. Antalet fall per "
        "vårddygn har inte ökat trots att de boende rör sig mer."
    ),
    team=(
        TeamMemberSpec("member_falkenberg", "controller"),
        TeamMemberSpec("falkenberg_enhetschef", "enhetschef"),
        TeamMemberSpec("falkenberg_fysioterapeut", "fysioterapeut"),
        TeamMemberSpec("falkenberg_underskoterska", "underskoterska"),
        TeamMemberSpec("falkenberg_mas", "mas"),
        TeamMemberSpec("falkenberg_anhorig", "anhorig"),
    ),
    measures=(_SATISFIED, _ACTIVITIES, _TREATMENT, _FALLS),
    pdsa_cycles=(
        PdsaSpec(
            key="falkenberg_pgsa_1",
            title="Promenadgrupp på en avdelning",
            change_idea=(
                "Om en undersköterska leder en fast promenadgrupp två förmiddagar i veckan blir rörelse en "
                "självklar del av veckan i stället för något som sker när det finns tid."
            ),
            plan=(
                "En avdelning på det ena boendet testar i fyra veckor. Undersköterskan som ansvarar för "
                "aktiviteter bokar tiderna i schemat och fysioterapeuten visar hur gruppen kan anpassas för "
                "den som går med rullator. Vi räknar genomförda pass och frågar deltagarna hur de upplevde dem."
            ),
            prediction="Minst sex boende deltar varje gång och minst sju av åtta planerade pass blir av.",
            do_notes=(
                "Sju av åtta pass genomfördes; ett ställdes in på grund av sjukfrånvaro. I genomsnitt deltog "
                "fem boende. Fler ville följa med men behövde mer hjälp än en person kunde ge."
            ),
            study_notes=(
                "Förutsägelsen höll för genomförandet men inte för antalet deltagare. Flaskhalsen var att "
                "bara en person gick med gruppen. De som deltog beskrev passen som veckans höjdpunkt."
            ),
            act="adapt",
            status="done",
            start_period_index=4,
            end_period_index=5,
            linked_measures=("falkenberg_gruppaktiviteter", "falkenberg_nojd_fysisk_aktivitet"),
        ),
        PdsaSpec(
            key="falkenberg_pgsa_2",
            title="Schemalagd rörelse på alla avdelningar",
            change_idea=(
                "Två medarbetare per pass och fasta tider i veckoschemat på samtliga avdelningar, med "
                "sittgympa som alternativ för den som inte kan gå."
            ),
            plan=(
                "Alla sex avdelningar på båda boendena inför två promenadpass och ett sittgympapass i veckan. "
                "Enhetscheferna säkrar bemanningen i schemat. Vi följer antal pass varje vecka och "
                "nöjdhetsfrågan varje månad."
            ),
            prediction=(
                "Antalet gruppaktiviteter ökar till minst tolv i veckan och andelen nöjda boende passerar "
                "70 procent inom tre månader."
            ),
            do_notes=(
                "Passen genomfördes enligt schema i 11 av 13 veckor. Under två veckor med hög sjukfrånvaro "
                "ersattes promenaderna av sittgympa inomhus. Flera närstående började delta på eget initiativ."
            ),
            study_notes=(
                "Antalet aktiviteter steg till omkring tretton i veckan och andelen nöjda till cirka "
                "75 procent, en tydlig förändring i diagrammen. Antalet fall per vårddygn låg kvar på samma "
                "nivå som tidigare."
            ),
            act="adopt",
            status="done",
            start_period_index=6,
            end_period_index=8,
            linked_measures=(
                "falkenberg_nojd_fysisk_aktivitet",
                "falkenberg_gruppaktiviteter",
                "falkenberg_fall",
            ),
            previous="falkenberg_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="falkenberg_pgsa_3",
            title="Daglig utevistelse med stöd av närstående",
            change_idea=(
                "Om närstående och frivilliga bjuds in till fasta trädgårdsstunder kan fler boende komma ut varje dag."
            ),
            plan=(
                "Det ena boendet erbjuder en stund utomhus varje eftermiddag i sex veckor. Närstående får "
                "information via brev och anslag. Personalen noterar på aktivitetstavlan vilka som varit ute."
            ),
            prediction="Minst hälften av de boende kommer ut minst tre gånger i veckan.",
            do_notes=(
                "Under de varma veckorna kom drygt hälften ut tre gånger i veckan. När det blev kallt och "
                "regnigt sjönk deltagandet kraftigt, eftersom det saknades ytterkläder och tid för påklädning."
            ),
            study_notes=(
                "Idén fungerar under sommarhalvåret men håller inte året runt utan förberedelser. "
                "Närståendes medverkan blev större än vi hade räknat med."
            ),
            act="adapt",
            status="studied",
            start_period_index=9,
            end_period_index=11,
            linked_measures=("falkenberg_gruppaktiviteter",),
            new_phase=True,
        ),
        PdsaSpec(
            key="falkenberg_pgsa_4",
            title="Utevistelse året runt",
            change_idea=(
                "Boendet lånar ut varma ytterkläder och filtar, och påklädningen planeras in i eftermiddagens schema."
            ),
            plan=(
                "Båda boendena testar under vinterhalvåret. Vi räknar utevistelser på aktivitetstavlan och "
                "ställer frågan om nöjdhet med utevistelse varje månad."
            ),
            prediction="Minst fyra av tio boende kommer ut minst två gånger i veckan även under vintern.",
            do_notes=(
                "Testet pågår. Ytterkläder har köpts in med hjälp av ett föreningsbidrag och "
                "anhörigföreningen hjälper till på tisdagarna."
            ),
            study_notes="Studeras när testperioden på sex veckor är slut.",
            act=None,
            status="running",
            start_period_index=12,
            end_period_index=None,
            linked_measures=("falkenberg_gruppaktiviteter", "falkenberg_nojd_fysisk_aktivitet"),
            previous="falkenberg_pgsa_3",
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Utgå alltid från de boende. Fokusgrupperna visade att det som betydde mest var enkla saker, "
                "som en promenad till brevlådan, inte stora evenemang."
            ),
            tags=("brukarfokus", "delaktighet"),
            author="member_falkenberg",
            period_index=3,
        ),
        LessonSpec(
            text=(
                "Lägg tid på början. Ett tydligt mål och en tydlig uppdragsbeskrivning sparade mycket tid "
                "senare, när avdelningarna skulle göra olika saker."
            ),
            tags=("mål", "ledning"),
            author="falkenberg_enhetschef",
            period_index=6,
        ),
        LessonSpec(
            text=(
                "Identifiera alla målgrupper från start: boende, närstående, personal och nämnd. När alla "
                "visste varför vi gjorde det var det lättare att hålla den röda tråden."
            ),
            tags=("kommunikation",),
            author="member_falkenberg",
            period_index=9,
        ),
        LessonSpec(
            text=(
                "Pröva nya arbetssätt i liten skala först. Promenadgruppen på en avdelning visade snabbt att "
                "det behövdes två personer per pass."
            ),
            tags=("PGSA", "småskaliga tester"),
            author="falkenberg_fysioterapeut",
            period_index=6,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=40,
            rag="amber",
            assessment=(
                "Nollmätningen är klar och visar att 58 procent av de boende är nöjda. Inventeringen av "
                "aktiviteter är gjord, men förändringarna har bara testats på en avdelning."
            ),
            decision=(
                "Ledningsgruppen ger teamet mandat att schemalägga rörelsepass på alla avdelningar. "
                "Enhetscheferna ansvarar för att bemanningen räcker till."
            ),
            next_review_in_weeks=12,
            reviewer="leader_falkenberg",
        ),
        ReviewSpec(
            weeks_ago=8,
            rag="green",
            assessment=(
                "Andelen nöjda har legat stabilt kring 75 procent sedan rörelsepassen schemalades, och målet "
                "för fysisk aktivitet är nått. Utevistelsen når ännu inte målet under vinterhalvåret."
            ),
            decision=(
                "De schemalagda passen blir ordinarie arbetssätt och skrivs in i boendenas rutiner. Teamet "
                "fortsätter testet av utevistelse året runt och återrapporterar om tre månader."
            ),
            next_review_in_weeks=12,
            reviewer="leader_falkenberg",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
