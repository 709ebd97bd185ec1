"""MyHibachi: catering booking CRM with an AI sales assistant (port 8000)."""

VERSION = "1.0.0"
