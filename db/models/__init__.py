"""The system of record: errands, their steps, deadlines, meetings, §, documents,
distribution, outbox and the audit log. Unique constraints encode the numbering rules,
so the database itself refuses a second diary number or a second § 14."""

from db.models.base import NAMING_CONVENTION, Base, utcnow
from db.models.contracts import Agreement, AgreementPeriod, Application, DonationRound, Fund, Grant, RoundFund
from db.models.delivery import Distribution, OutboxMessage, PendingAdvance, Reminder
from db.models.errands import (
    AuditEvent,
    ClassificationCode,
    Deadline,
    Decision,
    DiarySequence,
    Document,
    Errand,
    ErrandStep,
    FsgConsultation,
    Meeting,
    Organ,
    Recipient,
    Report,
)

__all__ = [
    "Agreement",
    "AgreementPeriod",
    "Application",
    "AuditEvent",
    "Base",
    "ClassificationCode",
    "Deadline",
    "Decision",
    "DiarySequence",
    "Distribution",
    "Document",
    "DonationRound",
    "Errand",
    "ErrandStep",
    "FsgConsultation",
    "Fund",
    "Grant",
    "Meeting",
    "NAMING_CONVENTION",
    "Organ",
    "OutboxMessage",
    "PendingAdvance",
    "Recipient",
    "Reminder",
    "Report",
    "RoundFund",
    "utcnow",
]
