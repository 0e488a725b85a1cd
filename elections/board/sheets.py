"""The results of a board election as an xlsx workbook, for the records and the authority.

Headers are Chinese, as the registration authority (民政局) reads them. Sheet 计票结果 has one
row per candidate per round; sheet 汇总 has the ballot counts per round and position and the
SHA-256 digest of each round's ballot set; sheet 当选名单 lists who was elected. Text cells
that a spreadsheet would run as a formula are neutralised by common.spreadsheets.
"""

from dataclasses import dataclass
from operator import attrgetter

from common.spreadsheets import Column, WorkbookWriter

from .models import Election

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


def round_label(board_round):
    return "第1轮" if board_round.number == 1 else f"第{board_round.number}轮（另行选举）"


def write_results_workbook(target, *, election, outcome):
    approve = election.mode == Election.Mode.APPROVE
    book = WorkbookWriter()
    results = book.add_sheet(RESULTS_SHEET, RESULT_COLUMNS if approve else MARK_RESULT_COLUMNS)
    summary = book.add_sheet(SUMMARY_SHEET, SUMMARY_COLUMNS)
    for round_result in outcome.rounds:
        label = round_label(round_result.round)
        for entry, position, rows in round_result.rows():
            office = entry.position.label
            for candidate, counted in rows:
                results.append_record(ResultRow(label, office, candidate, counted, position))
            summary.append_record(
                SummaryRow(label, office, entry, position, round_result.round.poll.digest)
            )
    elected = book.add_sheet(ELECTED_SHEET, ELECTED_COLUMNS)
    for position_outcome in outcome.positions:
        for candidate in position_outcome.elected:
            elected.append_record(
                ElectedRow(position_outcome.position.label, candidate, election.term)
            )
    book.save(target)
