"""The web side of operations: a request id and one JSON log line per request, request metrics,
/readyz for load balancers and /metrics for Prometheus (loopback or allowed networks only)."""
from __future__ import annotations

import ipaddress
import logging
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request

from portal.extensions import db, limiter
from portal import logs, metrics
from portal.ops import health

bp = Blueprint("ops", __name__)
log = logging.getLogger("portal.request")
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _start() -> None:
    g.started = time.perf_counter()
    g.owns_request_id = True
    logs.use_request_id(request.headers.get("X-Request-ID"))


def _forget(_error: BaseException | None) -> None:
    """Only a request that set the id drops it: a task's request context (links in mail) keeps the task's."""
    if g.pop("owns_request_id", False):
        logs.forget_request_id()


def _finish(response: Response) -> Response:
    elapsed = time.perf_counter() - g.pop("started", time.perf_counter())
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    metrics.LATENCY.labels(route, request.method).observe(elapsed)
    response.headers["X-Request-ID"] = logs.request_id() or ""
    user = g.get("_login_user")  # only if the request loaded them: logging never costs a query
    log.info("%s %s %s", request.method, route, response.status_code,
             extra={"method": request.method, "route": route, "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1), "user_id": getattr(user, "id", None)})
    return response


def allowed_to_scrape() -> bool:
    """From an allowed network and not relayed by a proxy (a proxy on loopback must not open it to all)."""
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    networks = current_app.config["SETTINGS"].metrics_allowed_networks
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


@bp.route("/metrics")
@limiter.exempt
def scrape():
    if not allowed_to_scrape():
        abort(404)
    body = metrics.exposition(current_app.config["SETTINGS"], db.session)
    return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8")


@bp.route("/readyz")
@limiter.exempt
def ready():
    """503 naming what failed, so the load balancer stops sending traffic while pages that can still work do."""
    answers = health.readiness(current_app.config["SETTINGS"], db)
    status = 200 if all(answer == "ok" for answer in answers.values()) else 503
    return jsonify(status="ok" if status == 200 else "unavailable", checks=answers), status
