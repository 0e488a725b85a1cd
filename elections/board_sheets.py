"""The results of a board election as an xlsx workbook, for the records and the authority.

Headers are Chinese, as the registration authority (民政局) reads them. Sheet 计票结果 has one
row per candidate per round; sheet 汇总 has the ballot counts per round and position and the
SHA-256 digest of each round's ballot set; sheet 当选名单 lists who was elected. Text cells
that a spreadsheet would run as a formula are neutralised by common.spreadsheets.
"""

from common.spreadsheets import Column, WorkbookWriter

from .board_models import Election

RESULTS_SHEET = "计票结果"
SUMMARY_SHEET = "汇总"
ELECTED_SHEET = "当选名单"

MARKS = {"elected": "当选", "runoff": "票数相等，另行选举", "not_elected": "未当选"}

RESULT_COLUMNS = [
    Column("轮次", 10),
    Column("职位", 12),
    Column("排名", 8),
    Column("候选人", 16),
    Column("所在单位", 30),
    Column("同意票", 10),
    Column("不同意票", 10),
    Column("弃权票", 10),
    Column("投票总数", 10),
    Column("过半数所需票数", 14),
    Column("结果", 16),
]
MARK_RESULT_COLUMNS = [
    Column("轮次", 10),
    Column("职位", 12),
    Column("排名", 8),
    Column("候选人", 16),
    Column("所在单位", 30),
    Column("得票数", 10),
    Column("投票总数", 10),
    Column("过半数所需票数", 14),
    Column("结果", 16),
]
SUMMARY_COLUMNS = [
    Column("轮次", 10),
    Column("职位", 12),
    Column("应选名额", 10),
    Column("投票总数", 10),
    Column("有效票", 10),
    Column("无效票", 10),
    Column("空白票", 10),
    Column("当选人数", 10),
    Column("选票集SHA-256", 70),
]
ELECTED_COLUMNS = [
    Column("职位", 12),
    Column("姓名", 16),
    Column("所在单位", 30),
    Column("届次", 10),
    Column("任期开始", 12, "yyyy-mm-dd"),
    Column("任期结束", 12, "yyyy-mm-dd"),
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
                counts = [counted.yes, counted.no, counted.abstain] if approve else [counted.yes]
                results.append(
                    [
                        label,
                        office,
                        counted.rank,
                        candidate.person_name,
                        candidate.unit_name,
                        *counts,
                        position.cast,
                        position.majority_needed,
                        MARKS[counted.status],
                    ]
                )
            summary.append(
                [
                    label,
                    office,
                    entry.seats,
                    position.cast,
                    position.valid,
                    position.invalid,
                    position.blank,
                    len(position.elected),
                    round_result.round.poll.digest,
                ]
            )
    elected = book.add_sheet(ELECTED_SHEET, ELECTED_COLUMNS)
    term = election.term
    for position_outcome in outcome.positions:
        for candidate in position_outcome.elected:
            elected.append(
                [
                    position_outcome.position.label,
                    candidate.person_name,
                    candidate.unit_name,
                    f"第{term.number}届",
                    term.starts_on,
                    term.ends_on,
                ]
            )
    book.save(target)
