"""Invitations and reminders: who gets which message (`plan`), the message itself from the
mail templates (`compose`), and sending it through SMTP or writing it as an `.eml` file
(`smtp`, `deliver`), every message recorded in the store."""

from .compose import MailContext, compose, languages, template_language
from .deliver import DeliveryReport, deliver, write_eml
from .plan import Planned, plan_messages, progress
from .roster import RosterStatus, roster_status
from .smtp import Mailer, SmtpTarget, parse_smtp_url

__all__ = ["DeliveryReport", "MailContext", "Mailer", "Planned", "RosterStatus", "SmtpTarget",
           "compose", "deliver", "languages", "parse_smtp_url", "plan_messages", "progress",
           "roster_status", "template_language", "write_eml"]
