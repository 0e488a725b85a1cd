"""The results of a board election as an xlsx workbook, for the records and the authority.

Headers are Chinese, as the registration authority (民政局) reads them. Sheet 说明 says what
the file is (the election, its meeting and term, whether the results are certified, when
and by whom the file was made, the rule of election, what each sheet holds); sheet 计票结果
has one row per candidate per round; sheet 汇总 has the ballot counts per round and
position and the SHA-256 digest of each round's ballot set; sheet 当选名单 lists who was
elected. The three tables print landscape, one page wide, with the title in the page
header and the header row on every page. Text cells that a spreadsheet would run as a
formula are neutralised by common.spreadsheets.
"""

import datetime
from dataclasses import dataclass
from operator import attrgetter

from django.utils import timezone

from association.models import AssociationProfile
from common.exports import Progress
from common.spreadsheets import Column, Printing, WorkbookWriter
from common.spreadsheets.writing import made_notes

from .models import Election

NOTES_SHEET = "说明"
RESULTS_SHEET = "计票结果"
SUMMARY_SHEET = "汇总"
ELECTED_SHEET = "当选名单"

MARKS = {"elected": "当选", "runoff": "票数相等，另行选举", "not_elected": "未当选"}

# Each sheet's columns: header, width, number format and where its cell comes from. A row of
# 计票结果 is a ResultRow, of 汇总 a SummaryRow, of 当选名单 an ElectedRow.


@dataclass
class ResultRow:
    round_label: str
    office: str
    candidate: object
    counted: object  # the candidate's counts in the round
    position: object  # the position's counts in the round


@dataclass
class SummaryRow:
    round_label: str
    office: str
    entry: object  # the round's position: its seats
    position: object  # the position's counts in the round
    digest: str


@dataclass
class ElectedRow:
    office: str
    candidate: object
    term: object


_LEADING = [
    Column("轮次", 10, value=attrgetter("round_label")),
    Column("职位", 12, value=attrgetter("office")),
    Column("排名", 8, value=attrgetter("counted.rank")),
    Column("候选人", 16, value=attrgetter("candidate.person_name")),
    Column("所在单位", 30, value=attrgetter("candidate.unit_name")),
]
_TRAILING = [
    Column("投票总数", 10, value=attrgetter("position.cast")),
    Column("过半数所需票数", 14, value=attrgetter("position.majority_needed")),
    Column("结果", 16, value=lambda row: MARKS[row.counted.status]),
]
RESULT_COLUMNS = [
    *_LEADING,
    Column("同意票", 10, value=attrgetter("counted.yes")),
    Column("不同意票", 10, value=attrgetter("counted.no")),
    Column("弃权票", 10, value=attrgetter("counted.abstain")),
    *_TRAILING,
]
MARK_RESULT_COLUMNS = [*_LEADING, Column("得票数", 10, value=attrgetter("counted.yes")), *_TRAILING]
SUMMARY_COLUMNS = [
    Column("轮次", 10, value=attrgetter("round_label")),
    Column("职位", 12, value=attrgetter("office")),
    Column("应选名额", 10, value=attrgetter("entry.seats")),
    Column("投票总数", 10, value=attrgetter("position.cast")),
    Column("有效票", 10, value=attrgetter("position.valid")),
    Column("无效票", 10, value=attrgetter("position.invalid")),
    Column("空白票", 10, value=attrgetter("position.blank")),
    Column("当选人数", 10, value=lambda row: len(row.position.elected)),
    Column("选票集SHA-256", 70, value=attrgetter("digest")),
]
ELECTED_COLUMNS = [
    Column("职位", 12, value=attrgetter("office")),
    Column("姓名", 16, value=attrgetter("candidate.person_name")),
    Column("所在单位", 30, value=attrgetter("candidate.unit_name")),
    Column("届次", 10, value=lambda row: f"第{row.term.number}届"),
    Column("任期开始", 12, "yyyy-mm-dd", attrgetter("term.starts_on")),
    Column("任期结束", 12, "yyyy-mm-dd", attrgetter("term.ends_on")),
]


ELECTION_RULE = (
    "得票超过投票总数的一半（2 × 得票数 > 投票总数）且按得票排名在应选名额之内的候选人当选。"
    "空白票和对某一职位标记过多的选票计入投票总数。末位票数相等时，在票数相等的候选人中"
    "另行选举（另一轮）。"
)
BALLOTS = {
    Election.Mode.APPROVE: "每名候选人可投同意、不同意或弃权；计票结果表列出三种票数。",
    Election.Mode.MARK: "每个职位最多标记与应选名额相同数量的候选人；计票结果表列出得票数。",
}
SHEET_CONTENTS = [
    (RESULTS_SHEET, "每轮每个职位的每名候选人一行：排名、得票、投票总数、过半数所需票数、结果。"),
    (
        SUMMARY_SHEET,
        "每轮每个职位一行：应选名额、投票总数、有效票、无效票、空白票、当选人数，及该轮选票集"
        "的 SHA-256 摘要（与公告栏可下载的选票集文件的 sha256sum 一致）。",
    ),
    (ELECTED_SHEET, "各轮当选的人，及其届次与任期。"),
]


def round_label(board_round):
    return "第1轮" if board_round.number == 1 else f"第{board_round.number}轮（另行选举）"


def workbook_title(election):
    return f"{election.title}计票结果"


def row_count(outcome):
    """The rows of the workbook's tables (header rows not included), from its outcome."""
    rows = 0
    for round_result in outcome.rounds:
        for _entry, _position, candidates in round_result.rows():
            rows += len(candidates) + 1
    return rows + sum(len(p.elected) for p in outcome.positions)


def _notes(election, *, generated_at, generated_by, association):
    term = election.term
    meeting = election.meeting
    if election.is_certified:
        state = f"已确认（{timezone.localtime(election.certified_at):%Y-%m-%d %H:%M}），结果已锁定"
    else:
        state = "尚未确认：供秘书处预览，结果可能因另行选举而变化"
    return [
        ("选举", election.title),
        ("会议", f"{meeting.title}（{meeting.held_on.isoformat()}）"),
        (
            "届次",
            f"第{term.number}届（{term.starts_on.isoformat()} 至 {term.ends_on.isoformat()}）",
        ),
        ("状态", state),
        *made_notes(
            generated_at=generated_at,
            generated_by=generated_by or "公开下载",
            association=association,
        ),
        ("当选规则", ELECTION_RULE),
        ("选票", BALLOTS[election.mode]),
        *((f"{title}表", text) for title, text in SHEET_CONTENTS),
    ]


def write_results_workbook(
    target, *, election, outcome, generated_by=None, generated_at=None, progress=None
):
    """The results workbook of `election` from its `outcome` (board.results). `generated_by`
    is the user who asked (None: a visitor, results being public once certified).
    `progress(rows_written, total)`, if given, is called every 1000 rows and at the end."""
    approve = election.mode == Election.Mode.APPROVE
    generated_at = generated_at or timezone.now()
    association = AssociationProfile.current().name
    title = workbook_title(election)
    done = Progress(progress, row_count(outcome))
    book = WorkbookWriter()
    properties = {
        "title": title,
        "subject": "换届选举计票结果",
        # XlsxWriter writes the time as UTC.
        "created": generated_at.astimezone(datetime.UTC).replace(tzinfo=None),
    }
    if association:
        properties.update(author=association, company=association)
    book.set_properties(**properties)
    book.add_notes_sheet(
        NOTES_SHEET,
        title,
        _notes(
            election,
            generated_at=generated_at,
            generated_by=generated_by,
            association=association,
        ),
    )
    results = book.add_sheet(
        RESULTS_SHEET,
        RESULT_COLUMNS if approve else MARK_RESULT_COLUMNS,
        printing=Printing(title, autofilter=True),
    )
    summary = book.add_sheet(SUMMARY_SHEET, SUMMARY_COLUMNS, printing=Printing(title))
    for round_result in outcome.rounds:
        label = round_label(round_result.round)
        for entry, position, rows in round_result.rows():
            office = entry.position.label
            for candidate, counted in rows:
                results.append_record(ResultRow(label, office, candidate, counted, position))
                done.add()
            summary.append_record(
                SummaryRow(label, office, entry, position, round_result.round.poll.digest)
            )
            done.add()
    elected = book.add_sheet(ELECTED_SHEET, ELECTED_COLUMNS, printing=Printing(title))
    for position_outcome in outcome.positions:
        for candidate in position_outcome.elected:
            elected.append_record(
                ElectedRow(position_outcome.position.label, candidate, election.term)
            )
            done.add()
    book.save(target)
    done.finish()
