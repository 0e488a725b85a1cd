"""The results workbook of a board election as an export job (association.jobs).

How big it can grow, and so when it is a job: its rows are those of the tally, never of
the ballots. 计票结果 has one row per candidate per round, 汇总 one per position per round,
当选名单 one per person elected (board.sheets.row_count). The ballots themselves are counted
by one pass of PostgreSQL per round (board.counting), which the results page does inside
its request too, however many ballots there are. So the threshold is the one every list
export has, EXPORT_IMMEDIATE_MAX_ROWS rows of the workbook: a real board election (15
理事 from 18 candidates, a run-off at most, about 40 rows) is written inside the request,
and only an election of thousands of candidates would be written by the worker.
"""

from django.conf import settings
from django.utils import translation

from common.exports import export

from . import sheets
from .models import Election
from .results import election_outcome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def needs_export_job(outcome):
    """Whether the workbook of `outcome` is too long to write inside a request."""
    return sheets.row_count(outcome) > settings.EXPORT_IMMEDIATE_MAX_ROWS


def may_have_results(user, *, election):
    """Whether `user` may have the results of the election `election` (an id)."""
    found = Election.objects.filter(pk=election).first()
    return found is not None and found.results_visible_to(user)


def results_filename(*, election):
    return f"election-{election}-results.xlsx"


@export(allowed=may_have_results, filename=results_filename, content_type=XLSX)
def results_workbook(target, *, progress, user, election):
    election = Election.objects.select_related("meeting", "term").get(pk=election)
    # For the association's records and the registration authority: Chinese.
    with translation.override("zh-hans"):
        sheets.write_results_workbook(
            target,
            election=election,
            outcome=election_outcome(election),
            generated_by=user,
            progress=progress,
        )
