"""Documents in force, their versions, and the difference between two versions."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.files import serve_file
from common.params import BadParameter, query_int, query_page
from members.roles import is_participant

from ..diffs import diff_rows
from ..models import Document, DocumentVersion

ADOPTION = (
    "version_in_force__adopted_by__meeting",
    "version_in_force__adopted_by__poll",
)


def _get_document(request, pk):
    """Documents in force are public; drafts never adopted only for members and the
    secretariat (they vote on them). Everyone else gets 404."""
    document = get_object_or_404(Document.objects.select_related(*ADOPTION), pk=pk)
    if document.version_in_force_id is None and not is_participant(request.user):
        raise Http404
    return document


@require_safe
def list_documents(request):
    documents = Document.objects.in_force().select_related(*ADOPTION).order_by("position", "pk")
    page = query_page(request, documents, 20)
    drafts = []
    if is_participant(request.user):
        drafts = Document.objects.filter(version_in_force__isnull=True).order_by("position", "pk")
    return render(request, "association/document_list.html", {"page": page, "drafts": drafts})


@require_safe
def show_document(request, pk):
    document = _get_document(request, pk)
    versions = document.versions.select_related("adopted_by__meeting").order_by("-number")
    page = query_page(request, versions, 20)
    return render(
        request,
        "association/document_detail.html",
        {
            "document": document,
            "in_force": document.version_in_force,
            "page": page,
            "version_numbers": list(
                document.versions.order_by("number").values_list("number", "label")
            ),
        },
    )


@require_safe
def show_document_version(request, pk, number):
    document = _get_document(request, pk)
    version = get_object_or_404(
        DocumentVersion.objects.select_related("adopted_by__meeting", "adopted_by__poll"),
        document=document,
        number=number,
    )
    motions = version.motions.select_related("meeting", "poll").order_by("meeting__starts_at")
    return render(
        request,
        "association/document_version.html",
        {"document": document, "version": version, "motions": motions},
    )


@require_safe
def download_document_version_pdf(request, pk, number):
    """The PDF of a version: public once the version was adopted (in force now or before);
    the PDF of a draft only for those who may read drafts."""
    document = _get_document(request, pk)
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    public = version.adopted_on is not None
    if not public and not is_participant(request.user):
        raise Http404
    return serve_file(
        version.pdf,
        public=public,
        download_name=f"{document.title}-v{version.number}.pdf",
    )


@require_safe
def compare_document_versions(request, pk):
    """?from=1&to=2 (by default the two newest versions); bad numbers get a clear message."""
    document = _get_document(request, pk)
    numbers = list(document.versions.order_by("number").values_list("number", flat=True))
    error = None
    old = new = None
    if len(numbers) < 2:
        error = _("This document has only one version, so there is nothing to compare.")
    else:
        try:
            old_number = query_int(request, "from", default=numbers[-2])
            new_number = query_int(request, "to", default=numbers[-1])
        except BadParameter:
            old_number = new_number = None
        if old_number not in numbers or new_number not in numbers:
            error = _("Choose two versions of this document to compare.")
        elif old_number == new_number:
            error = _("Choose two different versions to compare.")
        else:
            versions = {
                v.number: v for v in document.versions.filter(number__in=[old_number, new_number])
            }
            old, new = versions[old_number], versions[new_number]
    return render(
        request,
        "association/document_diff.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "rows": diff_rows(old.text, new.text) if old and new else [],
            "error": error,
            "version_numbers": list(
                document.versions.order_by("number").values_list("number", "label")
            ),
        },
        status=200,
    )
