"""Export jobs: a big file built by the worker, with its progress, kept 24 hours.

A view calls export_job_start(export=..., actor=..., **params) instead of building the file
inside the request; the job's page shows the rows written of the total and, once ready, a
download link. The file is kept in private storage for EXPORT_KEEP_HOURS and then deleted
(by a task queued for that time: no cron). Only the person who asked sees the job, and
whether they may still have the file is asked again at every download.
"""

import datetime
import logging
import tempfile
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from common.exports import Export
from common.storage import get_private_storage

logger = logging.getLogger(__name__)


class ExportJob(models.Model):
    """A file being built for one person in the background, then kept for a day."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being written")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    export = models.CharField(_("kind of file"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to="exports/", blank=True
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    # The language of the request that asked for the file: the worker writes it in that
    # language, as the request would have (headers, 说明, choice labels).
    language = models.CharField(
        _("language"), max_length=15, default=settings.LANGUAGE_CODE, editable=False
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        app_label = "association"
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or self.export} · {self.get_state_display()}"

    @property
    def spec(self):
        return export_named(self.export)

    @property
    def percent(self):
        if self.state == self.State.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)

    @property
    def is_finished(self):
        return self.state in (self.State.READY, self.State.FAILED)

    def is_available(self, now=None):
        now = now or timezone.now()
        return (
            self.state == self.State.READY
            and bool(self.file)
            and (self.expires_at is None or now < self.expires_at)
        )

    def may_download(self, user):
        """The job's own requester, still allowed to have this file."""
        return self.requested_by_id == user.pk and self.spec.allowed(user, **self.params)


def export_named(path):
    spec = import_string(path)
    if not isinstance(spec, Export):
        raise TypeError(f"{path} is not an export")
    return spec


def export_job_start(*, export, actor, **params):
    """Queue the building of `export` with `params` (JSON) for `actor`, who must be allowed
    to have it. Returns the job; the worker starts on it once the transaction commits."""
    if not export.allowed(actor, **params):
        raise PermissionDenied
    with transaction.atomic():
        job = ExportJob.objects.create(
            export=export.path,
            params=params,
            requested_by=actor,
            filename=export.filename(**params),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        transaction.on_commit(lambda: export_build.enqueue(str(job.pk)))
    return job


@task()
def export_build(job_id):
    """Build the job's file, reporting progress on the job's row, and keep it a day."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.state != ExportJob.State.QUEUED:
        return "not queued"
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING)

    def progress(rows_written, total):
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows_written, rows_total=total)

    try:
        with tempfile.TemporaryFile() as output:
            with translation.override(job.language):
                job.spec.build(output, progress=progress, user=job.requested_by, **job.params)
            output.seek(0)
            job.refresh_from_db(fields=["rows_written", "rows_total"])
            job.file.save(f"{job.pk}.{job.filename.rpartition('.')[2]}", File(output), save=False)
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        job.state = ExportJob.State.FAILED
        job.error = f"{type(error).__name__}: {error}"[:1000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        return "failed"
    now = timezone.now()
    job.state = ExportJob.State.READY
    job.finished_at = now
    job.expires_at = now + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    job.save(update_fields=["state", "file", "finished_at", "expires_at"])
    export_expire.using(run_after=job.expires_at).enqueue(str(job.pk))
    return "ready"


@task()
def export_expire(job_id):
    """Delete the job's file and the job, once its time is up."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    if job.expires_at and timezone.now() < job.expires_at:
        export_expire.using(run_after=job.expires_at).enqueue(str(job.pk))
        return "later"
    if job.file:
        job.file.delete(save=False)
    job.delete()
    return "deleted"
