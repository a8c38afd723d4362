"""Kiruna: safety in home care and residential care; its measurements have stopped (stale data)."""

from __future__ import annotations

from typing import Final

from seed.content.builders import person, span_weeks
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

ORGANISATION: Final = OrganisationSpec("kiruna_sof", "Kiruna kommun, Socialförvaltningen", "Kiruna", "vard_och_omsorg")

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("kiruna_forvaltningschef", "Roger Kuoppa", "kiruna"),
    person("kiruna_mas", "Britt-Marie Lindbäck", "kiruna"),
    person("kiruna_enhetschef", "Johanna Niemi", "kiruna"),
    person("kiruna_sjukskoterska", "Elias Fors", "kiruna"),
    person("kiruna_underskoterska", "Anneli Keinänen", "kiruna"),
    person("kiruna_brukarutvecklare", "Siv Mäkitalo", "kiruna"),
)

_MONTHS: Final = 12
_STALE: Final = 3

_SAFE = MeasureSpec(
    key="kiruna_trygghet",
    name="Andel kunder som känner sig trygga",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal kunder som svarar ”ja, alltid” eller ”ja, oftast” på frågan om de känner sig trygga med "
        "hjälpen. Nämnare: antal kunder i hemtjänstområdet och på boendet som besvarat frågan under månaden. "
        "En medarbetare från en annan arbetsgrupp ställer frågan; för kunder som inte kan svara själva görs en "
        "observation enligt teamets mall. Verksamhetsutvecklaren sammanställer."
    ),
    direction="increase",
    frequency="month",
    baseline=72.0,
    target=79.0,
    target_weeks_from_start=70,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        ends_periods_ago=_STALE,
        levels=(LevelSpec(0, 72.0, 0.0), LevelSpec(6, 77.0, 0.0)),
        denominator_mean=26.0,
        denominator_sd=2.0,
        seed=102201,
    ),
)

_BPSD = MeasureSpec(
    key="kiruna_bpsd_registrering",
    name="Andel kunder med demenssjukdom som har en aktuell BPSD-registrering",
    kind="process",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal kunder med demensdiagnos som har en registrering i BPSD-registret under de senaste "
        "sex månaderna. Nämnare: antal kunder med demensdiagnos i hemtjänstområdet och på boendet den sista "
        "dagen i månaden. Registrets administratör tar ut uppgiften och stämmer av mot förteckningen över "
        "kunder."
    ),
    direction="increase",
    frequency="month",
    baseline=28.0,
    target=80.0,
    target_weeks_from_start=70,
    chart="p",
    series=SeriesSpec(
        n_periods=_MONTHS,
        ends_periods_ago=_STALE,
        levels=(LevelSpec(0, 28.0, 3.0), LevelSpec(4, 52.0, 3.0), LevelSpec(8, 72.0, 3.0)),
        denominator_mean=18.0,
        denominator_sd=1.0,
        seed=102202,
    ),
)

_QUALID = MeasureSpec(
    key="kiruna_qualid",
    name="Genomsnittlig QUALID-poäng för kunder med demenssjukdom",
    kind="outcome",
    data_type="value",
    unit="poäng",
    definition=(
        "Medelvärdet av skattningen med QUALID för kunder med demenssjukdom på vård- och omsorgsboendet; "
        "skalan går från 11 till 55 och lägre poäng betyder bättre livskvalitet. Kontaktpersonen skattar "
        "varje kund en gång i månaden utifrån den senaste veckan, tillsammans med en kollega. Sjuksköterskan "
        "räknar fram medelvärdet."
    ),
    direction="decrease",
    frequency="month",
    baseline=24.0,
    target=21.0,
    target_weeks_from_start=70,
    chart="i",
    series=SeriesSpec(
        n_periods=_MONTHS,
        ends_periods_ago=_STALE,
        levels=(LevelSpec(0, 24.0, 0.7), LevelSpec(8, 22.5, 0.6)),
        seed=2203,
        clip_min=11.0,
        clip_max=55.0,
    ),
)

_TREATMENT = SATISFACTION_WITH_TREATMENT.use(
    "kiruna_nojd_bemotande",
    series=SeriesSpec(
        n_periods=_MONTHS,
        ends_periods_ago=_STALE,
        levels=(LevelSpec(0, 78.0, 0.0), LevelSpec(6, 84.0, 0.0)),
        denominator_mean=26.0,
        denominator_sd=2.0,
        seed=2204,
    ),
    baseline=78.0,
    target=88.0,
    target_weeks_from_start=70,
)

INITIATIVE: Final = InitiativeSpec(
    key="kiruna_trygghet",
    organisation=ORGANISATION,
    title="Ökad trygghet i hemtjänst och på vård- och omsorgsboende",
    problem=(
        "Kiruna hade svaga resultat i Öppna jämförelser när det gällde hur trygga de äldre känner sig i "
        "hemtjänsten och på vård- och omsorgsboende. Vi visste inte vad otryggheten bestod i och hade ingen "
        "lokal mätning att utgå från. För personer med demenssjukdom saknades ett systematiskt sätt att fånga "
        "upp oro och beteendemässiga symtom."
    ),
    rationale=(
        "Trygghet hör till de viktigaste kvaliteterna i omsorgen om äldre och påverkar både livskvalitet och "
        "hälsa. Hos personer med demenssjukdom visar sig otrygghet ofta som oro, sömnsvårigheter eller "
        "utåtagerande, och den kan lindras med rätt bemötande. En förbättring syns också i de nationella "
        "jämförelser som nämnden och invånarna tar del av."
    ),
    target_group=(
        "Kunder i ett hemtjänstområde och på ett vård- och omsorgsboende, särskilt personer med "
        "demenssjukdom, samt deras närstående och personalen."
    ),
    aim=(
        "Senast {maldatum} ska andelen kunder som känner sig trygga ha ökat med 10 procent jämfört med "
        "nollmätningen, från 72 till minst 79 procent, i hemtjänstområdet och på boendet."
    ),
    status="active",
    rag="red",
    what_we_did=(
        "Ett förbättringsteam med flera yrkesgrupper, hämtade från både hemtjänsten och ett av boendena, "
        "gjorde en nollmätning med intervjuer, observationer och enkäter anpassade till verksamheten. För "
        "kunder med demenssjukdom använde vi skattningsskalan QUALID och BPSD-registret. Utifrån resultaten "
        "testades förändringar i bemötande och i hur personalen presenterar sig och planerar besöken. "
        "Förvaltningens stödenhet har organiserats om för att kunna stödja förbättringsarbete på längre "
        "sikt."
    ),
    results=(
        "Nollmätningen gav för första gången en lokal bild av vad som skapar otrygghet. Andelen kunder med "
        "aktuell BPSD-registrering har mer än fördubblats och tryggheten har förbättrats något. Sedan "
        "verksamhetsutvecklaren slutade har inga mätvärden rapporterats på tre månader, så vi vet inte om "
        "förbättringen håller. Om målet nås visar sig också i nästa års Öppna jämförelser."
    ),
    team=(
        TeamMemberSpec("kiruna_mas", "mas"),
        TeamMemberSpec("kiruna_enhetschef", "enhetschef"),
        TeamMemberSpec("kiruna_sjukskoterska", "sjukskoterska"),
        TeamMemberSpec("kiruna_underskoterska", "underskoterska"),
        TeamMemberSpec("kiruna_brukarutvecklare", "brukarutvecklare"),
    ),
    measures=(_SAFE, _BPSD, _QUALID, _TREATMENT),
    pdsa_cycles=(
        PdsaSpec(
            key="kiruna_pgsa_1",
            title="BPSD-registrering på en avdelning",
            change_idea=(
                "Om varje kund med demenssjukdom skattas och registreras i BPSD-registret får personalen en "
                "gemensam bild av vad som skapar oro och vad som lugnar."
            ),
            plan=(
                "En avdelning registrerar alla kunder med demenssjukdom under sex veckor. Sjuksköterskan leder "
                "bemötandeplaneringen och MAS följer andelen registrerade."
            ),
            prediction="Alla kunder på avdelningen har en registrering och en bemötandeplan efter sex veckor.",
            do_notes=(
                "Nästan alla registrerades, men bemötandeplanerna blev inte färdiga för alla eftersom det saknades "
                "tid för de gemensamma skattningarna."
            ),
            study_notes=(
                "Registreringen gav personalen ett gemensamt språk om oro. De gemensamma skattningarna behöver "
                "schemaläggas för att fungera i större skala."
            ),
            act="adapt",
            status="done",
            start_period_index=4,
            end_period_index=5,
            linked_measures=("kiruna_bpsd_registrering",),
            new_phase=True,
        ),
        PdsaSpec(
            key="kiruna_pgsa_2",
            title="Personalen presenterar sig och säger när de kommer tillbaka",
            change_idea=(
                "Om personalen alltid presenterar sig och berättar när nästa besök blir vet kunden vad som ska "
                "hända, vilket minskar oron."
            ),
            plan=(
                "Hemtjänstområdet och boendet testar under två månader. Brukarutvecklaren följer upp hur kunderna "
                "upplever det och vi följer trygghet och bemötande varje månad."
            ),
            prediction="Andelen trygga kunder ökar med minst fyra procentenheter.",
            do_notes=(
                "Arbetssättet blev snabbt en vana i hemtjänsten. På boendet glömdes det ibland bort under "
                "stressiga kvällar."
            ),
            study_notes=(
                "Andelen trygga kunder steg från omkring 72 till 77 procent och andelen nöjda med bemötandet ökade."
            ),
            act="adopt",
            status="done",
            start_period_index=6,
            end_period_index=8,
            linked_measures=("kiruna_trygghet", "kiruna_nojd_bemotande"),
            new_phase=True,
        ),
        PdsaSpec(
            key="kiruna_pgsa_3",
            title="BPSD-registrering på hela boendet och i hemtjänsten",
            change_idea=(
                "Fasta tider i schemat för gemensamma skattningar gör att alla kunder med demenssjukdom kan "
                "registreras och få en bemötandeplan."
            ),
            plan=(
                "Enhetschefen lägger in en timme i veckan för skattningar på varje avdelning och i "
                "hemtjänstgruppen. Vi följer andelen registrerade och QUALID-poängen varje månad."
            ),
            prediction=(
                "Minst sju av tio kunder med demenssjukdom har en aktuell registrering och QUALID-poängen sjunker."
            ),
            do_notes=(
                "Schemaläggningen fungerade. Hemtjänsten hade svårare att samla personalen och gjorde "
                "skattningarna i samband med planeringsmöten."
            ),
            study_notes=(
                "Andelen registrerade steg till drygt sju av tio och QUALID-poängen sjönk något, vilket tyder på "
                "bättre livskvalitet."
            ),
            act="adopt",
            status="done",
            start_period_index=8,
            end_period_index=10,
            linked_measures=("kiruna_bpsd_registrering", "kiruna_qualid"),
            previous="kiruna_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="kiruna_pgsa_4",
            title="Fast kontaktperson vid larm nattetid",
            change_idea=(
                "Om samma nattpersonal svarar på en kunds larm under en vecka känner kunden igen rösten och "
                "blir lugnare."
            ),
            plan="Nattpatrullen delar upp kunderna mellan sig under fyra veckor.",
            prediction="Färre upprepade larm och fler kunder som känner sig trygga på natten.",
            do_notes="Testet startade men har inte följts upp sedan verksamhetsutvecklaren slutade.",
            study_notes="Ännu inte studerat; ny ansvarig för mätningen behöver utses först.",
            act=None,
            status="running",
            start_period_index=12,
            end_period_index=None,
            linked_measures=("kiruna_trygghet",),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Att lära oss flera metoder för förbättringsarbete gjorde det möjligt att involvera både kunder "
                "och personal på ett nytt sätt."
            ),
            tags=("metoder", "delaktighet"),
            author="kiruna_enhetschef",
            period_index=5,
        ),
        LessonSpec(
            text=(
                "Rollerna i stöd och ledning har blivit tydligare. Som MAS ser jag nu att jag kan bidra till "
                "ledningens arbete med mer än hälso- och sjukvårdsfrågor."
            ),
            tags=("roller", "stödfunktioner"),
            author="kiruna_mas",
            period_index=9,
        ),
        LessonSpec(
            text=(
                "Mätningen får inte hänga på en enda person. När verksamhetsutvecklaren slutade stannade "
                "rapporteringen av och ingen märkte det på flera veckor."
            ),
            tags=("mätning", "sårbarhet"),
            author="kiruna_sjukskoterska",
            period_index=14,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=28,
            rag="green",
            assessment=(
                "Andelen trygga kunder och andelen BPSD-registrerade ökar. Förbättringsteamet arbetar enligt planen."
            ),
            decision="Arbetet fortsätter enligt plan. Teamet redovisar QUALID-resultaten vid nästa genomgång.",
            next_review_in_weeks=12,
            reviewer="kiruna_forvaltningschef",
        ),
        ReviewSpec(
            weeks_ago=3,
            rag="red",
            assessment=(
                "Inga nya mätvärden har rapporterats på tre månader sedan verksamhetsutvecklaren slutade. Vi "
                "vet inte om förbättringen av tryggheten håller."
            ),
            decision=(
                "Förvaltningschefen utser en ny ansvarig för mätningen inom två veckor. MAS och sjuksköterskan "
                "delar ansvaret tills vidare så att inte en enda person bär det."
            ),
            next_review_in_weeks=4,
            reviewer="kiruna_forvaltningschef",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month", _STALE),
)
