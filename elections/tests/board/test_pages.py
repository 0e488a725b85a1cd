"""What the board page, the tally, the minutes and the spreadsheet show."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from elections.board.services import election_certify, election_open, round_close
from elections.tests.board.test_flow import vote_for_a_tie

from .conftest import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied(council_election, council_candidates, voters, secretariat):
    board_round = election_open(election=council_election, actor=secretariat)
    vote_for_a_tie(board_round, voters, council_candidates)
    round_close(board_round=board_round, actor=secretariat)
    return council_election


def test_tally_page_shows_counts_arithmetic_and_the_runoff_action(client, secretariat, tied):
    login(client, secretariat)
    response = client.get(reverse("elections:election-results", args=[tied.pk]))
    page = response.content.decode()
    assert "Ballots cast: 7 = 7 valid + 0 invalid (more marks than seats) + 0 blank." in page
    assert "2 × 5 = 10 &gt; 7 → majority" in page
    assert "2 × 4 = 8 &gt; 7 → majority" in page
    assert 'id="start-runoff"' in page
    assert 'id="certify"' not in page
    assert "not certified yet" in page


def test_minutes_show_the_digest_and_print_styles(client, secretariat, tied):
    login(client, secretariat)
    poll = tied.rounds.get().poll
    page = client.get(reverse("elections:election-minutes", args=[tied.pk])).content.decode()
    assert poll.digest and poll.digest in page
    assert "board.css" in page
    css = (Path(settings.BASE_DIR) / "static" / "elections" / "board.css").read_text("utf-8")
    assert "@media print" in css


def test_results_workbook_has_chinese_headers_and_neutralised_text(
    client, secretariat, council_election, council_candidates, voters
):
    a, b, c = council_candidates
    a.person_name = '=HYPERLINK("http://x")'
    a.save()
    board_round = election_open(election=council_election, actor=secretariat)
    for user in voters:
        cast(user, board_round, {a.position: {a: "yes", b: "yes"}})
    round_close(board_round=board_round, actor=secretariat)
    election_certify(election=council_election, actor=secretariat)

    response = client.get(reverse("elections:election-results-xlsx", args=[council_election.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["说明", "计票结果", "汇总", "当选名单"]
    rows = list(book["计票结果"].values)
    assert rows[0] == (
        "轮次",
        "职位",
        "排名",
        "候选人",
        "所在单位",
        "同意票",
        "不同意票",
        "弃权票",
        "投票总数",
        "过半数所需票数",
        "结果",
    )
    by_name = {row[3]: row for row in rows[1:]}
    assert by_name['=HYPERLINK("http://x")'][5:] == (7, 0, 0, 7, 4, "当选")
    assert by_name[c.person_name][5:] == (0, 0, 7, 7, 4, "未当选")
    summary = list(book["汇总"].values)
    assert summary[1][:8] == ("第1轮", "理事", 2, 7, 7, 0, 0, 2)
    assert summary[1][8] == board_round.poll.digest
    elected = list(book["当选名单"].values)
    assert len(elected) == 3 and elected[1][3] == "第1届"


def test_board_page_shows_the_current_board_in_office_order_within_a_query_budget(
    client, council_election, council_candidates, voters, secretariat, django_assert_max_num_queries
):
    a, b, c = council_candidates
    board_round = election_open(election=council_election, actor=secretariat)
    for user in voters:
        cast(user, board_round, {a.position: {a: "yes", b: "yes"}})
    round_close(board_round=board_round, actor=secretariat)
    election_certify(election=council_election, actor=secretariat)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("elections:board"))
    page = response.content.decode()
    assert a.person_name in page and b.person_name in page
    assert c.person_name not in page
    assert "Term 1" in page
