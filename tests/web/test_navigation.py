"""Navigation to the programme-structure pages: programme tabs, the initiative page's stage and library sections,
and the links to an initiative's audit trail and trash for the roles that may open them."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Measure
from app.models.enums import Role
from app.services import library
from app.services.library import DefinitionData
from tests.support.web import WebClient

DEFINITION = DefinitionData(
    name="Andel brukare med aktuell genomförandeplan",
    kind="process",
    data_type="proportion",
    unit="%",
    definition="Täljare: brukare med uppföljd plan. Nämnare: alla brukare med insats.",
    direction="increase",
    frequency="month",
    chart="p",
)


def test_programme_page_links_to_its_library_calendar_and_stages(client: WebClient, make: Any) -> None:
    program = make.program()
    make.initiative(program=program, stage="analysis")
    client.login(make.user(Role.COORDINATOR, program).email)
    page = client.get(f"/programs/{program.id}")
    assert page.status_code == 200
    # Each initiative's stage, in the table and in the list by organisation.
    assert page.text.count('class="badge stage stage-analysis"') == 2
    assert 'class="program-tabs"' in page.text
    assert f'<a href="/programs/{program.id}" aria-current="page">{_("Overview")}</a>' in page.text
    for tab in ("library", "calendar", "stages"):
        assert f'href="/programs/{program.id}/{tab}"' in page.text
        assert client.get(f"/programs/{program.id}/{tab}").status_code == 200
    # Every programme page marks its own tab.
    library_page = client.get(f"/programs/{program.id}/library")
    assert f'<a href="/programs/{program.id}/library" aria-current="page">' in library_page.text


def _links(text: str, initiative_id: int) -> dict[str, bool]:
    return {
        "audit": f'href="/initiatives/{initiative_id}/audit"' in text,
        "trash": f'href="/initiatives/{initiative_id}/trash"' in text,
        "stage": f'hx-get="/initiatives/{initiative_id}/stage"' in text,
        "library": f'hx-get="/initiatives/{initiative_id}/library"' in text,
    }


def test_initiative_page_links_by_role(client: WebClient, make: Any) -> None:
    """Audit trail for leaders and admins, trash for the team and admins; stage and library for every reader."""
    initiative = make.initiative()
    expected = {
        make.user(Role.MEMBER, initiative): {"audit": False, "trash": True},
        make.user(Role.LEADER, initiative.organisation): {"audit": True, "trash": False},
        make.user(Role.VIEWER, initiative.organisation): {"audit": False, "trash": False},
        make.user(Role.COORDINATOR, initiative.program): {"audit": False, "trash": False},
        make.user(admin=True): {"audit": True, "trash": True},
    }
    for user, allowed in expected.items():
        client.login(user.email)
        page = client.get(f"/initiatives/{initiative.id}")
        assert page.status_code == 200
        links = _links(page.text, initiative.id)
        assert links == {**allowed, "stage": True, "library": True}, user.email
        assert f'<a href="/programs/{initiative.program_id}">' in page.text  # back to the programme
        # The link is only offered where the page opens.
        for name in ("audit", "trash"):
            status = client.get(f"/initiatives/{initiative.id}/{name}").status_code
            assert status == (200 if allowed[name] else 403), (user.email, name, status)


def test_initiative_page_shows_the_stage_without_javascript(client: WebClient, make: Any) -> None:
    initiative = make.initiative(stage="testing")
    client.login(make.user(Role.VIEWER, initiative.organisation).email)
    page = client.get(f"/initiatives/{initiative.id}").text
    assert 'class="badge stage stage-testing"' in page
    assert f'<a id="initiative-stage-badge" class="badge-link" href="/initiatives/{initiative.id}/stage">' in page
    assert '<li class="current" aria-current="step">' in page
    assert f'href="/initiatives/{initiative.id}/library"' in page


def test_stage_and_library_fragments_for_the_initiative_page(client: WebClient, make: Any, db: Session) -> None:
    initiative = make.initiative()
    admin = Principal.of(make.user(admin=True))
    item = library.create_library_measure(db, admin, program_id=initiative.program_id, data=DEFINITION)
    library.adopt(db, admin, initiative_id=initiative.id, library_measure_id=item.id)
    library.update_library_measure(
        db, admin, library_measure_id=item.id, version=item.version, changes={"definition": "Ny."}, change_note="Ny."
    )
    measure_id = db.scalars(select(Measure.id).where(Measure.initiative_id == initiative.id)).one()
    client.login(make.user(Role.MEMBER, initiative).email)
    stage = client.htmx("GET", f"/initiatives/{initiative.id}/stage")
    assert stage.text.lstrip().startswith('<section id="stage-panel"')
    assert f'hx-post="/initiatives/{initiative.id}/stage"' in stage.text
    panel = client.htmx("GET", f"/initiatives/{initiative.id}/library")
    assert panel.text.lstrip().startswith('<section id="initiative-library"')
    assert 'id="initiative-library-heading"' in panel.text
    assert (
        _("Uses version %(used)s of the definition – version %(latest)s exists") % {"used": 1, "latest": 2}
        in panel.text
    )
    assert f'action="/measures/{measure_id}/library/upgrade"' in panel.text

    # A reader outside the team sees the stage and the versions, without the forms.
    client.login(make.user(Role.VIEWER, initiative.organisation).email)
    assert "hx-post" not in client.htmx("GET", f"/initiatives/{initiative.id}/stage").text
    viewer_panel = client.htmx("GET", f"/initiatives/{initiative.id}/library").text
    assert "badge version-old" in viewer_panel
    assert "/library/upgrade" not in viewer_panel


def test_initiative_outside_a_programme_has_no_stage_or_library(client: WebClient, make: Any, db: Session) -> None:
    initiative = make.initiative()
    initiative.program_id = None
    db.flush()
    client.login(make.user(Role.MEMBER, initiative).email)
    page = client.get(f"/initiatives/{initiative.id}")
    assert page.status_code == 200
    links = _links(page.text, initiative.id)
    assert not links["stage"]
    assert not links["library"]
    assert "badge stage" not in page.text


def test_footer_links_to_the_trash_when_signed_in(client: WebClient, make: Any) -> None:
    assert 'href="/trash"' not in client.get("/login").text
    initiative = make.initiative()
    client.login(make.user(Role.LEADER, initiative.organisation).email)
    assert 'href="/trash"' in client.get("/").text
    assert client.get("/trash").status_code == 200


def test_library_measure_page_shows_the_stage_of_each_team_using_it(client: WebClient, make: Any, db: Session) -> None:
    initiative = make.initiative(stage="analysis")
    admin = Principal.of(make.user(admin=True))
    item = library.create_library_measure(db, admin, program_id=initiative.program_id, data=DEFINITION)
    library.adopt(db, admin, initiative_id=initiative.id, library_measure_id=item.id)
    client.login(make.user(Role.COORDINATOR, initiative.program).email)
    page = client.get(f"/programs/{initiative.program_id}/library/{item.id}")
    assert page.status_code == 200
    assert 'class="badge stage stage-analysis"' in page.text


def test_moving_the_stage_on_the_initiative_page_updates_its_header_badge(client: WebClient, make: Any) -> None:
    initiative = make.initiative()
    client.login(make.user(Role.MEMBER, initiative).email)
    url = f"/initiatives/{initiative.id}/stage"
    data = {"stage": "challenge_and_aim", "version": str(initiative.version)}
    moved = client.htmx(
        "POST", url, data=data, headers={"HX-Current-URL": f"http://testserver/initiatives/{initiative.id}"}
    )
    assert moved.status_code == 200
    assert 'id="initiative-stage-badge"' in moved.text
    assert 'hx-swap-oob="true"' in moved.text
    assert "stage-challenge_and_aim" in moved.text
    # On the stage page itself there is no header badge to update.
    again = client.htmx("POST", url, data={"stage": "analysis", "version": str(initiative.version)})
    assert again.status_code == 200
    assert "hx-swap-oob" not in again.text


def test_library_forms_loaded_into_the_initiative_page_return_to_it(client: WebClient, make: Any, db: Session) -> None:
    initiative = make.initiative()
    admin = Principal.of(make.user(admin=True))
    library.create_library_measure(db, admin, program_id=initiative.program_id, data=DEFINITION)
    client.login(make.user(Role.MEMBER, initiative).email)
    url = f"/initiatives/{initiative.id}/library"
    inline = client.htmx("GET", url, headers={"HX-Current-URL": f"http://testserver/initiatives/{initiative.id}"})
    assert f'name="next" value="/initiatives/{initiative.id}#initiative-library"' in inline.text
    standalone = client.get(url)
    assert f'name="next" value="/initiatives/{initiative.id}/library"' in standalone.text
