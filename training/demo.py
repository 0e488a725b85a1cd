"""Demo continuing education (development only), after the members demo.

The founding seminar of 2023-07-15 (许昌市乡镇（街道）社工站建设研讨会) with its lectures and
its eleven speakers from the province and beyond; an expert pool in the fields the
association works in; past trainings whose hours are credited to members; an upcoming course
with open registration, an upcoming lecture that is full with a waiting list, and a
members-only supervision workshop; registration periods of members both short of and past
the requirement (the member persona 陈静 is short, with half a year left); hours earned
elsewhere waiting for review, approved and refused. The city civil-affairs viewer is given
access to the hours report; the county viewer is not.

Idempotent: rows are found by their natural keys and only created when missing. Dates of
later trainings and periods are relative to the day of the first run.
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from members import roles
from members.demo import demo_user
from members.models import Member, Qualification, User
from members.services import member_record_activity

from .models import (
    Attendance,
    Expert,
    OutsideHours,
    Registration,
    RegistrationPeriod,
    Session,
    Topic,
    Training,
    add_years,
)
from .services import certificate_for_training

FOUNDED = datetime.date(2023, 7, 15)
SEMINAR = "许昌市乡镇（街道）社工站建设研讨会"
TOPICS = [
    "社工站建设",
    "社区治理",
    "心理咨询",
    "家庭教育指导",
    "社会关护",
    "法律",
    "督导",
    "养老服务",
]

# (name, title, organisation, fields, biography)
EXPERTS = [
    ("王建华", "教授", "郑州大学社会学与社会工作系", ["社工站建设", "社区治理"],
     "长期研究基层社会治理与乡镇（街道）社工站建设，参与多省社工站建设评估。"),
    ("陈立新", "教授", "北京师范大学社会发展与公共政策学院", ["社工站建设", "督导"],
     "社会工作督导与专业人才培养研究者，主持多项全国社工站建设课题。"),
    ("刘晓燕", "副教授", "华中科技大学社会学院", ["社区治理", "养老服务"],
     "关注城乡社区治理与社区养老服务体系建设。"),
    ("李明远", "副教授", "河南师范大学社会事业学院", ["社工站建设", "社区治理"],
     "河南省社工站建设第三方评估专家。"),
    ("张慧", "高级社会工作师", "河南省社会工作协会", ["社工站建设", "督导"],
     "从事一线社会工作与督导十五年，指导全省多个示范社工站。"),
    ("赵文杰", "高级社会工作师", "郑州市心连心社会工作服务中心", ["督导", "社区治理"],
     "机构负责人，擅长社工站项目运营与团队督导。"),
    ("黄静", "讲师", "许昌学院社会工作系", ["社工站建设", "家庭教育指导"],
     "许昌本地社工站建设的研究者与实务督导。"),
    ("何伟", "教授", "华东理工大学社会与公共管理学院", ["社区治理"],
     "社区营造与基层治理创新研究。"),
    ("马志强", "社会工作师", "洛阳市民政局社会工作科", ["社工站建设"],
     "洛阳市社工站建设实践的组织者之一。"),
    ("孙丽华", "国家二级心理咨询师", "许昌市心理卫生协会", ["心理咨询"],
     "从事心理咨询与危机干预工作二十年。"),
    ("周敏", "家庭教育指导师", "许昌市家庭教育研究会", ["家庭教育指导"],
     "为社区家长学校、社工站提供家庭教育指导课程。"),
    ("吴海涛", "律师", "河南明理律师事务所", ["法律"],
     "专注未成年人保护、婚姻家庭与社会组织法律事务。"),
    ("郭春燕", "社会工作师", "晋城市少年审判社会工作服务中心", ["社会关护", "法律"],
     "未成年人社会关护与司法社会工作实务专家。"),
    ("冯雪梅", "高级社会工作师", "许昌职业技术学院", ["督导", "养老服务"],
     "老年社会工作与机构督导。"),
]  # fmt: skip
# Kept out of the public pool: an internal supervisor.
HIDDEN_EXPERT = (
    "宋建国",
    "高级社会工作师",
    "许昌市阳光社会工作服务中心",
    ["督导"],
    "机构内部督导。",
)

# The founding seminar's programme: (start, end, hours, title, speakers)
SEMINAR_SESSIONS = [
    ("13:30", "14:30", "1.0", "乡镇（街道）社工站建设的政策与路径", ["王建华"]),
    ("14:30", "15:30", "1.0", "社工站专业督导体系建设", ["陈立新"]),
    ("15:40", "16:40", "1.0", "以社工站为平台推进基层社会治理", ["刘晓燕"]),
    ("16:40", "17:40", "1.0", "河南省社工站建设评估发现", ["李明远"]),
    ("18:30", "20:00", "1.5", "研讨交流：许昌社工站的下一步",
     ["张慧", "赵文杰", "黄静", "何伟", "马志强", "郭春燕", "冯雪梅"]),
]  # fmt: skip

NON_MEMBERS = [
    ("shegong01@example.org", "田园"),
    ("shegong02@example.org", "范晓琳"),
    ("shegong03@example.org", "石磊"),
]


def _aware(day, clock):
    hour, minute = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Seeder:
    def __init__(self, log):
        self.log = log
        self.today = timezone.localdate()
        self.secretary = User.objects.filter(email="mishu@example.org").first()
        self.topics = {}
        self.experts = {}
        self.created = 0

    def pool(self):
        for position, name in enumerate(TOPICS):
            self.topics[name], _ = Topic.objects.get_or_create(
                name=name, defaults={"position": position}
            )
        for index, (name, title, organisation, fields, biography) in enumerate(
            [*EXPERTS, HIDDEN_EXPERT]
        ):
            expert, created = Expert.objects.get_or_create(
                name=name,
                organisation=organisation,
                defaults={
                    "title": title,
                    "biography": biography,
                    "is_public": (name, title, organisation, fields, biography) != HIDDEN_EXPERT,
                    "phone": f"1390374{index:04d}",
                    "email": f"expert{index:02d}@example.org",
                },
            )
            if created:
                expert.topics.set([self.topics[field] for field in fields])
            self.experts[name] = expert

    def training(self, title, *, kind, topics, sessions, **fields):
        """The training named `title`, created with its sessions when missing; None if it
        already existed (nothing else is added to it then)."""
        if Training.objects.filter(title=title).exists():
            return None
        training = Training(title=title, kind=kind, is_published=True, **fields)
        training.full_clean()
        training.save()
        training.topics.set([self.topics[name] for name in topics])
        for day, start, end, hours, session_title, speakers in sessions:
            session = Session(
                training=training,
                title=session_title,
                date=day,
                starts_at=datetime.time.fromisoformat(start),
                ends_at=datetime.time.fromisoformat(end),
                hours=Decimal(hours),
            )
            session.full_clean()
            session.save()
            session.speakers.set([self.experts[name] for name in speakers])
        self.created += 1
        return training

    def attend(self, training, users, *, sessions=None):
        """Past registrations and attendance, checked in at the sessions' times, each an
        activity of the attendee's memberships (as a check-in records it)."""
        first = training.sessions.order_by("date", "starts_at").first()
        registered_at = first.begins_at - datetime.timedelta(days=14)
        chosen = list(training.sessions.all()) if sessions is None else sessions
        for offset, user in enumerate(users):
            Registration.objects.get_or_create(
                training=training,
                user=user,
                defaults={
                    "status": Registration.Status.CONFIRMED,
                    "created_at": registered_at + datetime.timedelta(minutes=offset),
                    "confirmed_at": registered_at + datetime.timedelta(minutes=offset),
                },
            )
            memberships = list(Member.objects.active().filter(user=user))
            for session in chosen:
                Attendance.objects.get_or_create(
                    session=session,
                    user=user,
                    defaults={
                        "hours": session.hours,
                        "checked_in_at": session.begins_at + datetime.timedelta(minutes=5),
                        "source": Attendance.Source.SELF,
                        "recorded_by": user,
                    },
                )
                for member in memberships:
                    member_record_activity(
                        member=member,
                        on=session.date,
                        description=f"参加继续教育：{training.title}",
                    )

    def register(self, training, users, *, start):
        for offset, user in enumerate(users):
            at = start + datetime.timedelta(hours=offset)
            has_seat = training.capacity is None or offset < training.capacity
            Registration.objects.get_or_create(
                training=training,
                user=user,
                defaults={
                    "status": "confirmed" if has_seat else "waiting",
                    "created_at": at,
                    "confirmed_at": at if has_seat else None,
                },
            )

    def days(self, offset):
        return self.today + datetime.timedelta(days=offset)

    def people(self):
        """The persona 陈静, certified individual members in good standing (the members demo
        decides who has lapsed, and attending a training must not change that mix), and a
        few social workers with an account who are not members."""
        persona = User.objects.get(email="huiyuan@example.org")
        members = list(
            User.objects.filter(
                memberships__in=Member.objects.in_good_standing()
                .individuals()
                .exclude(qualification=Qualification.NONE)
            )
            .exclude(pk=persona.pk)
            .order_by("email")
            .distinct()
        )
        outsiders = [demo_user(email, name) for email, name in NON_MEMBERS]
        return persona, members, outsiders

    def trainings(self, persona, members, outsiders):
        seminar = self.training(
            SEMINAR,
            kind=Training.Kind.SEMINAR,
            topics=["社工站建设", "社区治理"],
            description=(
                "协会成立当日举办。十余位来自省内外的专家学者围绕乡镇（街道）社工站的政策、"
                "督导、运营与评估作专题讲座，并与全市社工站负责人研讨交流。"
            ),
            venue="许昌市民政局三楼会议室",
            capacity=120,
            sessions=[(FOUNDED, *row[:3], row[3], row[4]) for row in SEMINAR_SESSIONS],
        )
        if seminar is not None:
            self.attend(seminar, [persona, *members[:25]])
        course = self.training(
            "社会工作专业能力提升培训班",
            kind=Training.Kind.COURSE,
            topics=["社工站建设", "督导"],
            description="面向社工站驻站社工的三天集中培训：需求评估、个案管理、小组工作与项目运营。",
            venue="许昌学院社会工作系实训楼",
            capacity=60,
            sessions=[
                (self.days(-300 + day), start, end, "3.0", title, speakers)
                for day, (start, end, title, speakers) in enumerate(
                    [
                        ("09:00", "12:00", "社区需求评估方法", ["黄静"]),
                        ("09:00", "12:00", "个案管理实务", ["赵文杰"]),
                        ("09:00", "12:00", "社工站项目运营与督导", ["张慧"]),
                    ]
                )
            ],
        )
        if course is not None:
            self.attend(course, [persona, *members[:30], outsiders[0]])
        family = self.training(
            "家庭教育指导专题讲座",
            kind=Training.Kind.LECTURE,
            topics=["家庭教育指导"],
            venue="许昌市妇女儿童活动中心",
            sessions=[
                (self.days(-150), "14:30", "17:30", "3.0", "社区家庭教育指导的方法", ["周敏"])
            ],
        )
        if family is not None:
            self.attend(family, [persona, *members[5:20], *outsiders[:2]])
        online = self.training(
            "线上课程：社会工作相关法律法规",
            kind=Training.Kind.ONLINE,
            topics=["法律", "社会关护"],
            online_url="https://meeting.example.org/fagui",
            sessions=[
                (self.days(-100 + week * 7), "19:00", "21:00", "2.0", title, speakers)
                for week, (title, speakers) in enumerate(
                    [
                        ("《民法典》与婚姻家庭", ["吴海涛"]),
                        ("未成年人保护法与社会关护", ["郭春燕"]),
                        ("社会组织相关法规", ["吴海涛"]),
                        ("案例研讨", ["郭春燕", "吴海涛"]),
                    ]
                )
            ],
        )
        if online is not None:
            self.attend(online, [*members[:12], outsiders[2]])
        supervision = self.training(
            "社工站团体督导（第一期）",
            kind=Training.Kind.SUPERVISION,
            topics=["督导"],
            audience=Training.Audience.MEMBERS,
            venue="协会秘书处会议室",
            capacity=15,
            sessions=[
                (self.days(-60), "09:00", "12:00", "3.0", "个案督导", ["冯雪梅", "宋建国"]),
                (self.days(-59), "09:00", "12:00", "3.0", "团体督导", ["冯雪梅"]),
            ],
        )
        if supervision is not None:
            self.attend(supervision, members[:15])
        self.upcoming(persona, members, outsiders)

    def upcoming(self, persona, members, outsiders):
        now = timezone.now()
        open_course = self.training(
            "社区治理与社工站运营培训班",
            kind=Training.Kind.COURSE,
            topics=["社区治理", "社工站建设"],
            description="两天集中培训，结业后计入继续教育学时。欢迎持证社会工作者报名。",
            venue="许昌市民政局三楼会议室",
            capacity=60,
            registration_closes_at=_aware(self.days(19), "18:00"),
            sessions=[
                (self.days(21), "09:00", "12:00", "3.0", "基层治理中的社工站角色", ["何伟"]),
                (self.days(21), "14:00", "17:00", "3.0", "社工站服务项目设计", ["李明远"]),
                (self.days(22), "09:00", "12:00", "3.0", "社工站评估指标解读", ["王建华"]),
            ],
        )
        if open_course is not None:
            self.register(
                open_course, [*members[:18], outsiders[0]], start=now - datetime.timedelta(5)
            )
        full = self.training(
            "心理危机干预专题讲座",
            kind=Training.Kind.LECTURE,
            topics=["心理咨询"],
            venue="许昌市心理卫生协会培训室",
            capacity=20,
            sessions=[
                (self.days(10), "14:30", "17:30", "3.0", "社区心理危机的识别与干预", ["孙丽华"])
            ],
        )
        if full is not None:
            self.register(full, [*members[8:30], outsiders[1]], start=now - datetime.timedelta(9))
        workshop = self.training(
            "个案督导工作坊（会员专场）",
            kind=Training.Kind.SUPERVISION,
            topics=["督导"],
            audience=Training.Audience.MEMBERS,
            venue="协会秘书处会议室",
            capacity=15,
            registration_opens_at=now - datetime.timedelta(days=2),
            sessions=[(self.days(35), "09:00", "12:00", "3.0", "疑难个案督导", ["陈立新", "张慧"])],
        )
        if workshop is not None:
            self.register(workshop, members[20:26], start=now - datetime.timedelta(1))

    def periods(self, persona, members, outsiders):
        """Registration periods: 陈静 short with about half a year left; members spread
        over their periods, some past the requirement thanks to hours from elsewhere."""
        cases = [
            (
                persona,
                Qualification.SOCIAL_WORKER,
                add_years(self.today, -3) + datetime.timedelta(days=175),
            )
        ]
        levels = [
            Qualification.ASSISTANT,
            Qualification.SOCIAL_WORKER,
            Qualification.ASSISTANT,
            Qualification.SENIOR,
        ]
        for index, user in enumerate([*members[:30], *outsiders]):
            starts_on = add_years(self.today, -3) + datetime.timedelta(days=40 + (index * 37) % 900)
            cases.append((user, levels[index % len(levels)], starts_on))
        for index, (user, level, starts_on) in enumerate(cases):
            if RegistrationPeriod.objects.filter(user=user).exists():
                continue
            period = RegistrationPeriod(
                user=user,
                qualification=level,
                starts_on=starts_on,
                certificate_number=f"DJ{starts_on.year}4110{index:05d}",
            )
            period.full_clean()
            period.save()
        return cases

    def outside(self, persona, members):
        image = Image.new("RGB", (1000, 700), (250, 248, 240))
        draw = ImageDraw.Draw(image)
        draw.rectangle([30, 30, 970, 670], outline=(161, 40, 28), width=8)
        for row in range(5):
            draw.rectangle([100, 180 + row * 80, 900, 205 + row * 80], fill=(200, 200, 205))
        scan = io.BytesIO()
        image.save(scan, "JPEG", quality=80)
        # (who, training, held by, days ago, hours, status, reason)
        cases = [
            # Past the requirement: long courses elsewhere, accepted.
            (members[0], "河南省社会工作者继续教育网络课程", "河南省民政厅", 320, "60.0",
             "approved", ""),
            (members[1], "社会工作督导人才研修班", "河南省社会工作协会", 200, "48.0",
             "approved", ""),
            (members[2], "全国社会工作实务能力线上课程", "中国社会工作联合会", 90, "50.0",
             "approved", ""),
            (members[3], "社区营养讲座", "某健康管理公司", 120, "4.0", "refused",
             "与社会工作专业无关，不计入专业继续教育学时。"),
            (persona, "许昌市社会工作者线上继续教育课程", "许昌市民政局", 40, "12.0",
             "pending", ""),
            (members[4], "长葛市社工站服务能力培训", "长葛市民政局", 25, "8.0", "pending", ""),
        ]  # fmt: skip
        for user, title, provider, days_ago, hours, status, reason in cases:
            if OutsideHours.objects.filter(user=user, title=title).exists():
                continue
            entry = OutsideHours(
                user=user,
                title=title,
                provider=provider,
                completed_on=self.days(-days_ago),
                hours=Decimal(hours),
                status=status,
                reason=reason,
                evidence=SimpleUploadedFile("evidence.jpg", scan.getvalue(), "image/jpeg"),
            )
            if status != "pending":
                entry.decided_at = timezone.now() - datetime.timedelta(days=3)
                entry.decided_by = self.secretary
            entry.full_clean()
            entry.save()

    def grant(self):
        """The city civil-affairs viewer sees the hours report; the county viewer does not."""
        viewer = User.objects.filter(email="minzheng@example.org").first()
        if viewer is not None:
            viewer.groups.add(Group.objects.get(name=roles.TRAINING_HOURS_GROUP))


def seed(*, log):
    seeder = Seeder(log)
    seeder.pool()
    persona, members, outsiders = seeder.people()
    if len(members) < 30:
        log("training: the members demo has too few certified members; skipped")
        return
    seeder.trainings(persona, members, outsiders)
    seeder.periods(persona, members, outsiders)
    seeder.outside(persona, members)
    seeder.grant()
    # The persona's attendance certificate of the founding seminar, so that its public
    # verification page has a number to show.
    seminar = Training.objects.filter(title=SEMINAR).first()
    if seminar is not None:
        certificate_for_training(user=persona, training=seminar)
    periods = RegistrationPeriod.objects.current().with_hours()
    log(
        f"training: {Expert.objects.count()} experts, {seeder.created} trainings created; "
        f"{periods.count()} current registration periods, {periods.short().count()} short of hours"
    )
