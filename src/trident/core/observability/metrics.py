"""Prometheus metrics: one registry per app instance (tests build many apps).

With several worker processes set ``PROMETHEUS_MULTIPROC_DIR``; ``/metrics`` then
aggregates every worker's samples (see docs/deployment.md).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, app_name: str) -> None:
        self.app_name = app_name
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by route template, method and status.",
            ["app", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency by route template and method.",
            ["app", "method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "http_requests_in_flight",
            "Requests being served.",
            ["app"],
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def counter(self, name: str, documentation: str, labels: list[str]) -> Counter:
        """An app counter (``saas_ai_tokens_total``...) in this app's registry."""
        return Counter(name, documentation, labels, registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(self.app_name, method, route, str(status)).inc()
        self.latency.labels(self.app_name, method, route).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
