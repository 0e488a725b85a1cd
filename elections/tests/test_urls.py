"""Every address of the elections app stays where users' links point, whatever its name."""

import pytest
from django.urls import get_resolver, resolve, reverse

# (URL name, arguments, the address users have links to)
ADDRESSES = [
    ("poll-list", [], "/polls/"),
    ("my-votes", [], "/polls/mine/"),
    ("poll", [7], "/polls/7/"),
    ("poll-confirm", [7], "/polls/7/confirm/"),
    ("poll-cast", [7], "/polls/7/cast/"),
    ("poll-bulletin", [7], "/polls/7/board/"),
    ("poll-bulletin-text", [7], "/polls/7/board.txt"),
    ("poll-results", [7], "/polls/7/results/"),
    ("manage-polls", [], "/polls/manage/"),
    ("audit-log", [], "/polls/manage/audit/"),
    ("manage-poll", [7], "/polls/manage/7/"),
    ("poll-turnout", [7], "/polls/manage/7/turnout.json"),
    ("poll-open", [7], "/polls/manage/7/open/"),
    ("poll-close", [7], "/polls/manage/7/close/"),
    ("poll-publish", [7], "/polls/manage/7/publish/"),
    ("poll-totals", [7], "/polls/manage/7/totals/"),
    ("poll-mail-retry", [7], "/polls/manage/7/mail/retry/"),
    ("board", [], "/board/"),
    ("manage-elections", [], "/elections/manage/"),
    ("election-create", [], "/elections/manage/new/"),
    ("election", [3], "/elections/3/"),
    ("election-results", [3], "/elections/3/results/"),
    ("election-results-xlsx", [3], "/elections/3/results.xlsx"),
    ("election-results-export-job", [3], "/elections/3/results/export-job/"),
    ("election-minutes", [3], "/elections/3/minutes/"),
    ("manage-election", [3], "/elections/3/manage/"),
    ("election-nominate", [3], "/elections/3/nominate/"),
    ("candidate-withdraw", [3, 5], "/elections/3/candidates/5/withdraw/"),
    ("election-open", [3], "/elections/3/open/"),
    ("election-close-round", [3], "/elections/3/close/"),
    ("election-runoff", [3], "/elections/3/runoff/"),
    ("election-certify", [3], "/elections/3/certify/"),
    ("candidate-photo", [5, "thumb"], "/elections/candidates/5/thumb/"),
]


@pytest.mark.parametrize(("name", "args", "address"), ADDRESSES)
def test_each_page_keeps_its_address(name, args, address):
    assert reverse(f"elections:{name}", args=args) == address
    assert resolve(address).view_name == f"elections:{name}"


def test_the_table_lists_every_page_of_the_app():
    _prefix, namespace = get_resolver().namespace_dict["elections"]
    named = {name for name in namespace.reverse_dict if isinstance(name, str)}
    assert named == {name for name, _args, _address in ADDRESSES}
