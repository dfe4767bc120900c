"""Settings from ARENDE_* environment variables, loaded lazily and once."""

from __future__ import annotations

import datetime as dt
import getpass
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARENDE_", extra="ignore")

    municipality: str = Field(default="Borås Stad", description="The municipality's name in documents")
    var_dir: Path = Field(default=Path("var"), description="Working data (SQLite file, documents)")
    database_url: str = Field(default="", description="SQLAlchemy URL; default a SQLite file in var_dir")
    documents_dir: Path | None = Field(default=None, description="Where produced files are stored")
    templates_dir: Path = Field(default=PROJECT_ROOT / "templates")
    organs_file: Path = Field(
        default=Path(__file__).resolve().parent / "reference_data" / "organs.toml",
        description="Reference data: committees, registry prefixes, signatories, addresses",
    )
    classification_file: Path = Field(
        default=Path(__file__).resolve().parent / "reference_data" / "klassa.toml",
        description="Reference data: the KLASSA classification scheme used as diary plan",
    )
    funds_file: Path = Field(
        default=Path(__file__).resolve().parent / "reference_data" / "funds.toml",
        description="Reference data: the social donation funds and their rules",
    )
    reminders_file: Path = Field(
        default=Path(__file__).resolve().parent / "reference_data" / "reminders.toml",
        description="Reference data: reminder levels per step",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for the outbox")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_security: str = Field(default="none", pattern="^(none|starttls|ssl)$")
    # Senders in parallel, each over its own connection: on a due-heavy morning the
    # time goes to SMTP round trips and to one commit per message, which overlap.
    smtp_connections: int = Field(default=4, ge=1, le=16, description="SMTP connections used in parallel")
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = Field(default="arende@localhost", description="Sender address of outgoing mail")
    budget_calendar_file: Path = Field(
        default=Path(__file__).resolve().parent / "reference_data" / "budget_calendar.toml",
        description="Reference data: Kommunstyrelsen's budget calendar (delivery dates per year)",
    )
    # Justering within 14 days is the law's maximum (KL 5:69, 6:35); a local rule of
    # procedure may shorten it, never lengthen it (arende.rules.procedure).
    justering_days: int = Field(default=14, ge=1, le=14)
    data_key: SecretStr | None = Field(
        default=None,
        description="Fernet key for applicants' personal data; default a key file in var_dir created on first use",
    )
    # Digital justering (arende.signing): the roots a signature must chain to besides the
    # installation's own CA (the e-legitimation providers'), and the outside signing
    # service, when signatories sign there (BankID, Freja) instead of with the built-in key.
    trusted_roots: Path | None = Field(default=None, description="PEM file of further trusted root certificates")
    revocation_lists: Path | None = Field(
        default=None, description="File of the providers' certificate revocation lists (CRL, PEM or DER)"
    )
    signing_service_url: str | None = Field(
        default=None, max_length=500, pattern=r"^https?://\S+$", description="An outside signing service's URL"
    )
    # The e-archive: where the web page writes its deliveries, and each organ's
    # informationshanteringsplan as <CODE>.toml (arende.earchive, arende gallring).
    earchive_dir: Path | None = Field(default=None, description="Deliveries to the e-archive; default var_dir/earkiv")
    disposal_plans_dir: Path | None = Field(
        default=None, description="Informationshanteringsplaner, <ORGAN>.toml each; default var_dir/ihp"
    )
    donation_retention_years: int = Field(
        default=2, ge=0, le=20, description="Years after payout before applicant data is erased"
    )
    # How long a writer waits for SQLite's one write lock before it gives up with one line.
    sqlite_busy_seconds: float = Field(default=30, gt=0, le=600, description="SQLite: wait for the write lock")
    today: dt.date | None = Field(default=None, description="Pin today's date (replays, the demo)")
    user: str = Field(default_factory=lambda: getpass.getuser(), description="Actor in the audit log")
    # The web page (arende web).
    web_session_hours: int = Field(default=8, ge=1, le=168, description="A web session ends after this many idle hours")
    web_secure_cookies: bool = Field(
        default=False, description="Mark the session cookie Secure: set it where the page is served over HTTPS"
    )
    # Login through the municipality's OpenID Connect provider (arende.web.oidc).
    oidc_issuer: str | None = Field(
        default=None, max_length=500, pattern=r"^https?://\S+$", description="The provider's issuer URL"
    )
    oidc_client_id: str | None = Field(default=None, max_length=200, description="Ärende's client id at the provider")
    oidc_client_secret: SecretStr | None = Field(default=None, description="Its client secret (confidential client)")
    oidc_username_claim: str = Field(
        default="preferred_username", max_length=100, description="The ID token's claim that is the local user name"
    )
    oidc_strip_domain: bool = Field(default=True, description="anna.lind@kommun.se is the local user anna.lind")
    # argon2id's cost (RFC 9106's low-memory profile by default). A hash keeps the cost it
    # was made with; one made cheaper than these is made again at the next login.
    web_argon2_memory_kib: int = Field(default=65536, ge=32, le=4_194_304, description="argon2 memory per hash, KiB")
    web_argon2_time_cost: int = Field(default=3, ge=1, le=50, description="argon2 passes per hash")
    web_upload_max_mb: int = Field(default=25, ge=1, le=500, description="Largest document upload, in MB")
    web_upload_types: str = Field(
        default="pdf,docx,doc,odt,xlsx,ods,txt,jpg,jpeg,png,msg,eml",
        max_length=500,
        pattern=r"^[a-z0-9]{1,10}(,[a-z0-9]{1,10})*$",
        description="File name extensions a document upload may have, comma-separated",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        # Checked here, so a typo is one line at startup and not a traceback at the
        # first query; the URL itself is not repeated (it may hold a password).
        if not url:
            return url
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            backend = make_url(url).get_backend_name()
        except ArgumentError:
            raise ValueError("not a database URL such as postgresql+psycopg://user@host/db or sqlite:///path") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"{backend} is not supported; use PostgreSQL or SQLite")
        return url

    @field_validator("documents_dir")
    @classmethod
    def _one_folder_for_all(cls, value: Path | None) -> Path | None:
        # Stored paths are relative to this folder, so every process (worker, web page,
        # command line, on any machine) must name the same one: a relative path would mean
        # another folder in each working directory.
        if value is not None and not value.expanduser().is_absolute():
            raise ValueError(
                f"{value} is a relative path; give the documents folder every process shares as an absolute path"
            )
        return value

    @model_validator(mode="after")
    def _absolute_paths(self) -> Settings:
        # Stored document paths and the embedded database are fixed when the settings
        # load: a sender or an erasure run later from another directory finds the same
        # files (a relative `var` once sent decisions without their attachments).
        self.var_dir = self.var_dir.expanduser().absolute()
        if self.documents_dir is not None:
            self.documents_dir = self.documents_dir.expanduser().absolute()
        return self

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'arende.db'}"

    @property
    def effective_documents_dir(self) -> Path:
        return self.documents_dir or self.var_dir / "documents"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """For tests and the demo, which change the environment at run time."""
    get_settings.cache_clear()
