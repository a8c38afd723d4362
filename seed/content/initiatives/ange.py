"""Ånge: continuity in home care (hemtjänst), fewer different staff per client."""

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

ORGANISATION: Final = OrganisationSpec("ange_sof", "Ånge kommun, Socialförvaltningen", "Ånge", "vard_och_omsorg")

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("ange_socialchef", "Per-Olof Sjödin", "ange"),
    person("ange_verksamhetsutvecklare", "Malin Öberg", "ange"),
    person("ange_enhetschef", "Thomas Näslund", "ange"),
    person("ange_planerare", "Hanna Edlund", "ange"),
    person("ange_underskoterska", "Rebecka Sundqvist", "ange"),
    person("ange_anhorig", "Bertil Lundin", "ange"),
)

_MONTHS: Final = 14

_CONTINUITY = MeasureSpec(
    key="ange_personalkontinuitet",
    name="Antal olika medarbetare hos brukaren under 14 dagar",
    kind="outcome",
    data_type="value",
    unit="medarbetare per brukare",
    definition=(
        "Genomsnittligt antal olika medarbetare som gjort besök hos en brukare under de första 14 dagarna i "
        "månaden, för brukare med hemtjänstinsatser minst två gånger per dag. Vid dubbelbemanning räknas båda "
        "medarbetarna. Verksamhetsutvecklaren hämtar uppgiften ur planeringssystemet varje månad, för hela "
        "kommunen och för varje hemtjänstgrupp."
    ),
    direction="decrease",
    frequency="month",
    baseline=21.0,
    target=14.0,
    target_weeks_from_start=104,
    chart="i",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 21.0, 0.5), LevelSpec(5, 18.5, 0.5), LevelSpec(9, 16.0, 0.4)),
        seed=1301,
        comments=((5, "Det största hemvårdsområdet delades i två grupper från den 1:a."),),
    ),
)

_CONTACT_PERSON = MeasureSpec(
    key="ange_kontaktman",
    name="Andel brukare med namngiven kontaktman och ersättare",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal brukare med insatser minst två gånger per dag som har både en namngiven kontaktman och "
        "en namngiven ersättare dokumenterade i journalen. Nämnare: samtliga brukare med insatser minst två "
        "gånger per dag den sista dagen i månaden. Enhetscheferna kontrollerar uppgifterna och "
        "verksamhetsutvecklaren sammanställer dem."
    ),
    direction="increase",
    frequency="month",
    baseline=58.0,
    target=95.0,
    target_weeks_from_start=78,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 58.0, 0.0), LevelSpec(7, 68.0, 0.0), LevelSpec(9, 87.0, 0.0)),
        denominator_mean=72.0,
        denominator_sd=3.0,
        seed=1101302,
    ),
)

_SICK_LEAVE = MeasureSpec(
    key="ange_sjukfranvaro",
    name="Sjukfrånvaro i hemtjänsten",
    kind="balancing",
    data_type="value",
    unit="%",
    definition=(
        "Sjukfrånvarotimmar i procent av planerad arbetstid för samtliga anställda i hemtjänsten under månaden. "
        "Ekonomen hämtar uppgiften ur lönesystemet och redovisar den per hemtjänstgrupp och totalt. Måttet "
        "visar om förändringarna i planeringen belastar medarbetarna."
    ),
    direction="decrease",
    frequency="month",
    baseline=8.4,
    target=None,
    target_weeks_from_start=None,
    chart="i",
    series=SeriesSpec(n_periods=_MONTHS, levels=(LevelSpec(0, 8.4, 0.7),), seed=1303, clip_min=0.0),
)

INITIATIVE: Final = InitiativeSpec(
    key="ange_kontinuitet",
    organisation=ORGANISATION,
    title="Färre olika medarbetare hos varje hemtjänstbrukare",
    problem=(
        "Kontinuiteten i hemtjänsten hade försämrats år för år. Vid mätningen hösten före starten besöktes en "
        "brukare med insatser minst två gånger per dag av i genomsnitt 21 olika medarbetare under en "
        "fjortondagarsperiod, medan rikssnittet var 14. Skillnaderna mellan hemtjänstgrupperna var stora och "
        "ingen följde måttet regelbundet."
    ),
    rationale=(
        "Många olika ansikten i hemmet skapar otrygghet, särskilt för personer med demenssjukdom, och gör det "
        "svårare att upptäcka när hälsan förändras. Brukaren måste dessutom förklara samma saker om och om "
        "igen. Med bättre kontinuitet kan medarbetarna lära känna brukaren och utgå från hens vanor."
    ),
    target_group=(
        "Brukare med hemtjänstinsatser minst två gånger per dag, deras anhöriga och medarbetarna i kommunens "
        "hemtjänstgrupper."
    ),
    aim=(
        "Senast {maldatum} ska en brukare med hemtjänst minst två gånger per dag i genomsnitt träffa högst "
        "14 olika medarbetare under en fjortondagarsperiod, vilket motsvarar rikssnittet."
    ),
    status="active",
    rag="amber",
    what_we_did=(
        "Vi besökte alla hemtjänstgrupper och berättade om resultaten och om vad vi ville uppnå, och "
        "informerade även planerarna och bemanningsenheten. Från start mättes kontinuiteten varje månad, "
        "tillsammans med sjukfrånvaron i varje område. Det största hemvårdsområdet delades i två mindre "
        "grupper. Därefter har vi arbetat fram rutiner för kontaktmannens roll och för hur planeringen och "
        "bemanningen ska stödja kontinuiteten."
    ),
    results=(
        "Antalet olika medarbetare per brukare har minskat från i genomsnitt 21 till 16 under en "
        "fjortondagarsperiod. Målet på 14 är ännu inte nått och skillnaderna mellan grupperna är fortfarande "
        "stora. Delningen av det största området gav den tydligaste förbättringen. Sjukfrånvaron har legat på "
        "ungefär samma nivå under hela perioden, och förbättringsteamet fortsätter arbetet."
    ),
    team=(
        TeamMemberSpec("ange_verksamhetsutvecklare", "verksamhetsutvecklare"),
        TeamMemberSpec("ange_enhetschef", "enhetschef"),
        TeamMemberSpec("ange_planerare", "medarbetare"),
        TeamMemberSpec("ange_underskoterska", "underskoterska"),
        TeamMemberSpec("ange_anhorig", "anhorig"),
    ),
    measures=(_CONTINUITY, _CONTACT_PERSON, _SICK_LEAVE),
    pdsa_cycles=(
        PdsaSpec(
            key="ange_pgsa_1",
            title="Dela det största hemvårdsområdet",
            change_idea=(
                "En mindre hemtjänstgrupp med färre brukare gör att samma medarbetare oftare kommer till samma brukare."
            ),
            plan=(
                "Det största området delas i två grupper med var sin planerare och var sitt "
                "utgångskontor. Vi följer kontinuiteten i de två nya grupperna varje månad och jämför med "
                "övriga områden."
            ),
            prediction="Kontinuiteten i det delade området förbättras med minst tre medarbetare per brukare.",
            do_notes=(
                "Delningen genomfördes vid ett månadsskifte. De första veckorna krävde extra planeringstid "
                "eftersom turerna fick göras om."
            ),
            study_notes=(
                "Antalet medarbetare per brukare sjönk från omkring 21 till 18,5 i kommunen som helhet, och mer "
                "än så i det delade området. Sjukfrånvaron påverkades inte."
            ),
            act="adopt",
            status="done",
            start_period_index=5,
            end_period_index=7,
            linked_measures=("ange_personalkontinuitet", "ange_sjukfranvaro"),
            new_phase=True,
        ),
        PdsaSpec(
            key="ange_pgsa_2",
            title="Kontaktmannen planeras först – test i en grupp",
            change_idea=(
                "Om planeraren först lägger in kontaktmannens besök och sedan fyller på med övriga blir "
                "kontaktmannen den som oftast träffar brukaren."
            ),
            plan=(
                "En hemtjänstgrupp testar i fyra veckor. Planeraren och enhetschefen ser till att alla brukare "
                "har en namngiven kontaktman och ersättare innan testet börjar."
            ),
            prediction="Kontaktmannen står för minst en tredjedel av besöken hos sina brukare.",
            do_notes=(
                "Det visade sig att en fjärdedel av brukarna saknade ersättare. När kontaktmannen var ledig "
                "föll planeringen tillbaka till det gamla sättet."
            ),
            study_notes=(
                "Idén fungerar, men bara om både kontaktman och ersättare är utsedda. Det måste säkras i alla "
                "grupper innan arbetssättet sprids."
            ),
            act="adapt",
            status="done",
            start_period_index=7,
            end_period_index=8,
            linked_measures=("ange_personalkontinuitet", "ange_kontaktman"),
        ),
        PdsaSpec(
            key="ange_pgsa_3",
            title="Kontaktman och ersättare först i planeringen i alla grupper",
            change_idea=(
                "Alla grupper utser ersättare för varje kontaktman, och planeringen utgår från kontaktmannen "
                "eller ersättaren."
            ),
            plan=(
                "Enhetscheferna säkrar att alla brukare har kontaktman och ersättare. Därefter planerar alla "
                "grupper enligt den nya ordningen i tre månader."
            ),
            prediction="Antalet olika medarbetare per brukare sjunker till 16 eller lägre.",
            do_notes=(
                "Samtliga grupper kom igång. Bemanningsenheten fick en lista över vilka vikarier som redan "
                "kände brukarna i respektive grupp."
            ),
            study_notes=(
                "Kontinuiteten förbättrades till omkring 16 och andelen brukare med kontaktman och ersättare "
                "steg till nästan nio av tio."
            ),
            act="adopt",
            status="done",
            start_period_index=9,
            end_period_index=11,
            linked_measures=("ange_personalkontinuitet", "ange_kontaktman"),
            previous="ange_pgsa_2",
            new_phase=True,
        ),
        PdsaSpec(
            key="ange_pgsa_4",
            title="Fasta helgturer",
            change_idea=(
                "Om samma medarbetare arbetar samma helgtur varannan helg minskar antalet nya ansikten under helgerna."
            ),
            plan=(
                "Två grupper lägger fasta helgturer i schemat under sex veckor. Vi följer kontinuiteten för "
                "helgbesöken separat."
            ),
            prediction="Antalet olika medarbetare per brukare sjunker med minst en under helgerna.",
            do_notes="Testet har startat i två grupper.",
            study_notes="Resultatet studeras efter sex veckor tillsammans med grupperna.",
            act=None,
            status="running",
            start_period_index=13,
            end_period_index=None,
            linked_measures=("ange_personalkontinuitet",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Ett tydligt mål som alla känner till gör skillnad. När grupperna fick se sitt eget resultat "
                "varje månad började de själva fråga efter siffrorna."
            ),
            tags=("mål", "mätning"),
            author="ange_verksamhetsutvecklare",
            period_index=6,
        ),
        LessonSpec(
            text=(
                "Kontinuitet är allas ansvar, men någon måste äga varje del. Planeraren, bemanningen och "
                "kontaktmannen behöver veta exakt vad som förväntas av dem."
            ),
            tags=("roller", "ansvar"),
            author="ange_enhetschef",
            period_index=8,
        ),
        LessonSpec(
            text=(
                "Vi har lärt oss mycket av kommuner med bättre resultat. Ett studiebesök gav oss idén att "
                "planera kontaktmannen först."
            ),
            tags=("omvärld", "lärande"),
            author="ange_planerare",
            period_index=9,
        ),
        LessonSpec(
            text=(
                "Förbättring tar tid. Det har gått långsamt men stadigt, och det viktigaste är att inte ge upp "
                "och att fortsätta kommunicera ofta."
            ),
            tags=("uthållighet", "kommunikation"),
            author="ange_verksamhetsutvecklare",
            period_index=12,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=18,
            rag="amber",
            assessment=(
                "Kontinuiteten har förbättrats från 21 till omkring 16 medarbetare per brukare, men målet 14 "
                "är inte nått. Två grupper ligger fortfarande över 19."
            ),
            decision=(
                "Arbetet fortsätter. Resultatet redovisas per grupp på varje arbetsplatsträff och gruppen med "
                "bäst resultat får i uppdrag att visa sitt arbetssätt för de andra."
            ),
            next_review_in_weeks=12,
            reviewer="ange_socialchef",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
