"""The saas app: a multi-tenant SaaS starter."""

VERSION = "1.0.0"
