"""The access-control matrix (DESIGN.md §2) as data: for every route of the app, who gets what.

An entry names a route (method and path exactly as in the route table), the rule deciding each role's
outcome, the targets it is tried on ("A": things of initiative A1 in organisation A, "B": of B1 in
organisation B, "P": programme P, "-": no particular object), and a valid request body where one is
needed (so that a refusal can only come from the access check, never from validation).

Outcomes: "ok" (2xx, or a redirect that is not to the login page), "forbidden" (403: visible, not
permitted), "hidden" (404: not visible, existence not revealed), "login" (401 for the API, a redirect
to /login for pages).

Entries whose route does not exist (yet) produce no cases: when the route lands, its entry applies.
`test_every_route_has_a_matrix_entry` fails for any route without an entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seed.content.types import TEAM_ROLES
from tests.security.world import PASSWORD, World

NEW_PASSWORD = "a-new-matrix-password-456"

Outcome = str
Rule = Callable[[str, str], Outcome]
Body = Callable[[World, str], Any]

ALL = frozenset({"admin", "coord_p", "coord_q", "leader_a", "leader_b", "member_a1", "member_b1", "viewer_a", "norole"})
VISIBLE = {
    "A": frozenset({"admin", "coord_p", "leader_a", "member_a1", "viewer_a"}),
    "B": frozenset({"admin", "coord_p", "leader_b", "member_b1"}),
}
EDITORS = {"A": frozenset({"admin", "member_a1"}), "B": frozenset({"admin", "member_b1"})}
LEADERS = {"A": frozenset({"admin", "leader_a"}), "B": frozenset({"admin", "leader_b"})}
# Programme P: whoever coordinates it or can see one of its initiatives.
PROGRAM_VISIBLE = frozenset({"admin", "coord_p", "leader_a", "leader_b", "member_a1", "member_b1", "viewer_a"})
PROGRAM_MANAGERS = frozenset({"admin", "coord_p"})


def _gate(visible: frozenset[str], allowed: frozenset[str], role: str) -> Outcome:
    if role == "anon":
        return "login"
    if role in allowed:
        return "ok"
    return "forbidden" if role in visible else "hidden"


def public(role: str, target: str) -> Outcome:
    return "ok"


def signed_in(role: str, target: str) -> Outcome:
    return _gate(ALL, ALL, role)


def admin_only(role: str, target: str) -> Outcome:
    return _gate(ALL, frozenset({"admin"}), role)


def read(role: str, target: str) -> Outcome:
    return _gate(VISIBLE[target], VISIBLE[target], role)


def team(role: str, target: str) -> Outcome:
    """Team work on a visible initiative: members of it and admins."""
    return _gate(VISIBLE[target], EDITORS[target], role)


def leaders(role: str, target: str) -> Outcome:
    """Ledningsgrupp decisions (reviews, RAG, status, deleting an initiative, the audit trail)."""
    return _gate(VISIBLE[target], LEADERS[target], role)


def program_read(role: str, target: str) -> Outcome:
    return _gate(PROGRAM_VISIBLE, PROGRAM_VISIBLE, role)


def program_manage(role: str, target: str) -> Outcome:
    return _gate(PROGRAM_VISIBLE, PROGRAM_MANAGERS, role)


def create_initiative(role: str, target: str) -> Outcome:
    """A new initiative in organisation A of programme P."""
    return _gate(ALL, frozenset({"admin", "leader_a", "coord_p"}), role)


def create_somewhere(role: str, target: str) -> Outcome:
    """The new-initiative form: for anyone who may create an initiative somewhere."""
    return _gate(ALL, frozenset({"admin", "leader_a", "leader_b", "coord_p", "coord_q"}), role)


def create_organisation(role: str, target: str) -> Outcome:
    """A new organisation in programme P: P's coordinators and admins; P is hidden from the other coordinator."""
    return _gate(ALL - {"coord_q"}, PROGRAM_MANAGERS, role)


def team_or_leaders(role: str, target: str) -> Outcome:
    """The initiative's edit form: the team edits content, leaders status and RAG."""
    return _gate(VISIBLE[target], EDITORS[target] | LEADERS[target], role)


def initiative_owners(role: str, target: str) -> Outcome:
    """Deleting an initiative: whoever may create one there (admins, the organisation's leaders, coordinators)."""
    return _gate(VISIBLE[target], LEADERS[target] | {"coord_p"}, role)


def org_read(role: str, target: str) -> Outcome:
    """Organisation A's pages (dashboard, export): the organisation is visible to these."""
    return _gate(frozenset(), frozenset({"admin", "coord_p", "leader_a", "viewer_a", "member_a1"}), role)


def trash_restore_initiative(role: str, target: str) -> Outcome:
    """Restoring a deleted initiative of organisation A (programme P): whoever may create one there."""
    return _gate(frozenset(), frozenset({"admin", "leader_a", "coord_p"}), role)


def unknown_to_everyone(role: str, target: str) -> Outcome:
    return _gate(frozenset(), frozenset(), role)


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    rule: Rule
    targets: tuple[str, ...] = ("-",)
    body: Body | None = None
    # API bodies are JSON unless content_type says otherwise; page bodies are forms.
    content_type: str | None = None
    # For "ok", accept any answer that shows the access check let the request through (a business-rule
    # 409/422 included): used where a fully successful request needs more setup than the world has.
    passes_gate: bool = False
    query: tuple[tuple[str, str], ...] = ()

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


AB = ("A", "B")
P = ("P",)


def _v(_w: World, _t: str) -> dict[str, Any]:
    return {"version": 1}


def _form_v(_w: World, _t: str) -> dict[str, Any]:
    return {"version": "1"}


def _measure_edit_form(_w: World, _t: str) -> dict[str, Any]:
    """Same kind and data type as the world's measures (they cannot change once values exist)."""
    return {
        "name": "Ändrat namn",
        "kind": "outcome",
        "data_type": "value",
        "definition": "Dagar från ansökan till beslut.",
        "direction": "decrease",
        "frequency": "week",
        "unit": "dagar",
        "chart": "auto",
        "version": "1",
    }


def _measure_json(_w: World, _t: str) -> dict[str, Any]:
    return {
        "name": "Nytt mått",
        "kind": "process",
        "data_type": "count",
        "definition": "Antal uppföljningssamtal per vecka.",
        "direction": "increase",
        "frequency": "week",
    }


def _measure_form(w: World, t: str) -> dict[str, Any]:
    return {**_measure_json(w, t), "unit": "st", "chart": "auto", "version": "1"}


def _initiative_json(w: World, _t: str) -> dict[str, Any]:
    return {"title": "Nytt arbete", "organisation_id": w.org_a.id, "program_id": w.program_p.id}


def _initiative_form(w: World, t: str) -> dict[str, Any]:
    return {**_initiative_json(w, t), "status": "draft"}


def _initiative_edit_form(w: World, t: str) -> dict[str, Any]:
    scope = w.scopes[t].initiative
    return {"title": "Ändrad titel", "problem": "p", "status": scope.status, "rag": "", "version": "1"}


def _review(_w: World, _t: str) -> dict[str, Any]:
    return {"review_date": "2024-04-02", "rag": "green", "decision": "Fortsätt"}


def _lesson(_w: World, _t: str) -> dict[str, Any]:
    return {"text": "Ring dagen före besöket.", "lesson_date": "2024-04-02"}


def _cycle(_w: World, _t: str) -> dict[str, Any]:
    return {"title": "Ny PGSA", "status": "planned"}


def _library_json(_w: World, _t: str) -> dict[str, Any]:
    return {
        "name": "Andel med genomförandeplan",
        "kind": "process",
        "data_type": "proportion",
        "definition": "Andel brukare med aktuell genomförandeplan.",
        "direction": "increase",
        "frequency": "month",
    }


def _workshop(_w: World, _t: str) -> dict[str, Any]:
    return {"title": "Lärandeseminarium 2", "held_on": "2030-05-05", "kind": "workshop"}


ENTRIES: tuple[Entry, ...] = (
    # --- public -----------------------------------------------------------------------------------
    Entry("GET", "/api/v1/health", public),
    Entry("GET", "/api/v1/openapi.json", public),
    Entry("GET", "/api/docs", public),
    Entry("GET", "/login", public),
    Entry("GET", "/accessibility", public),
    Entry("POST", "/login", public, body=lambda w, t: {"email": w.users["norole"].email, "password": PASSWORD}),
    Entry("POST", "/logout", public),
    Entry("POST", "/language", public, body=lambda w, t: {"language": "en", "next": "/"}),
    # --- own account ------------------------------------------------------------------------------
    Entry("GET", "/", signed_in),
    Entry("GET", "/account", signed_in),
    Entry(
        "POST",
        "/account/password",
        signed_in,
        body=lambda w, t: {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    ),
    Entry("GET", "/account/tokens", signed_in),
    Entry("POST", "/account/tokens", signed_in, body=lambda w, t: {"name": "script"}),
    Entry("POST", "/account/tokens/{token_id}/revoke", signed_in),
    Entry("GET", "/api/v1/tokens", signed_in),
    Entry("POST", "/api/v1/tokens", signed_in, body=lambda w, t: {"name": "script"}),
    Entry("DELETE", "/api/v1/tokens/{token_id}", signed_in),
    # --- administration and audit -----------------------------------------------------------------
    Entry("GET", "/admin/users", admin_only),
    Entry("GET", "/admin/users/new", admin_only),
    Entry("POST", "/admin/users", admin_only, body=lambda w, t: {"name": "Ny", "email": "ny-matrix@example.se"}),
    Entry("GET", "/admin/users/{user_id}", admin_only),
    Entry(
        "POST",
        "/admin/users/{user_id}",
        admin_only,
        body=lambda w, t: {"name": "Ändrad", "language": "sv", "is_active": "1", "version": "1"},
    ),
    Entry(
        "POST",
        "/admin/users/{user_id}/roles",
        admin_only,
        body=lambda w, t: {"role": "viewer", "scope": f"organisation:{w.org_a.id}"},
    ),
    Entry("POST", "/admin/users/{user_id}/roles/{membership_id}/delete", admin_only),
    Entry("GET", "/admin/audit", admin_only),
    Entry("GET", "/initiatives/{initiative_id}/audit", leaders, AB),
    # --- programmes and organisations --------------------------------------------------------------
    Entry("GET", "/api/v1/programs", signed_in),
    Entry("POST", "/api/v1/programs", admin_only, body=lambda w, t: {"name": "Nytt program"}),
    Entry("GET", "/api/v1/programs/{program_id}", program_read, P),
    Entry(
        "PATCH",
        "/api/v1/programs/{program_id}",
        program_manage,
        P,
        body=lambda w, t: {"version": 1, "description": "x"},
    ),
    Entry("GET", "/api/v1/programs/{program_id}/export", program_read, P),
    Entry("GET", "/api/v1/organisations", signed_in),
    Entry(
        "POST",
        "/api/v1/organisations",
        create_organisation,
        body=lambda w, t: {"name": "Ny kommun", "program_id": w.program_p.id},
    ),
    Entry("GET", "/programs", signed_in),
    Entry("GET", "/programs/{program_id}", program_read, P),
    Entry("GET", "/programs/{program_id}/lessons", program_read, P),
    Entry("GET", "/programs/{program_id}/export", program_read, P),
    Entry("GET", "/dashboard", signed_in),
    Entry("GET", "/organisations/{organisation_id}/dashboard", org_read),
    Entry("GET", "/organisations/{organisation_id}/export", org_read),
    Entry("GET", "/organisations/{organisation_id}/export/prepare", org_read, query=(("format", "csv"),)),
    Entry("GET", "/programs/{program_id}/export/prepare", program_read, P, query=(("format", "csv"),)),
    # A download token belongs to the user who prepared the file; anyone else's (or an unknown) is not found.
    Entry("GET", "/exports/{token}", unknown_to_everyone),
    Entry("GET", "/reviews/due", signed_in),
    # --- initiatives ------------------------------------------------------------------------------
    Entry("GET", "/api/v1/initiatives", signed_in),
    Entry("POST", "/api/v1/initiatives", create_initiative, body=_initiative_json),
    Entry("GET", "/api/v1/initiatives/{initiative_id}", read, AB),
    Entry(
        "PATCH", "/api/v1/initiatives/{initiative_id}", team, AB, body=lambda w, t: {"version": 1, "title": "Ny titel"}
    ),
    Entry("DELETE", "/api/v1/initiatives/{initiative_id}", initiative_owners, AB),
    Entry("GET", "/initiatives/new", create_somewhere),
    Entry("POST", "/initiatives/new", create_initiative, body=_initiative_form),
    Entry("GET", "/initiatives/{initiative_id}", read, AB),
    Entry("GET", "/initiatives/{initiative_id}/edit", team_or_leaders, AB),
    Entry("POST", "/initiatives/{initiative_id}/edit", team, AB, body=_initiative_edit_form),
    Entry("POST", "/initiatives/{initiative_id}/delete", initiative_owners, AB),
    Entry(
        "POST",
        "/initiatives/{initiative_id}/team",
        team,
        AB,
        body=lambda w, t: {"name": "Ny person", "role": TEAM_ROLES[0]},
    ),
    Entry("POST", "/initiatives/{initiative_id}/team/{member_id}/delete", team, AB),
    Entry(
        "POST", "/initiatives/{initiative_id}/team/{member_id}/move", team, AB, body=lambda w, t: {"direction": "down"}
    ),
    # --- reviews ----------------------------------------------------------------------------------
    Entry("GET", "/api/v1/initiatives/{initiative_id}/reviews", read, AB),
    Entry("POST", "/api/v1/initiatives/{initiative_id}/reviews", leaders, AB, body=_review),
    Entry("GET", "/initiatives/{initiative_id}/reviews", read, AB),
    Entry("GET", "/initiatives/{initiative_id}/reviews/new", leaders, AB),
    Entry("POST", "/initiatives/{initiative_id}/reviews", leaders, AB, body=_review),
    # --- measures and measurements -----------------------------------------------------------------
    Entry("GET", "/api/v1/initiatives/{initiative_id}/measures", read, AB),
    Entry("POST", "/api/v1/initiatives/{initiative_id}/measures", team, AB, body=_measure_json),
    Entry("GET", "/api/v1/measures/{measure_id}", read, AB),
    Entry("PATCH", "/api/v1/measures/{measure_id}", team, AB, body=lambda w, t: {"version": 1, "unit": "st"}),
    Entry("DELETE", "/api/v1/measures/{measure_id}", team, AB),
    Entry("GET", "/api/v1/measures/{measure_id}/analysis", read, AB),
    Entry("GET", "/api/v1/measures/{measure_id}/chart.svg", read, AB),
    Entry("GET", "/api/v1/measures/{measure_id}/measurements", read, AB),
    Entry(
        "POST",
        "/api/v1/measures/{measure_id}/measurements",
        team,
        AB,
        body=lambda w, t: {"period": "2024-W08", "value": 3},
    ),
    Entry(
        "POST",
        "/api/v1/measures/{measure_id}/measurements/import",
        team,
        AB,
        body=lambda w, t: "period,value\n2024-W09,5\n",
        content_type="text/csv",
    ),
    Entry(
        "PUT",
        "/api/v1/measures/{measure_id}/measurements/{period}",
        team,
        AB,
        body=lambda w, t: {"value": 2, "version": 1},
    ),
    Entry("DELETE", "/api/v1/measures/{measure_id}/measurements/{period}", team, AB),
    Entry("GET", "/initiatives/{initiative_id}/measures/new", team, AB),
    Entry("POST", "/initiatives/{initiative_id}/measures/new", team, AB, body=_measure_form),
    Entry("GET", "/measures/{measure_id}", read, AB),
    Entry("GET", "/measures/{measure_id}/edit", team, AB),
    Entry("POST", "/measures/{measure_id}/edit", team, AB, body=_measure_edit_form),
    Entry("POST", "/measures/{measure_id}/delete", team, AB),
    Entry("GET", "/measures/{measure_id}/import", team, AB),
    Entry("POST", "/measures/{measure_id}/import", team, AB, body=lambda w, t: {"text": "2024-W09;5"}),
    Entry("POST", "/measures/{measure_id}/import/save", team, AB, body=lambda w, t: {"text": "2024-W09;5"}),
    Entry("GET", "/log", signed_in),
    Entry("POST", "/log/{measure_id}", team, AB, body=lambda w, t: {"period": "2024-W08", "value": "3"}),
    Entry("GET", "/log/{measure_id}/row", team, AB),
    # --- PDSA cycles ------------------------------------------------------------------------------
    Entry("GET", "/api/v1/initiatives/{initiative_id}/pdsa-cycles", read, AB),
    Entry("POST", "/api/v1/initiatives/{initiative_id}/pdsa-cycles", team, AB, body=_cycle),
    Entry("GET", "/api/v1/pdsa-cycles/{cycle_id}", read, AB),
    Entry("PATCH", "/api/v1/pdsa-cycles/{cycle_id}", team, AB, body=lambda w, t: {"version": 1, "plan": "Plan"}),
    Entry("DELETE", "/api/v1/pdsa-cycles/{cycle_id}", team, AB),
    Entry("POST", "/api/v1/pdsa-cycles/{cycle_id}/advance", team, AB, body=_v),
    Entry("GET", "/initiatives/{initiative_id}/pdsa", read, AB),
    Entry("GET", "/initiatives/{initiative_id}/pdsa/new", team, AB),
    Entry("POST", "/initiatives/{initiative_id}/pdsa/new", team, AB, body=_cycle),
    Entry("GET", "/initiatives/{initiative_id}/pdsa/{cycle_id}", read, AB),
    Entry("GET", "/initiatives/{initiative_id}/pdsa/{cycle_id}/edit", team, AB),
    Entry(
        "POST",
        "/initiatives/{initiative_id}/pdsa/{cycle_id}/edit",
        team,
        AB,
        body=lambda w, t: {**_cycle(w, t), "version": "1"},
    ),
    Entry("POST", "/initiatives/{initiative_id}/pdsa/{cycle_id}/advance", team, AB, body=lambda w, t: {"version": "1"}),
    Entry("POST", "/initiatives/{initiative_id}/pdsa/{cycle_id}/delete", team, AB),
    # --- lessons ----------------------------------------------------------------------------------
    Entry("GET", "/api/v1/lessons", signed_in),
    Entry("GET", "/api/v1/initiatives/{initiative_id}/lessons", read, AB),
    Entry("POST", "/api/v1/initiatives/{initiative_id}/lessons", team, AB, body=_lesson),
    Entry("GET", "/api/v1/lessons/{lesson_id}", read, AB),
    Entry("PATCH", "/api/v1/lessons/{lesson_id}", team, AB, body=lambda w, t: {"version": 1, "text": "Ändrad lärdom"}),
    Entry("DELETE", "/api/v1/lessons/{lesson_id}", team, AB),
    # Without HTMX this only redirects to the initiative page's #lessons (which applies the check).
    Entry("GET", "/initiatives/{initiative_id}/lessons", signed_in, AB),
    Entry("POST", "/initiatives/{initiative_id}/lessons", team, AB, body=_lesson),
    Entry("GET", "/initiatives/{initiative_id}/lessons/{lesson_id}/edit", team, AB),
    Entry(
        "POST",
        "/initiatives/{initiative_id}/lessons/{lesson_id}",
        team,
        AB,
        body=lambda w, t: {**_lesson(w, t), "version": "1"},
    ),
    Entry("POST", "/initiatives/{initiative_id}/lessons/{lesson_id}/delete", team, AB),
    # --- deleted items ----------------------------------------------------------------------------
    Entry("GET", "/trash", signed_in),
    Entry("GET", "/initiatives/{initiative_id}/trash", team, AB),
    Entry("POST", "/initiatives/{initiative_id}/trash/{kind}/{item_id}/restore", team, AB, body=_form_v),
    Entry("POST", "/trash/initiatives/{initiative_id}/restore", trash_restore_initiative, body=_form_v),
    # --- measure library, workshops and stages (programme level) ---------------------------------
    Entry("GET", "/api/v1/programs/{program_id}/library-measures", program_read, P),
    Entry("POST", "/api/v1/programs/{program_id}/library-measures", program_manage, P, body=_library_json),
    Entry("GET", "/api/v1/library-measures/{library_measure_id}", program_read, P),
    Entry(
        "PATCH",
        "/api/v1/library-measures/{library_measure_id}",
        program_manage,
        P,
        body=lambda w, t: {"version": 1, "unit": "%", "change_note": "Enhet"},
    ),
    Entry("GET", "/api/v1/library-measures/{library_measure_id}/comparison", program_read, P),
    Entry(
        "POST",
        "/api/v1/initiatives/{initiative_id}/measures/adopt",
        team,
        AB,
        body=lambda w, t: {"library_measure_id": w.library_measure.id},
    ),
    Entry("GET", "/api/v1/programs/{program_id}/workshops", program_read, P),
    Entry("POST", "/api/v1/programs/{program_id}/workshops", program_manage, P, body=_workshop),
    Entry(
        "PUT",
        "/api/v1/initiatives/{initiative_id}/stage",
        team,
        AB,
        body=lambda w, t: {"version": 1, "stage": "testing"},
    ),
    Entry("GET", "/programs/{program_id}/library", program_read, P),
    Entry("GET", "/programs/{program_id}/library/new", program_manage, P),
    Entry("POST", "/programs/{program_id}/library/new", program_manage, P, body=_library_json),
    Entry("GET", "/programs/{program_id}/library/{library_measure_id}", program_read, P),
    Entry("GET", "/programs/{program_id}/library/{library_measure_id}/compare", program_read, P),
    Entry("GET", "/programs/{program_id}/library/{library_measure_id}/edit", program_manage, P),
    Entry(
        "POST",
        "/programs/{program_id}/library/{library_measure_id}/edit",
        program_manage,
        P,
        body=lambda w, t: {**_library_json(w, t), "version": "1", "change_note": "ny"},
    ),
    Entry("GET", "/initiatives/{initiative_id}/library", read, AB),
    Entry(
        "POST",
        "/initiatives/{initiative_id}/library/adopt",
        team,
        AB,
        body=lambda w, t: {"library_measure_id": str(w.library_measure.id)},
    ),
    Entry("GET", "/measures/{measure_id}/library", read, AB),
    # The world's measures are not from the library: members pass the gate and get a 422 for that.
    Entry("POST", "/measures/{measure_id}/library/upgrade", team, AB, body=_form_v, passes_gate=True),
    Entry("GET", "/programs/{program_id}/calendar", program_read, P),
    Entry("GET", "/programs/{program_id}/stages", program_read, P),
    Entry("GET", "/programs/{program_id}/workshops/new", program_manage, P),
    Entry("POST", "/programs/{program_id}/workshops/new", program_manage, P, body=_workshop),
    Entry("GET", "/workshops/{workshop_id}/edit", program_manage, P),
    Entry(
        "POST",
        "/workshops/{workshop_id}/edit",
        program_manage,
        P,
        body=lambda w, t: {**_workshop(w, t), "version": "1"},
    ),
    Entry("POST", "/workshops/{workshop_id}/delete", program_manage, P, body=lambda w, t: {"version": "1"}),
    Entry("GET", "/initiatives/{initiative_id}/stage", read, AB),
    Entry(
        "POST", "/initiatives/{initiative_id}/stage", team, AB, body=lambda w, t: {"version": "1", "stage": "testing"}
    ),
)
