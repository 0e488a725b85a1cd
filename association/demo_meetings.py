"""Demo: the founding assembly of July 2023, its three documents, roll, attendance and votes.

Called by elections.demo (after the members demo, whose founding members make up the roll).
The charter was adopted by secret online ballot and the election rules on paper; the vote on
the fund-management rules is still open, so the member persona 陈静 (huiyuan@example.org),
who is on the roll and checked in, can try voting. Safe to run again: nothing is duplicated
and polls that already moved on are left as they are.
"""

import datetime

from django.utils import timezone

from elections.ballot_box.services import (
    CastRefused,
    ballot_cast,
    poll_close,
    poll_open,
    poll_publish,
    poll_totals_enter,
)
from elections.models import AuditEntry, Poll
from members.models import User

from .models import Document, DocumentVersion, Meeting, Motion
from .services import meeting_roll_freeze, motion_save

FOUNDED = datetime.date(2023, 7, 15)
MEETING_TITLE = "许昌市社会工作行业协会成立大会暨第一届会员代表大会第一次会议"
# The vote still open in the demo belongs to a meeting held today, whenever the demo is
# loaded: nothing from 2023 is left open.
SECOND_MEETING_TITLE = "第一届会员代表大会第二次会议"
OPEN_POLL_DAYS = 7

CHARTER_DRAFT = "\n".join(
    (
        "第一章 总则",
        "第一条 本会的名称为许昌市社会工作行业协会。",
        "第二条 本会是由全市社会工作服务机构、社会组织、高等院校和社会工作者自愿"
        "结成的行业性、非营利性社会组织。",
        "第三条 本会的宗旨是：遵守宪法、法律、法规和国家政策，践行社会主义核心价"
        "值观，团结全市社会工作者，推动社会工作专业化、职业化发展。",
        "第四条 本会接受登记管理机关许昌市民政局的业务指导和监督管理。",
        "第二章 业务范围",
        "第五条 本会开展行业自律、人才培养、服务评估和政策研究，协助推进乡镇（街道）社工站建设。",
        "第三章 会员",
        "第六条 本会的会员种类为单位会员和个人会员。",
        "第七条 会员连续一年不缴纳会费且不参加本会活动的，视为自动退会。",
        "第四章 组织机构",
        "第八条 本会的最高权力机构是会员代表大会。会员代表大会须有三分之二以上的"
        "会员代表出席方能召开，其决议须经到会会员代表半数以上表决通过方能生效。",
        "第九条 制定和修改章程，须经到会会员代表三分之二以上表决通过。",
        "第十条 理事会是会员代表大会的执行机构，须有三分之二以上理事出席方能召开"
        "，其决议须经到会理事三分之二以上表决通过方能生效。",
    )
)

CHARTER_AMENDMENT = CHARTER_DRAFT.replace(
    "协助推进乡镇（街道）社工站建设。",
    "协助推进乡镇（街道）社工站建设，开展社会工作宣传和志愿服务。",
).replace(
    "第七条 会员连续一年不缴纳会费且不参加本会活动的，视为自动退会。",
    "第七条 会员连续一年不缴纳会费且不参加本会活动的，视为自动退会。\n"
    "第八条 会员退会应书面通知本会，并交回会员证。",
)

ELECTION_RULES = "\n".join(
    (
        "第一条 为规范本会理事会、会长、副会长和秘书长的选举，根据本会章程，制定本办法。",
        "第二条 选举采用无记名投票方式，实行差额选举，候选人人数应多于应选人数。",
        "第三条 选票对每名候选人可以表示同意、不同意或者弃权；所选人数多于应选人"
        "数的选票，对该职位无效。",
        "第四条 候选人获得的同意票超过投票人数的二分之一，并在应选名额内按得票多少依次当选。",
        "第五条 得票相等不能确定当选人时，应当就票数相等的候选人再次投票。",
        "第六条 计票结果由监票人、计票人签字确认后当场公布。",
    )
)

FUND_RULES = "\n".join(
    (
        "第一条 为加强本会资金管理，提高资金使用效益，根据国家有关规定和本会章程，制定本办法。",
        "第二条 本会资金来源包括会费、捐赠、政府购买服务收入和其他合法收入。",
        "第三条 本会资金应当用于章程规定的业务范围和事业发展，不得在会员中分配。",
        "第四条 单笔支出五万元以上的，须经理事会集体研究决定。",
        "第五条 本会财务每年接受审计，审计结果向会员代表大会报告。",
    )
)

# (document title, kind, position, [(label, text, created on)])
DOCUMENTS = [
    (
        "许昌市社会工作行业协会章程",
        Document.Kind.CHARTER,
        1,
        [
            ("草案", CHARTER_DRAFT, datetime.date(2023, 6, 20)),
            ("修订草案", CHARTER_AMENDMENT, datetime.date(2026, 9, 1)),
        ],
    ),
    (
        "许昌市社会工作行业协会选举办法",
        Document.Kind.ELECTION_RULES,
        2,
        [("草案", ELECTION_RULES, datetime.date(2023, 6, 20))],
    ),
    (
        "许昌市社会工作行业协会资金管理使用办法",
        Document.Kind.FUND_RULES,
        3,
        [("草案", FUND_RULES, datetime.date(2023, 6, 20))],
    ),
]

# (number, title, kind, document index, method, plan)
MOTIONS = [
    (1, "审议《许昌市社会工作行业协会章程（草案）》", Motion.Kind.CHARTER, 0, "online", "publish"),
    (
        2,
        "审议《许昌市社会工作行业协会选举办法（草案）》",
        Motion.Kind.RESOLUTION,
        1,
        "analog",
        "publish",
    ),
    (
        1,
        "审议《许昌市社会工作行业协会资金管理使用办法（草案）》",
        Motion.Kind.RESOLUTION,
        2,
        "online",
        "open",
    ),
]


def _at(hour, minute=0, day=FOUNDED):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _documents():
    documents = []
    for title, kind, position, versions in DOCUMENTS:
        document, _created = Document.objects.get_or_create(
            title=title, defaults={"kind": kind, "position": position}
        )
        for number, (label, text, created_on) in enumerate(versions, start=1):
            DocumentVersion.objects.get_or_create(
                document=document,
                number=number,
                defaults={
                    "label": label,
                    "text": text,
                    "created_at": _at(10, day=created_on),
                },
            )
        documents.append(document)
    return documents


def _meeting(secretary, *, second=False):
    """The founding assembly of 2023, or (second=True) the assembly held today."""
    today = timezone.localdate()
    meeting, _created = Meeting.objects.get_or_create(
        title=SECOND_MEETING_TITLE if second else MEETING_TITLE,
        defaults={
            "body": Meeting.Body.GENERAL_ASSEMBLY,
            "starts_at": _at(9, day=today) if second else _at(9),
            "place": "许昌市魏都区示范路1号 协会会议中心",
            "mode": Meeting.Mode.HYBRID if second else Meeting.Mode.IN_PERSON,
        },
    )
    if not meeting.roll_frozen:
        meeting_roll_freeze(meeting=meeting, actor=secretary)
        if second:  # check-in stays open at the meeting of today
            meeting.roll_frozen_at = _at(8, day=today)
            meeting.save(update_fields=["roll_frozen_at"])
        else:
            meeting.roll_frozen_at = _at(9, day=FOUNDED - datetime.timedelta(days=5))
            meeting.check_in_open = False
            meeting.save(update_fields=["roll_frozen_at", "check_in_open"])
        # Presence is set directly: members.demo already records the founding assembly as
        # each founding member's activity, on its real date.
        entries = list(meeting.roll.order_by("pk"))
        for index, entry in enumerate(entries):
            if len(entries) < 9 or index % 9 != 8 or entry.user.email == "huiyuan@example.org":
                entry.present_at = _at(8, 15 + index % 40, day=meeting.held_on)
                entry.checked_in_by = secretary
        meeting.roll.bulk_update(entries, ["present_at", "checked_in_by"])
    return meeting


def _vote(index):
    if index % 13 == 5:
        return "abstain"
    if index % 17 == 3:
        return "no"
    return "yes"


def _run(poll, method, plan, secretary, slot):
    """Move a draft poll along its demo plan, then date it to its meeting's day."""
    if poll.state != Poll.State.DRAFT:
        return
    day = poll.meeting.held_on
    if plan == "open":
        # Open for a week from the meeting of today, dated relative to the day of loading.
        Poll.objects.filter(pk=poll.pk).update(
            closes_at=_at(17, day=day + datetime.timedelta(days=OPEN_POLL_DAYS))
        )
        poll.refresh_from_db()
    poll_open(poll=poll, actor=secretary, notify=False)
    present = list(poll.meeting.roll.filter(present_at__isnull=False).order_by("pk"))
    if method == "online" and plan == "publish":
        for index, entry in enumerate(present):
            try:
                ballot_cast(poll=poll, actor=entry.user, choices={"vote": _vote(index)})
            except CastRefused:
                continue  # lapsed since: today's standing is checked at casting
    if plan == "publish":
        poll_close(poll=poll, actor=secretary)
        if method == "analog":
            count = len(present)
            no, abstain = (1, 2) if count >= 10 else (0, 0)
            poll_totals_enter(
                poll=poll,
                actor=secretary,
                totals={"yes": count - no - abstain, "no": no, "abstain": abstain},
            )
        poll_publish(poll=poll, actor=secretary, notify=False)
    opened = _at(10 + slot // 2, 30 * (slot % 2), day=day)
    times = {"opened_at": opened}
    if plan == "publish":
        times["closed_at"] = opened + datetime.timedelta(minutes=20)
        times["published_at"] = opened + datetime.timedelta(minutes=25)
    Poll.objects.filter(pk=poll.pk).update(**times)
    _date_audit_entries(poll, times)


def _date_audit_entries(poll, times):
    at = {
        AuditEntry.Action.POLL_OPENED: times.get("opened_at"),
        AuditEntry.Action.POLL_CLOSED: times.get("closed_at"),
        AuditEntry.Action.TOTALS_ENTERED: times.get("closed_at"),
        AuditEntry.Action.RESULTS_PUBLISHED: times.get("published_at"),
        AuditEntry.Action.VERSION_IN_FORCE: times.get("published_at"),
    }
    for action, moment in at.items():
        if moment is not None:
            AuditEntry.objects.filter(poll=poll, action=action).update(at=moment)
    DocumentVersion.objects.filter(adopted_by__poll=poll).update(adopted_on=FOUNDED)


def seed(*, log):
    secretary = User.objects.filter(email="mishu@example.org").first()
    documents = _documents()
    meeting = _meeting(secretary)
    second = _meeting(secretary, second=True)
    for held in (meeting, second):
        AuditEntry.objects.filter(meeting=held, action=AuditEntry.Action.ROLL_FROZEN).update(
            at=held.roll_frozen_at
        )
    for slot, (number, title, kind, document_index, method, plan) in enumerate(MOTIONS):
        meeting_of_motion = second if plan == "open" else meeting
        motion = Motion.objects.filter(meeting=meeting_of_motion, number=number).first()
        if motion is None:
            motion = motion_save(
                motion=Motion(
                    meeting=meeting_of_motion,
                    number=number,
                    title=title,
                    kind=kind,
                    text="请各位会员代表审议。",
                    document_version=documents[document_index].versions.get(number=1),
                ),
                method=Poll.Method.ANALOG if method == "analog" else Poll.Method.ONLINE,
            )
        _run(motion.poll, method, plan, secretary, slot)
    present = meeting.roll.filter(present_at__isnull=False).count()
    log(
        f"association: {len(documents)} documents, the founding assembly "
        f"({present} present of {meeting.roll.count()}), {len(MOTIONS)} motions"
    )
