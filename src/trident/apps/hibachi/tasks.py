"""Every job of the hibachi app, registered by importing its module (the web app and
``trident worker hibachi`` both import this)."""

from trident.apps.hibachi.auth import tasks as auth_tasks
from trident.apps.hibachi.leads import tasks as lead_tasks
from trident.apps.hibachi.newsletter import tasks as newsletter_tasks
from trident.apps.hibachi.notifications import tasks as notification_tasks

__all__ = ["auth_tasks", "lead_tasks", "newsletter_tasks", "notification_tasks"]
