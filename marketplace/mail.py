"""Outgoing mail through one of three backends: outbox folder (default), log, or SMTP.

Mail leaves through the job queue, and only once the change it tells of is committed."""

import logging
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from marketplace.jobs import job, jobs
from marketplace.unit_of_work import after_commit

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue a plain-text message once the current unit of work commits (never for a change that was undone); the
    job queue sends it and tries again while the mail server is down."""
    after_commit(lambda: jobs().deliver_mail(to, subject, body))


@job(retries=5, retry_delay=120)
def deliver_mail(to: str, subject: str, body: str) -> EmailMessage:
    """Build a plain-text message and hand it to the configured backend now (the mail job)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@etalase-umkm>"
    message.set_content(body)
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    elif backend == "log":
        log.info("mail to %s: %s\n%s", to, subject, body)
    else:
        outbox = Path(config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.eml"
        tmp = outbox / f".{name}.tmp"
        tmp.write_bytes(message.as_bytes())
        tmp.replace(outbox / name)
    return message


def outbox_messages(outbox_dir: str | Path) -> list[EmailMessage]:
    """Messages written to an outbox folder, oldest first (for tests and the CLI)."""
    from email import message_from_bytes, policy

    paths = sorted(Path(outbox_dir).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]
