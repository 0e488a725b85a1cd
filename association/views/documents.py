"""Documents in force, their versions, and the difference between two versions."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.files import serve_file
from common.params import BadParameter, query_int, query_page

from ..access import document_for_user, documents_for
from ..diffs import diff_rows
from ..models import Document

ADOPTION = (
    "version_in_force__adopted_by__meeting",
    "version_in_force__adopted_by__poll",
)


def _get_document(request, pk):
    """The document and the versions of it the visitor may read (association.access):
    versions in force or once in force for everyone, drafts only for the secretariat and
    the members entitled at a meeting with the draft on its agenda. 404 when none."""
    return document_for_user(request, pk, documents=Document.objects.select_related(*ADOPTION))


def _version_numbers(versions):
    return list(versions.order_by("number").values_list("number", "label"))


@require_safe
def list_documents(request):
    documents = Document.objects.in_force().select_related(*ADOPTION).order_by("position", "pk")
    page = query_page(request, documents, 20)
    drafts = (
        documents_for(request.user).filter(version_in_force__isnull=True).order_by("position", "pk")
    )
    return render(request, "association/document_list.html", {"page": page, "drafts": drafts})


@require_safe
def show_document(request, pk):
    document, readable = _get_document(request, pk)
    versions = readable.select_related("adopted_by__meeting").order_by("-number")
    page = query_page(request, versions, 20)
    return render(
        request,
        "association/document_detail.html",
        {
            "document": document,
            "in_force": document.version_in_force,
            "page": page,
            "version_numbers": _version_numbers(readable),
        },
    )


@require_safe
def show_document_version(request, pk, number):
    document, readable = _get_document(request, pk)
    version = get_object_or_404(
        readable.select_related("adopted_by__meeting", "adopted_by__poll"), number=number
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
    the PDF of a draft only for those who may read the draft."""
    document, readable = _get_document(request, pk)
    version = get_object_or_404(readable, number=number)
    return serve_file(
        version.pdf,
        public=version.adopted_on is not None,
        download_name=f"{document.title}-v{version.number}.pdf",
    )


@require_safe
def compare_document_versions(request, pk):
    """?from=1&to=2 (by default the two newest versions); bad numbers get a clear message."""
    document, readable = _get_document(request, pk)
    numbers = list(readable.order_by("number").values_list("number", flat=True))
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
            versions = {v.number: v for v in readable.filter(number__in=[old_number, new_number])}
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
            "version_numbers": _version_numbers(readable),
        },
        status=200,
    )
