"""Programme structure of the demo: the calendar, where each team is, and one revised library definition.

The calendar follows the shape of a design-led improvement programme: a kick-off with each team and
its managers, workshops that take the teams through challenge and aim, analysis, ideas, tests and
closing, and learning sessions in between. Dates are relative to today (``weeks_from_now``, negative
in the past) so that the demo always has a recent workshop behind it and the next one ahead.

All text is written for the demo; people and places are fictional or generic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Stage = Literal[
    "preparation", "challenge_and_aim", "analysis", "ideas_and_solutions", "testing", "closing", "sustaining"
]
WorkshopKind = Literal["kickoff", "workshop", "learning_session"]

STAGE_ORDER: Final[tuple[Stage, ...]] = (
    "preparation",
    "challenge_and_aim",
    "analysis",
    "ideas_and_solutions",
    "testing",
    "closing",
    "sustaining",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkshopSpec:
    title: str
    kind: WorkshopKind
    weeks_from_now: int
    weekday: int  # 0 = Monday
    place: str
    theme: str
    bring: str
    stage: Stage | None = None


WORKSHOPS: Final[tuple[WorkshopSpec, ...]] = (
    WorkshopSpec(
        title="Uppstartsträff med team och chefer",
        kind="kickoff",
        weeks_from_now=-92,
        weekday=1,
        place="Digitalt möte",
        theme=(
            "Processledarna träffar varje team och dess ansvariga chef för att gå igenom upplägget, mandatet och "
            "vilken tid teamet behöver avsätta mellan träffarna."
        ),
        bring="Ett första utkast till utmaning och vem i teamet som möter brukarna i vardagen.",
        stage="preparation",
    ),
    WorkshopSpec(
        title="Workshop 1: utmaning, mål och frågeställningar",
        kind="workshop",
        weeks_from_now=-84,
        weekday=2,
        place="Stockholm, konferenslokal hos SKR",
        theme=(
            "Vi beskriver utmaningen ur brukarens perspektiv, formulerar ett mätbart mål och bestämmer vad vi "
            "behöver ta reda på innan vi föreslår lösningar. Alla team samlas."
        ),
        bring="Problembeskrivningen, de siffror ni redan har och minst en berättelse från en brukare eller anhörig.",
        stage="challenge_and_aim",
    ),
    WorkshopSpec(
        title="Workshop 2: analys av nuläget",
        kind="workshop",
        weeks_from_now=-70,
        weekday=2,
        place="Digitalt möte, två team i taget",
        theme=(
            "Teamen visar vad intervjuer, observationer och mätningar har lärt dem och hjälper varandra att "
            "hitta grundorsakerna. Vi går igenom hur man läser ett serietidsdiagram."
        ),
        bring="Nollmätningen, sammanfattningen av intervjuerna och en processkarta över dagens arbetssätt.",
        stage="analysis",
    ),
    WorkshopSpec(
        title="Lärandeseminarium: att mäta för förbättring",
        kind="learning_session",
        weeks_from_now=-56,
        weekday=3,
        place="Göteborg, konferenslokal nära Centralstationen",
        theme=(
            "Gemensamma definitioner av mått gör resultaten jämförbara. Vi går igenom programmets måttbibliotek "
            "och hur varje team kan använda standardmåtten."
        ),
        bring="Era operationella definitioner och frågor om hur ni räknar.",
    ),
    WorkshopSpec(
        title="Workshop 3: idéer och lösningar",
        kind="workshop",
        weeks_from_now=-44,
        weekday=2,
        place="Stockholm, konferenslokal hos SKR",
        theme=(
            "Vi tar fram många förändringsidéer tillsammans med brukare och medarbetare, väljer några att testa "
            "och planerar de första PGSA-cyklerna i liten skala."
        ),
        bring="Analysens viktigaste insikter och gärna en brukarrepresentant eller brukarutvecklare från teamet.",
        stage="ideas_and_solutions",
    ),
    WorkshopSpec(
        title="Workshop 4: vad har testerna visat?",
        kind="workshop",
        weeks_from_now=-26,
        weekday=2,
        place="Digitalt möte, två team i taget",
        theme=(
            "Teamen redovisar sina tester: förutsägelse, vad som hände och vad diagrammen visar. Vi bestämmer "
            "vad som ska behållas, justeras eller avbrytas."
        ),
        bring="Diagrammen för era mått och anteckningarna från de PGSA-cykler ni har studerat.",
        stage="testing",
    ),
    WorkshopSpec(
        title="Lärandeseminarium: jämföra och lära av varandra",
        kind="learning_session",
        weeks_from_now=-6,
        weekday=3,
        place="Stockholm, konferenslokal hos SKR",
        theme=(
            "Vi jämför organisationernas resultat på de gemensamma måtten i trattdiagram och låter de team som "
            "sticker ut berätta hur de arbetar."
        ),
        bring="Era senaste mätvärden, inlagda senast veckan före seminariet.",
    ),
    WorkshopSpec(
        title="Workshop 5: avslut och att hålla i förändringen",
        kind="workshop",
        weeks_from_now=2,
        weekday=2,
        place="Stockholm, konferenslokal hos SKR",
        theme=(
            "Vi summerar resultaten och lärdomarna och planerar hur det nya arbetssättet ska hålla i sig när "
            "programmet är slut: ansvar, uppföljning i ledningsgruppen och fortsatt mätning."
        ),
        bring="Ert utkast till sammanfattning och en plan för vem som följer måtten efter programmet.",
        stage="closing",
    ),
    WorkshopSpec(
        title="Slutkonferens: resultat och lärdomar",
        kind="learning_session",
        weeks_from_now=7,
        weekday=3,
        place="Stockholm, konferenslokal hos SKR",
        theme="Teamen presenterar sina förbättringsarbeten för politiker, chefer och de andra kommunerna.",
        bring="En affisch eller några bilder om ert arbete: problemet, vad ni gjorde, resultatet och lärdomarna.",
        stage="sustaining",
    ),
)


@dataclass(frozen=True, slots=True)
class StageSpec:
    """Where an initiative is now, and how many weeks ago it got there (earlier stages spread before)."""

    stage: Stage
    weeks_ago: int


STAGES: Final[dict[str, StageSpec]] = {
    "falkenberg_aktivitet": StageSpec("testing", 10),
    "uppsala_utredningstid": StageSpec("testing", 3),
    "ange_kontinuitet": StageSpec("testing", 20),
    "varnamo_arbete": StageSpec("ideas_and_solutions", 30),
    "gallivare_hemtjanst": StageSpec("sustaining", 4),
    "herrljunga_inflytande": StageSpec("testing", 2),
    "katrineholm_forhandsbedomning": StageSpec("ideas_and_solutions", 12),
    "eslov_aktualisering": StageSpec("analysis", 9),
    "kramfors_sip": StageSpec("testing", 5),
    "sjobo_tillganglighet": StageSpec("ideas_and_solutions", 1),
    "sodertalje_vardighet": StageSpec("closing", 2),
    "kiruna_trygghet": StageSpec("testing", 25),
    "torsas_genomforandeplan": StageSpec("closing", 30),
    "haninge_daglig_verksamhet": StageSpec("analysis", 15),
    "tranemo_tillganglighet": StageSpec("testing", 8),
}

# Initiatives not listed above: the stage their status suggests, reached this many weeks ago.
STATUS_STAGES: Final[dict[str, Stage]] = {
    "draft": "preparation",
    "active": "testing",
    "sustaining": "sustaining",
    "completed": "closing",
    "stopped": "closing",
}
DEFAULT_WEEKS_AGO: Final = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class LibraryRevisionSpec:
    """A later version of a library definition, and the initiatives that have moved to it."""

    library_key: str
    definition: str
    change_note: str
    weeks_ago: int
    moved: tuple[str, ...]


LIBRARY_REVISIONS: Final[tuple[LibraryRevisionSpec, ...]] = (
    LibraryRevisionSpec(
        library_key="utredning_inom_fyra_manader",
        definition=(
            "Täljare: antal utredningar om barn och unga som avslutats under månaden inom fyra månader från "
            "beslutet att inleda utredning. Nämnare: samtliga utredningar om barn och unga som avslutats under "
            "månaden, utom de som flyttats över till en annan kommun innan de avslutades. Utredningar som "
            "förlängts genom särskilt beslut räknas inte som klara i tid. Controllern tar ut uppgifterna ur "
            "verksamhetssystemet den första vardagen i påföljande månad."
        ),
        change_note=(
            "Utredningar som flyttas över till en annan kommun räknas inte längre i nämnaren: kommunerna räknade "
            "dem olika, vilket gjorde resultaten svåra att jämföra."
        ),
        weeks_ago=5,
        moved=("katrineholm_forhandsbedomning", "sjobo_tillganglighet"),
    ),
)
