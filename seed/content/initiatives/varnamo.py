"""Värnamo, citizens' services: from income support (försörjningsstöd) to work."""

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
    "varnamo_mbf", "Värnamo kommun, Medborgarförvaltningen", "Värnamo", "arbetsmarknad"
)

PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("varnamo_forvaltningschef", "Anders Bengtsson", "varnamo"),
    person("varnamo_kvalitetsutvecklare", "Josefin Claesson", "varnamo"),
    person("varnamo_sektionschef", "Mikael Gustavsson", "varnamo"),
    person("varnamo_socialsekreterare", "Leila Mansour", "varnamo"),
    person("varnamo_jobbcoach", "Daniel Franzén", "varnamo"),
    person("varnamo_ekonom", "Susanne Ek", "varnamo"),
)

_MONTHS: Final = 16

_HOUSEHOLDS = MeasureSpec(
    key="varnamo_hushall_forsorjningsstod",
    name="Antal hushåll med försörjningsstöd",
    kind="outcome",
    data_type="count",
    unit="hushåll",
    definition=(
        "Antal unika hushåll som fått försörjningsstöd utbetalt någon gång under månaden. Hushåll som enbart "
        "fått bistånd till enstaka kostnader, till exempel tandvård, räknas också. Systemadministratören "
        "hämtar uppgiften ur verksamhetssystemet i början av påföljande månad."
    ),
    direction="decrease",
    frequency="month",
    baseline=520.0,
    target=470.0,
    target_weeks_from_start=104,
    chart="i",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 520.0, 0.0), LevelSpec(6, 516.0, 0.0, -2.5)),
        seed=1401,
        integer=True,
    ),
)

_WELFARE_JOBS = MeasureSpec(
    key="varnamo_valfardsjobb",
    name="Antal personer som påbörjat välfärdsjobb",
    kind="process",
    data_type="count",
    unit="personer",
    definition=(
        "Antal personer med försörjningsstöd som under månaden har börjat en anställning i välfärdsjobb i "
        "kommunens verksamheter. En person räknas den månad då anställningen startar enligt avtalet. "
        "Arbetsmarknadscentrets samordnare rapporterar antalet till kvalitetsutvecklaren senast den femte i "
        "påföljande månad."
    ),
    direction="increase",
    frequency="month",
    baseline=0.6,
    target=5.0,
    target_weeks_from_start=78,
    chart="c",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 0.6, 0.0), LevelSpec(4, 1.8, 0.0), LevelSpec(10, 2.8, 0.0)),
        seed=601402,
        integer=True,
    ),
)

_YOUTH_TO_WORK = MeasureSpec(
    key="varnamo_unga_till_arbete",
    name="Andel avslutade deltagare i Jobb Center Unga som gått till arbete",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition=(
        "Täljare: antal ungdomar som avslutats i Jobb Center Unga under månaden och som vid avslutet har ett "
        "reguljärt arbete. Nämnare: samtliga ungdomar som avslutats under månaden, oavsett orsak. "
        "Jobbcoachen registrerar avslutsorsaken i deltagarregistret och kvalitetsutvecklaren sammanställer "
        "varje månad."
    ),
    direction="increase",
    frequency="month",
    baseline=38.0,
    target=50.0,
    target_weeks_from_start=78,
    chart="run",
    series=SeriesSpec(
        n_periods=_MONTHS,
        levels=(LevelSpec(0, 38.0, 3.0), LevelSpec(8, 51.0, 3.0)),
        denominator_mean=8.0,
        denominator_sd=2.0,
        seed=501403,
    ),
)

INITIATIVE: Final = InitiativeSpec(
    key="varnamo_arbete",
    organisation=ORGANISATION,
    title="Från försörjningsstöd till arbete för vuxna och unga",
    problem=(
        "Försörjningsstödet i kommunen hade ökat kraftigt under flera år och allt fler hushåll var beroende av "
        "stödet under lång tid. Många av de arbetslösa hade liten eller ingen erfarenhet av den svenska "
        "arbetsmarknaden. Bland ungdomarna saknade många fullständiga betyg från grund- eller gymnasieskolan."
    ),
    rationale=(
        "Ett arbete ger egen försörjning, sammanhang och framtidstro. Barn som växer upp i familjer med "
        "försörjningsstöd löper större risk att själva behöva stöd som vuxna, så insatserna påverkar även "
        "nästa generation. Varje person som går från bistånd till lön frigör dessutom resurser till dem som "
        "har andra hinder än arbetslöshet."
    ),
    target_group=(
        "Arbetslösa vuxna och ungdomar med försörjningsstöd, inskrivna i Jobb Center Vuxna eller Jobb Center Unga."
    ),
    aim=(
        "Senast {maldatum} ska minst fem personer i månaden påbörja ett välfärdsjobb, så att totalt omkring "
        "80 personer med försörjningsstöd har anställts, och minst hälften av de ungdomar som avslutas i Jobb "
        "Center Unga ska gå vidare till ett reguljärt arbete."
    ),
    status="active",
    rag="red",
    what_we_did=(
        "Deltagarna i Jobb Center Vuxna har fått hjälp av jobbcoacher att söka arbete, skriva cv och "
        "formulera personliga brev, och har kunnat gå i gruppverksamhet och sfi. Kommunen beslutade att "
        "erbjuda välfärdsjobb i de egna verksamheterna, finansierade med medel från "
        "försörjningsstödsbudgeten och flyktingmedel. Vi har börjat kartlägga varje sökandes förutsättningar"
        " med ett strukturerat bedömningsinstrument. Inom samma arbete förbättrade vi också "
        "tolkförmedlingens rutiner."
    ),
    results=(
        "Sedan starten har 27 personer fått ett välfärdsjobb med statligt stöd, och 15 ungdomar arbetar just"
        " nu via arbetsmarknadscentret. Målet om ungefär 80 anställningar är långt ifrån nått och takten "
        "behöver öka. Jobb Center Unga har haft omkring 110 inskrivna ungdomar, och runt hälften av dem har "
        "gått vidare till en vanlig anställning, vilket är bra för en grupp som står långt från "
        "arbetsmarknaden. Tolkförmedlingen har fått fler uppdrag och nöjdare kunder."
    ),
    team=(
        TeamMemberSpec("varnamo_kvalitetsutvecklare", "verksamhetsutvecklare"),
        TeamMemberSpec("varnamo_sektionschef", "enhetschef"),
        TeamMemberSpec("varnamo_socialsekreterare", "socialsekreterare"),
        TeamMemberSpec("varnamo_jobbcoach", "medarbetare"),
        TeamMemberSpec("varnamo_ekonom", "controller"),
    ),
    measures=(_HOUSEHOLDS, _WELFARE_JOBS, _YOUTH_TO_WORK),
    pdsa_cycles=(
        PdsaSpec(
            key="varnamo_pgsa_1",
            title="Välfärdsjobb erbjuds redan vid nybesöket",
            change_idea=(
                "Om handläggaren tar upp välfärdsjobb redan vid första besöket kommer fler arbetslösa sökande "
                "snabbare i anställning."
            ),
            plan=(
                "Handläggarna på en sektion erbjuder välfärdsjobb till alla arbetslösa sökande vid nybesöket "
                "under två månader. Vi räknar erbjudanden och påbörjade anställningar."
            ),
            prediction="Minst två personer i månaden påbörjar välfärdsjobb via sektionen.",
            do_notes=(
                "Många tackade ja, men flera anställningar sprack eftersom arbetsplatsen och personen inte "
                "passade ihop. Några arbetsplatser kände sig inte förberedda."
            ),
            study_notes=(
                "Antalet påbörjade välfärdsjobb ökade, men matchningen mellan person och arbetsplats var den "
                "svaga länken. Arbetsplatserna behöver förberedas bättre."
            ),
            act="adapt",
            status="done",
            start_period_index=4,
            end_period_index=5,
            linked_measures=("varnamo_valfardsjobb",),
            new_phase=True,
        ),
        PdsaSpec(
            key="varnamo_pgsa_2",
            title="CV-skola i grupp för unga",
            change_idea=(
                "Ungdomar som skriver cv och personligt brev tillsammans i en grupp med coach kommer längre än "
                "de som får enskilt stöd."
            ),
            plan=(
                "Jobb Center Unga startar en grupp med åtta deltagare som träffas två förmiddagar i veckan under "
                "sex veckor. Jobbcoachen följer upp vart deltagarna tar vägen."
            ),
            prediction="Minst hälften av de avslutade deltagarna går vidare till arbete.",
            do_notes=(
                "Sju av åtta fullföljde. Gruppen gav deltagarna stöd av varandra och flera gick på intervjuer "
                "tillsammans."
            ),
            study_notes=(
                "Andelen som gick vidare till arbete steg till omkring hälften och har hållit sig där med nya grupper."
            ),
            act="adopt",
            status="done",
            start_period_index=8,
            end_period_index=10,
            linked_measures=("varnamo_unga_till_arbete",),
            new_phase=True,
        ),
        PdsaSpec(
            key="varnamo_pgsa_3",
            title="Matchning med arbetsmarknadscoach före erbjudandet",
            change_idea=(
                "En arbetsmarknadscoach träffar både den sökande och arbetsplatsen innan välfärdsjobbet "
                "erbjuds, så att fler anställningar håller."
            ),
            plan=(
                "Alla sektioner skickar arbetslösa sökande till coachen för ett matchningssamtal. Coachen "
                "besöker arbetsplatsen före start. Vi följer påbörjade och avbrutna anställningar varje månad."
            ),
            prediction="Antalet påbörjade välfärdsjobb ökar till minst tre i månaden och färre avbryts.",
            do_notes=(
                "Coachen hann med alla matchningar, men antalet lediga platser i verksamheterna blev en ny begränsning."
            ),
            study_notes=(
                "Färre anställningar avbröts och takten ökade till knappt tre i månaden. Det räcker inte för "
                "att nå målet utan fler platser."
            ),
            act="adopt",
            status="done",
            start_period_index=10,
            end_period_index=12,
            linked_measures=("varnamo_valfardsjobb",),
            previous="varnamo_pgsa_1",
            new_phase=True,
        ),
        PdsaSpec(
            key="varnamo_pgsa_4",
            title="Strukturerad kartläggning före beslut om bistånd",
            change_idea=(
                "En strukturerad kartläggning av varje sökandes förutsättningar ger en tydligare plan mot arbete "
                "från början."
            ),
            plan=(
                "Två handläggare använder bedömningsinstrumentet i alla nya ärenden under två månader. Vi "
                "jämför tiden till första arbetsmarknadsinsats med övriga handläggare."
            ),
            prediction="Tiden till första arbetsmarknadsinsats halveras för de kartlagda sökandena.",
            do_notes="Kartläggningen pågår. Instrumentet tar ungefär en timme per sökande.",
            study_notes="Utvärderas när två månaders ärenden har följts upp.",
            act=None,
            status="running",
            start_period_index=14,
            end_period_index=None,
            linked_measures=("varnamo_hushall_forsorjningsstod", "varnamo_valfardsjobb"),
        ),
    ),
    lessons=(
        LessonSpec(
            text=(
                "Ge förarbetet och analysen det utrymme de behöver innan något sätts i verket. Vi gick för "
                "snabbt fram med erbjudanden och fick backa för att förbereda arbetsplatserna."
            ),
            tags=("analys", "planering"),
            author="varnamo_kvalitetsutvecklare",
            period_index=6,
        ),
        LessonSpec(
            text=(
                "Dialogen mellan stöd och ledning är avgörande. Kvalitetsutvecklaren och ekonomen kunde visa "
                "vad ett välfärdsjobb kostar jämfört med fortsatt bistånd."
            ),
            tags=("stödfunktioner", "ledning"),
            author="varnamo_ekonom",
            period_index=9,
        ),
        LessonSpec(
            text=(
                "Regelbundna strategimöten håller ihop arbetet. Utan en fast mötestid hamnade frågorna om fler "
                "platser mellan stolarna."
            ),
            tags=("struktur", "ledning"),
            author="varnamo_sektionschef",
            period_index=13,
        ),
    ),
    reviews=(
        ReviewSpec(
            weeks_ago=26,
            rag="amber",
            assessment=(
                "Matchningen med coach har minskat antalet avbrutna anställningar, men takten är bara drygt två "
                "nya välfärdsjobb i månaden. Jobb Center Unga når sitt mål."
            ),
            decision=(
                "Arbetet fortsätter. Sektionscheferna inventerar möjliga platser i sina verksamheter till nästa "
                "genomgång."
            ),
            next_review_in_weeks=12,
            reviewer="varnamo_forvaltningschef",
        ),
        ReviewSpec(
            weeks_ago=9,
            rag="red",
            assessment=(
                "Takten är knappt tre nya välfärdsjobb i månaden, medan målet kräver fem. Det finns inte "
                "tillräckligt många platser i de egna verksamheterna."
            ),
            decision=(
                "Förvaltningschefen tar upp frågan om fler platser med kommunledningen. Varje förvaltning ombeds "
                "ta fram minst två nya platser under kvartalet."
            ),
            next_review_in_weeks=6,
            reviewer="varnamo_forvaltningschef",
        ),
    ),
    started_weeks_ago=span_weeks(_MONTHS, "month"),
)
