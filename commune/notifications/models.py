"""In-app notifications: what a person is told about acts that concern them.

Each notification is also sent by email (the console backend unless the operator configures SMTP), after
the transaction that caused it commits, so nobody is told of an act that was rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60, help_text="What happened, e.g. mandate.departed.")
    subject = models.CharField(max_length=250)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True, help_text="Where to read more (a path or URL).")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at", "created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.person_id}"
