"""The OpenAPI 3.1 description of /api/v1, kept beside the code it describes (schemathesis checks it)."""
from __future__ import annotations

from typing import Any

PATHS: dict[str, Any] = {}
SCHEMAS: dict[str, Any] = {}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
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


PAGING_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}},
    {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]


def add_path(path: str, method: str, operation: dict) -> None:
    """Feature modules describe their endpoints here as they add them."""
    operation.setdefault("responses", {}).update({k: v for k, v in ERRORS.items() if k not in operation["responses"]})
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
    "parameters": PAGING_PARAMETERS + [{"name": "unread", "in": "query", "schema": {"type": "string",
                                                                                  "enum": ["true", "false"]}}],
    "responses": {"200": _json(_ref("NotificationPage"), "A page of notifications")}})
add_path("/notifications/{notification_id}/read", "post", {
    "operationId": "readNotification", "summary": "Mark one of my notifications read",
    "parameters": [{"name": "notification_id", "in": "path", "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}],
    "responses": {"200": _json(_ref("Notification"), "The notification"),
                  "404": _json(_ref("Error"), "Not one of yours")}})


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "oneAPS Opportunities API", "version": "1.0.0",
                 "description": "Find opportunities, apply and follow your applications. Authenticate with a personal "
                                "API token from your profile page: `Authorization: Bearer <token>`. "
                                "Errors are JSON: `{\"error\": {\"code\", \"status\", \"message\", \"fields\"?}}`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Unauthorised": _json(_ref("Error"), "No valid token"),
                "Invalid": _json(_ref("Error"), "A parameter or field is not valid"),
                "TooMany": _json(_ref("Error"), "Rate limit reached"),
            },
        },
    }
