"""The demo programme: Leda för Resultat IV, re-staged with fictional teams and generated data.

The cases follow SKL's booklet summarising the municipalities' improvement work in the fourth round of
Leda för Resultat (2013–2014); all text is written anew, people are fictional and measurements are
generated (see ``seed.content.series``).
"""

from __future__ import annotations

from typing import Final

from seed.content.builders import person
from seed.content.initiatives import (
    ange,
    eslov,
    falkenberg,
    gallivare,
    haninge,
    herrljunga,
    katrineholm,
    kiruna,
    kramfors,
    mellerud,
    sjobo,
    sodertalje,
    torsas,
    tranemo,
    uppsala,
    varnamo,
)
from seed.content.types import DemoAccountSpec, InitiativeSpec, PersonSpec, ProgramSpec

_MODULES: Final = (
    falkenberg,
    uppsala,
    ange,
    varnamo,
    gallivare,
    herrljunga,
    katrineholm,
    eslov,
    kramfors,
    sjobo,
    sodertalje,
    kiruna,
    torsas,
    mellerud,
    haninge,
    tranemo,
)

PROGRAM: Final = ProgramSpec(
    key="leda_for_resultat_iv",
    name="Leda för Resultat IV",
    description=(
        "I programmet tränar socialtjänstens ledningsgrupper och deras stödfunktioner på att styra "
        "verksamheten mot resultat med moderna kvalitetsmetoder. Varje deltagande förvaltning driver ett "
        "eget förbättringsarbete: den sätter mätbara mål, mäter och visar resultaten, testar förändringar i "
        "små steg och följer upp i ledningsgruppen. Demoprogrammet bygger på verkliga exempel från "
        "programmets fjärde omgång; personerna är påhittade och mätvärdena genererade."
    ),
    coordinators=("coordinator", "coordinator_2"),
)

_PROGRAMME_PEOPLE: Final[tuple[PersonSpec, ...]] = (
    person("admin", "Sara Lindqvist", "framsteg"),
    person("coordinator", "Johan Ekström", "skr"),
    person("coordinator_2", "Maria Lundgren", "skr"),
)

PEOPLE: Final[tuple[PersonSpec, ...]] = _PROGRAMME_PEOPLE + tuple(p for module in _MODULES for p in module.PEOPLE)

INITIATIVES: Final[tuple[InitiativeSpec, ...]] = tuple(module.INITIATIVE for module in _MODULES)

DEMO_ACCOUNTS: Final[tuple[DemoAccountSpec, ...]] = (
    DemoAccountSpec("admin", "admin", None),
    DemoAccountSpec("coordinator", "coordinator", PROGRAM.key),
    DemoAccountSpec("leader_falkenberg", "leader", falkenberg.ORGANISATION.key),
    DemoAccountSpec("member_falkenberg", "member", falkenberg.INITIATIVE.key),
    DemoAccountSpec("viewer_falkenberg", "viewer", falkenberg.ORGANISATION.key),
    DemoAccountSpec("leader_uppsala", "leader", uppsala.ORGANISATION.key),
    DemoAccountSpec("member_uppsala", "member", uppsala.INITIATIVE.key),
)
