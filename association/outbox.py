"""The outbox: every e-mail the portal sends, queued on commit and sent by the worker.

A service calls send_on_commit(mailing, topic=..., **params) inside its transaction. Once
that commits, one task is queued; the worker asks the mailing for its recipients, writes
one OutboxMessage per recipient and sends them in small batches, each message on its own:
a refusal is retried later with a growing delay (OUTBOX_RETRY_DELAYS) and, when the
retries run out, the message is marked failed with the last error. The action that caused
the mail never waits for the SMTP server and is never undone by it.

A message row keeps its address, state, attempts and last error, and the ids it is
composed from; never a subject or a body. The ids are cleared once the message is sent.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from common.mail import Mailing, one_line

logger = logging.getLogger(__name__)

# Messages sent by one task over one SMTP connection.
BATCH_SIZE = 20


class OutboxMessage(models.Model):
    """One e-mail to one address: queued, sent or failed, with its attempts and last error."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    mailing = models.CharField(_("kind of e-mail"), max_length=200)
    params = models.JSONField(_("composed from"), default=dict, blank=True)
    key = models.JSONField(_("recipient key"), null=True, blank=True)
    to = models.EmailField(_("address"), max_length=254)
    topic = models.CharField(_("about"), max_length=64, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        app_label = "association"
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.to} · {self.kind}"

    @property
    def kind(self):
        """The mailing's name, e.g. poll_opened."""
        return self.mailing.rpartition(".")[2]

    def compose(self):
        return mailing_named(self.mailing).message(self.key, **self.params)


def mailing_named(path):
    mailing = import_string(path)
    if not isinstance(mailing, Mailing):
        raise TypeError(f"{path} is not a mailing")
    return mailing


def send_on_commit(mailing, *, topic="", recipients=None, **params):
    """Once the current transaction commits, queue `mailing` with `params` (JSON).

    The worker lists the recipients then; a caller that knows them already (and whose
    params should not sit in the task queue: allauth's links) passes `recipients`, a list
    of (address, key), and the messages are written at the commit.
    """

    def enqueue():
        if recipients is None:
            outbox_expand.enqueue(mailing.path, params, topic)
        else:
            _queue(mailing.path, params, topic, recipients)

    transaction.on_commit(enqueue)


def _queue(path, params, topic, recipients):
    with transaction.atomic():
        messages = OutboxMessage.objects.bulk_create(
            OutboxMessage(mailing=path, params=params, key=key, to=address, topic=topic)
            for address, key in recipients
            if address
        )
        for start in range(0, len(messages), BATCH_SIZE):
            outbox_deliver.enqueue([message.pk for message in messages[start : start + BATCH_SIZE]])
    return messages


@task()
def outbox_expand(path, params, topic):
    """Write one message per recipient of the mailing and queue them in batches."""
    try:
        recipients = mailing_named(path).recipients(**params)
    except ObjectDoesNotExist:
        # What the mailing was about is gone: there is nobody left to tell.
        return 0
    return len(_queue(path, params, topic, recipients))


def _retry_delay(attempts):
    """Seconds before the next attempt after `attempts` failures, or None: give up."""
    delays = settings.OUTBOX_RETRY_DELAYS
    return delays[attempts - 1] if attempts <= len(delays) else None


class Nothing(Exception):
    """The mailing has no message for this recipient any more."""


def _describe(error):
    return f"{type(error).__name__}: {error}"[:1000]


@task()
def outbox_deliver(ids):
    """Send the queued messages `ids`, each once: a message another worker has sent, or is
    sending (its row is locked), is left alone."""
    connection = None
    sent = 0
    for pk in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=OutboxMessage.State.QUEUED)
                .first()
            )
            if message is None:
                continue
            message.attempts += 1
            message.attempted_at = timezone.now()
            try:
                with transaction.atomic():
                    email = message.compose()
                if email is None:
                    raise Nothing(_("There is nothing to tell this address any more."))
                email.subject = one_line(email.subject)
                email.to, email.cc, email.bcc = [message.to], [], []
                if connection is None:
                    connection = get_connection()
                    connection.open()  # one connection for the batch
                connection.send_messages([email])
            except (ObjectDoesNotExist, Nothing) as error:
                # What the message was about is gone: retrying would not bring it back.
                message.state = OutboxMessage.State.FAILED
                message.last_error = _describe(error)
            except Exception as error:
                logger.warning("E-mail %s to %s failed: %s", message.pk, message.to, error)
                if connection is not None:
                    connection.close()
                    connection = None
                message.last_error = _describe(error)
                delay = _retry_delay(message.attempts)
                if delay is None:
                    message.state = OutboxMessage.State.FAILED
                else:
                    outbox_deliver.using(
                        run_after=timezone.now() + datetime.timedelta(seconds=delay)
                    ).enqueue([message.pk])
            else:
                message.state = OutboxMessage.State.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                message.params = {}
                sent += 1
            message.save()
    if connection is not None:
        connection.close()
    return sent


def outbox_counts(topic):
    """{"queued": n, "sent": n, "failed": n} of the messages about `topic`."""
    State = OutboxMessage.State
    return OutboxMessage.objects.filter(topic=topic).aggregate(
        queued=Count("pk", filter=Q(state=State.QUEUED)),
        sent=Count("pk", filter=Q(state=State.SENT)),
        failed=Count("pk", filter=Q(state=State.FAILED)),
    )


def outbox_retry(*, messages, actor):
    """Queue the failed ones among `messages` (a queryset) again, for a new round of
    attempts. Returns how many."""
    with transaction.atomic():
        ids = list(
            messages.select_for_update()
            .filter(state=OutboxMessage.State.FAILED)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxMessage.State.QUEUED, attempts=0
        )
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            transaction.on_commit(lambda batch=batch: outbox_deliver.enqueue(batch))
    logger.info("%s queued %s failed e-mail(s) again", actor, len(ids))
    return len(ids)
