"""The OpenAPI 3.1 description of /api/v1: what the API publishes and what every request is validated against.

Kept beside the code it describes; schemathesis checks that the endpoints keep its promises.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from portal.api.fields import (MAX_RECORD_ID, NO_NUL, government_email, list_of, multi_line_text, one_line_text, one_of, record_id, whole_number)
from portal.models.opportunities import (AUSTRALIAN_STATES, CLEARANCES, COMMITMENT_BANDS, OPPORTUNITY_KINDS,
                                         WORK_MODES)
from portal.opportunities.search import SORTS

PATHS: dict[str, Any] = {}
SCHEMAS: dict[str, Any] = {}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorised"},
    "422": {"$ref": "#/components/responses/Invalid"},
    "429": {"$ref": "#/components/responses/TooMany"},
}


def page_schema(item: str) -> dict:
    return {"type": "object", "required": ["items", "page", "size", "total", "next_page"],
            "properties": {"items": {"type": "array", "items": _ref(item)}, "page": {"type": "integer", "minimum": 1},
                           "size": {"type": "integer", "minimum": 1, "maximum": 100},
                           "total": {"type": "integer", "minimum": 0},
                           "next_page": {"type": ["integer", "null"]}}}


def paging_parameters(last_page: int) -> list[dict]:
    return [{"name": "page", "in": "query", "schema": whole_number(1, last_page, default=1)},
            {"name": "size", "in": "query", "schema": whole_number(1, 100, default=20)}]


def id_parameter(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": record_id()}


def add_path(path: str, method: str, operation: dict) -> None:
    """Feature modules describe their endpoints here as they add them."""
    errors = dict(ERRORS, **({"415": {"$ref": "#/components/responses/NotJson"}} if "requestBody" in operation else {}))
    operation.setdefault("responses", {}).update({k: v for k, v in errors.items() if k not in operation["responses"]})
    PATHS.setdefault(path, {})[method] = operation


SCHEMAS.update({
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "status", "message"],
        "properties": {"code": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"},
                       "fields": {"type": "object", "additionalProperties": {"type": "array",
                                                                            "items": {"type": "string"}}}}}}},
    "Me": {"type": "object", "required": ["id", "name", "email", "agency", "is_contractor", "skills"],
           "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
                          "agency": {"type": ["string", "null"]}, "is_contractor": {"type": "boolean"},
                          "skills": {"type": "array", "items": {"type": "string"}}}},
    "Notification": {"type": "object", "required": ["id", "category", "title", "link", "created_at", "read"],
                     "properties": {"id": {"type": "integer"}, "category": {"type": "string"},
                                    "title": {"type": "string"}, "link": {"type": ["string", "null"]},
                                    "created_at": {"type": "string", "format": "date-time"},
                                    "read": {"type": "boolean"}}},
    "NotificationPage": page_schema("Notification"),
})

add_path("/me", "get", {"operationId": "me", "summary": "The person the token belongs to",
                        "responses": {"200": _json(_ref("Me"), "You")}})
add_path("/notifications", "get", {
    "operationId": "listNotifications", "summary": "My notifications, newest first",
    "parameters": paging_parameters(100_000) + [{"name": "unread", "in": "query", "schema": one_of(["true", "false"])}],
    "responses": {"200": _json(_ref("NotificationPage"), "A page of notifications")}})
add_path("/notifications/{notification_id}/read", "post", {
    "operationId": "readNotification", "summary": "Mark one of my notifications read",
    "parameters": [id_parameter("notification_id")],
    "responses": {"200": _json(_ref("Notification"), "The notification"),
                  "404": _json(_ref("Error"), "Not one of yours")}})

_DATE = {"type": ["string", "null"], "format": "date"}
_TEXT = {"type": ["string", "null"]}
SCHEMAS.update({
    "Opportunity": {"type": "object", "required": ["id", "title", "state", "skills", "url"], "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
        "kind": {"type": "string"}, "state": {"type": "string"}, "host_agency": _TEXT, "team": _TEXT,
        "work_mode": {"type": "string"}, "location_state": _TEXT, "location_city": _TEXT,
        "commitment_kind": {"type": "string"}, "commitment_amount": {"type": ["integer", "null"]},
        "commitment_band": _TEXT, "start_date": _DATE, "end_date": _DATE, "deadline": _DATE,
        "positions": {"type": "integer"}, "clearance": {"type": "string"},
        "accepting_applications": {"type": "boolean"}, "skills": {"type": "array", "items": {"type": "string"}},
        "url": {"type": "string"}}},
    "OpportunityDetail": {"allOf": [_ref("Opportunity"), {"type": "object", "required": [
        "positions_left", "your_next_step"], "properties": {
        "what_you_do": {"type": "string"}, "what_you_gain": {"type": "string"}, "about_team": {"type": "string"},
        "positions_left": {"type": "integer"}, "your_next_step": {"type": "string", "enum": [
            "owner", "applied", "contractor", "closed", "paused", "apply"]}}}]},
    "OpportunityPage": {"allOf": [page_schema("Opportunity"), {"type": "object", "required": ["facets"], "properties": {
        "facets": {"type": "object", "additionalProperties": {"type": "array", "items": {
            "type": "object", "required": ["value", "label", "count"],
            "properties": {"value": {"type": ["string", "integer", "boolean"]}, "label": {"type": "string"},
                           "count": {"type": "integer"}}}}}}}]},
    "Application": {"type": "object", "required": ["id", "opportunity_id", "state", "state_label", "next_step",
                                                   "version"], "properties": {
        "id": {"type": "integer"}, "opportunity_id": {"type": "integer"}, "opportunity_title": {"type": "string"},
        "state": {"type": "string"}, "state_label": {"type": "string"}, "next_step": {"type": "string"},
        "waiting_on": _TEXT, "home_manager_name": {"type": "string"},
        "applied_at": {"type": "string", "format": "date-time"}, "version": {"type": "integer"}}},
    "ApplicationPage": page_schema("Application"),
    "Withdrawal": {"type": "object", "additionalProperties": False, "properties": {
        "version": whole_number(1, MAX_RECORD_ID, description="The version you last saw: refused (409) if the "
                                                              "application changed since")}},
})


def _new_application(domains: tuple[str, ...]) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": ["statement", "home_manager_name", "home_manager_email"],
            "properties": {"statement": multi_line_text(2000, filled=True),
                           "relevant_skills": multi_line_text(2000), "availability": multi_line_text(500),
                           "development_goals": multi_line_text(1000),
                           "home_manager_name": one_line_text(120, filled=True),
                           "home_manager_email": government_email(domains)}}


_FILTERS = {"skill": record_id(), "kind": one_of(OPPORTUNITY_KINDS), "agency": record_id(), "mode": one_of(WORK_MODES),
            "location": one_of(AUSTRALIAN_STATES), "band": one_of(COMMITMENT_BANDS), "clearance": one_of(CLEARANCES)}
add_path("/opportunities", "get", {
    "operationId": "searchOpportunities", "summary": "Search open opportunities (the browse page's filters)",
    "parameters": [*paging_parameters(10_000),
                   {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200, "pattern": NO_NUL}},
                   {"name": "sort", "in": "query", "schema": one_of(SORTS)},
                   {"name": "closing", "in": "query", "schema": one_of(["1"])},
                   {"name": "cleared", "in": "query", "schema": one_of(["1"]),
                    "description": "1: only opportunities needing no more than the clearance on your profile"},
                   *[{"name": name, "in": "query", "schema": dict(list_of(item), maxItems=50), "style": "form",
                      "explode": True} for name, item in _FILTERS.items()]],
    "responses": {"200": _json(_ref("OpportunityPage"), "A page of opportunities with facet counts")}})
add_path("/opportunities/{opportunity_id}", "get", {
    "operationId": "getOpportunity", "summary": "One opportunity you can see",
    "parameters": [id_parameter("opportunity_id")],
    "responses": {"200": _json(_ref("OpportunityDetail"), "The opportunity"),
                  "404": _json(_ref("Error"), "No such opportunity, or not visible to you")}})
add_path("/opportunities/{opportunity_id}/applications", "post", {
    "operationId": "apply", "summary": "Apply (attach a CV on the web page if you want one)",
    "parameters": [id_parameter("opportunity_id")],
    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("NewApplication")}}},
    "responses": {"201": _json(_ref("Application"), "Your application"),
                  "403": _json(_ref("Error"), "You may not apply (contractor, or your own opportunity)"),
                  "404": _json(_ref("Error"), "No such opportunity, or not visible to you"),
                  "409": _json(_ref("Error"), "Not now (closed, paused, already applied)")}})
add_path("/applications", "get", {
    "operationId": "myApplications", "summary": "My applications, newest first",
    "parameters": paging_parameters(100_000),
    "responses": {"200": _json(_ref("ApplicationPage"), "A page of your applications")}})
add_path("/applications/{application_id}/withdraw", "post", {
    "operationId": "withdraw", "summary": "Withdraw one of my applications",
    "parameters": [id_parameter("application_id")],
    "requestBody": {"required": False, "content": {"application/json": {"schema": _ref("Withdrawal")}}},
    "responses": {"200": _json(_ref("Application"), "The application, withdrawn"),
                  "404": _json(_ref("Error"), "Not one of yours"),
                  "409": _json(_ref("Error"), "It cannot be withdrawn now")}})

SCHEMAS.update({
    "Question": {"type": "object", "required": ["id", "opportunity_id", "question", "state", "answer", "asked_at",
                                                "answered_at"], "properties": {
        "id": {"type": "integer"}, "opportunity_id": {"type": "integer"}, "question": {"type": "string"},
        "state": {"type": "string", "enum": ["open", "answered", "hidden"]}, "answer": {"type": ["string", "null"]},
        "asked_at": {"type": "string", "format": "date-time"},
        "answered_at": {"type": ["string", "null"], "format": "date-time"}}},
    "QuestionPage": page_schema("Question"),
})
add_path("/opportunities/{opportunity_id}/questions", "get", {
    "operationId": "listQuestions",
    "summary": "Questions on an opportunity you can see: the answered ones and your own still waiting for an answer "
               "(its owners and admins see every question)",
    "parameters": [id_parameter("opportunity_id"), *paging_parameters(10_000)],
    "responses": {"200": _json(_ref("QuestionPage"), "A page of questions, newest first"),
                  "404": _json(_ref("Error"), "No such opportunity, or not visible to you")}})


@lru_cache(maxsize=8)
def document(allowed_domains: tuple[str, ...] = ("gov.au",)) -> dict:
    """The whole document for these allowed e-mail domains; shared between requests, so never change it."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "oneAPS Opportunities API", "version": "1.0.0",
                 "description": "Find opportunities, apply and follow your applications. Authenticate with a personal "
                                "API token from your profile page: `Authorization: Bearer <token>`. "
                                "Every request is validated against this document: a wrong type, a value out of "
                                "range, an unknown or repeated parameter, or a field the body does not define answers "
                                "422, naming the fields in `error.fields`. Errors are JSON: "
                                "`{\"error\": {\"code\", \"status\", \"message\", \"fields\"?}}`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": {**SCHEMAS, "NewApplication": _new_application(allowed_domains)},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "BadRequest": _json(_ref("Error"), "The request itself is malformed (for example a NUL byte)"),
                "Unauthorised": _json(_ref("Error"), "No valid token"),
                "Invalid": _json(_ref("Error"), "A parameter or field is not valid"),
                "TooMany": _json(_ref("Error"), "Rate limit reached"),
                "NotJson": _json(_ref("Error"), "A request body that is not `application/json`"),
            },
        },
    }
