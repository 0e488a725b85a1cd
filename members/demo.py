"""Demo accounts and members (development only): one account per role with the passwords the
README lists, about 80 member representatives in mixed standing, and applications in every
state, so the meetings and the ballot box have an electorate.

Idempotent: rows are looked up by their natural keys (e-mail, member number, receipt number)
and only created when missing. Dates of dues and activities are relative to the day of the
first run, so the mix of standing is right on that day.
"""

import datetime
import io

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from association.models import AssociationProfile
from stations.models import Division
from stations.services import operators_link

from . import roles, services
from .models import (
    Activity,
    Application,
    Certificate,
    DuesPayment,
    DuesRate,
    Gender,
    Member,
    MemberChange,
    OrganisationType,
    Qualification,
    Representative,
    User,
)
from .validators import credit_code_check_character

DEMO_PASSWORD = "demo-2026-pass"

# (e-mail, full name, role group, is_staff, civil-affairs scope: None, "city" or "county")
DEMO_USERS = [
    ("mishu@example.org", "王敏", roles.SECRETARIAT, True, None),
    ("minzheng@example.org", "赵强", roles.CIVIL_AFFAIRS, False, "city"),
    ("weidu@example.org", "孙丽", roles.CIVIL_AFFAIRS, False, "county"),
    ("huiyuan@example.org", "陈静", roles.MEMBER, False, None),
    ("shenqing@example.org", "周楠", roles.APPLICANT, False, None),
]

FOUNDED = datetime.date(2023, 7, 15)

DUES_BY_TIER = {
    Member.Tier.MEMBER: 200,
    Member.Tier.COUNCIL: 1000,
    Member.Tier.STANDING_COUNCIL: 2000,
    Member.Tier.VICE_PRESIDENT: 5000,
    Member.Tier.PRESIDENT: 10000,
}

SW = OrganisationType.SOCIAL_WORK
SO = OrganisationType.SOCIAL_ORGANISATION
UNI = OrganisationType.UNIVERSITY
INST = OrganisationType.INSTITUTION
ENT = OrganisationType.ENTERPRISE
T = Member.Tier

# (unit name, type, tier, legal representative, representative's name)
UNITS = [
    ("许昌市阳光社会工作服务中心", SW, T.PRESIDENT, "李红", "刘洋"),
    ("许昌学院", UNI, T.VICE_PRESIDENT, "张建国", "马文博"),
    ("许昌市同心社会工作服务中心", SW, T.VICE_PRESIDENT, "王志刚", "宋佳"),
    ("许昌市慈善总会", SO, T.VICE_PRESIDENT, "赵德明", "高峰"),
    ("禹州市德馨社会工作服务中心", SW, T.VICE_PRESIDENT, "郭秀兰", "郭婷"),
    ("魏都区春晖社会工作服务社", SW, T.STANDING_COUNCIL, "孙晓燕", "孙鹏"),
    ("建安区启航社会工作服务中心", SW, T.STANDING_COUNCIL, "周海涛", "周敏"),
    ("长葛市善行社会工作服务中心", SW, T.STANDING_COUNCIL, "吴春梅", "吴昊"),
    ("许昌职业技术学院", UNI, T.STANDING_COUNCIL, "冯立新", "冯雪梅"),
    ("许昌市社会福利院", INST, T.STANDING_COUNCIL, "陈国庆", "陈露"),
    ("鄢陵县花都社会工作服务中心", SW, T.STANDING_COUNCIL, "杨丽萍", "杨帆"),
    ("襄城县众益社会工作服务中心", SW, T.COUNCIL, "胡德胜", "胡静"),
    ("许昌市志愿者协会", SO, T.COUNCIL, "何建军", "何倩"),
    ("许昌市第一人民医院", INST, T.COUNCIL, "罗永华", "罗晓"),
    ("许昌市未成年人救助保护中心", INST, T.COUNCIL, "梁玉兰", "梁超"),
    ("魏都区乐龄社会工作服务中心", SW, T.COUNCIL, "谢宏伟", "谢芳"),
    ("建安区希望社会工作服务中心", SW, T.COUNCIL, "韩秀英", "韩磊"),
    ("禹州市钧都社会工作服务中心", SW, T.COUNCIL, "唐振华", "唐颖"),
    ("长葛市和谐社会工作服务中心", SW, T.COUNCIL, "曹桂芝", "曹阳"),
    ("鄢陵县暖阳社会工作服务中心", SW, T.COUNCIL, "邓文斌", "邓琳"),
    ("襄城县汇爱社会工作服务中心", SW, T.COUNCIL, "许国平", "许诺"),
    ("许昌市心桥社会工作服务中心", SW, T.MEMBER, "傅明", "傅晓东"),
    ("许昌市青少年发展服务中心", SO, T.MEMBER, "沈丽", "沈浩"),
    ("许昌市残疾人康复协会", SO, T.MEMBER, "曾庆祥", "曾悦"),
    ("许昌市妇女儿童发展服务中心", SO, T.MEMBER, "彭玉珍", "彭程"),
    ("许昌市家庭教育研究会", SO, T.MEMBER, "吕志勇", "吕娜"),
    ("许昌电气职业学院", UNI, T.MEMBER, "苏振东", "苏畅"),
    ("许昌市社区发展促进会", SO, T.MEMBER, "卢建新", "卢月"),
    ("许昌市颐养养老服务有限公司", ENT, T.MEMBER, "蒋红梅", "蒋涛"),
    ("魏都区益行社会工作服务中心", SW, T.MEMBER, "蔡文静", "蔡亮"),
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓"
    "许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭"
)
GIVEN_NAMES = [
    "晓燕", "志强", "丽娟", "建华", "海燕", "春梅", "文博", "雪莲", "国栋", "秀梅",
    "子涵", "思远", "佳怡", "浩然", "梦瑶", "俊杰", "雨桐", "嘉欣", "明轩", "欣悦",
    "立新", "玉洁", "瑞雪", "天佑", "若曦", "振宇", "静怡", "宏伟", "慧敏", "昊天",
]  # fmt: skip
EMPLOYERS = [unit[0] for unit in UNITS[:12]] + [
    "许昌市魏都区西大街道社工站",
    "禹州市颍川街道社工站",
    "长葛市长兴街道社工站",
    "许昌学院社会工作系",
]
QUALIFICATIONS = [
    Qualification.SOCIAL_WORKER,
    Qualification.ASSISTANT,
    Qualification.ASSISTANT,
    Qualification.SENIOR,
    Qualification.NONE,
]
INDIVIDUAL_COUNT = 49  # plus 陈静 (huiyuan@example.org): 50 individuals and 30 units

# Standing patterns, cycled over the members so that every kind of case appears.
PAID, ACTIVE_ONLY, LAPSED, RECENT = "paid", "activity", "lapsed", "recent"
PATTERNS = [PAID, PAID, PAID, ACTIVE_ONLY, PAID, LAPSED, PAID, PAID, RECENT, PAID]


def demo_user(email, full_name, *, group=None, is_staff=False, scope=None, password_hash=None):
    """Create or refresh one verified demo account."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0]}
    )
    user.full_name = full_name
    user.is_staff = is_staff
    user.civil_affairs_scope = scope
    user.consent_at = user.consent_at or timezone.now()
    if created:
        if password_hash:
            # Hashing once for the ~90 demo accounts keeps seeding fast.
            user.password = password_hash
        else:
            user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def members_in_good_standing(count, *, prefix="voter"):
    """`count` individual members in good standing (admitted a month ago), each with a
    member's account, written in bulk: the large electorates of the tests (conftest's
    make_voters) and the ballot-box benchmarks (bench/ballot_box/build.py), which share
    this builder because neither may import the other. Usernames, e-mails and member numbers
    are made from `prefix` and the index. Returns the users."""
    users = User.objects.bulk_create(
        (
            User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.org", full_name=f"代表{i}")
            for i in range(count)
        ),
        batch_size=2000,
    )
    Group.objects.get(name=roles.MEMBER).user_set.add(*users)
    since = timezone.localdate() - datetime.timedelta(days=30)
    Member.objects.bulk_create(
        (
            Member(
                kind=Member.Kind.INDIVIDUAL,
                name=f"代表{i}",
                number=f"V-{prefix}-{i:05d}",
                user=user,
                member_since=since,
            )
            for i, user in enumerate(users)
        ),
        batch_size=2000,
    )
    return users


def demo_credit_code(index, kind, region):
    """A well-formed code: registration authority and category by organisation type, the
    division code, a demo organisation code, and the GB 32100-2015 check character."""
    prefix = {SW: "52", SO: "51", UNI: "12", INST: "12", ENT: "91"}[kind]
    body = f"{prefix}{region}MJ{index:07d}"
    return body + credit_code_check_character(body)


def _years_ago(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Seeder:
    def __init__(self, log):
        self.log = log
        self.today = timezone.localdate()
        self.password_hash = make_password(DEMO_PASSWORD)
        city = Division.objects.filter(level=Division.Level.CITY).order_by("code").first()
        self.counties = list(Division.objects.counties().within(city).order_by("code"))
        self.secretary = User.objects.filter(email=DEMO_USERS[0][0]).first()

    def county(self, index):
        return self.counties[index % len(self.counties)] if self.counties else None

    def joined_on(self, index, pattern):
        if pattern == RECENT:
            return self.today - datetime.timedelta(days=40 + (index * 13) % 250)
        if index % 4 == 3:
            return datetime.date(2024, 3, 1) + datetime.timedelta(days=(index * 11) % 200)
        return FOUNDED

    def account(self, email, full_name):
        return demo_user(email, full_name, password_hash=self.password_hash)

    def member(self, lookup, defaults):
        """The member found by `lookup` (credit code or account), created when missing."""
        member = Member.objects.filter(**lookup).first()
        created = member is None
        if created:
            member = Member(**lookup, **defaults)
            if not member.number:
                member.number = services.member_number_next(year=member.member_since.year)
            member.full_clean()
            member.save()
            MemberChange.objects.create(
                member=member,
                action=MemberChange.Action.ADMITTED,
                changed_at=timezone.make_aware(
                    datetime.datetime.combine(member.member_since, datetime.time(10))
                ),
                changed_by=self.secretary,
                details=f"准予入会，会员编号 {member.number}",
            )
            Certificate.objects.create(
                member=member,
                tier=member.tier,
                issued_on=member.member_since,
                valid_until=Certificate.validity_end(member.member_since),
                issued_by=self.secretary,
            )
        return member, created

    def payment(self, member, paid_on):
        rate = DuesRate.for_member(member, paid_on.year)
        receipt = f"SJ{paid_on.year}-{member.number}"
        DuesPayment.objects.get_or_create(
            receipt_number=receipt,
            defaults={
                "member": member,
                "year": paid_on.year,
                "amount": rate.amount,
                "paid_on": paid_on,
                "recorded_by": self.secretary,
            },
        )

    def standing(self, member, index, pattern):
        """Dues and activities that put the member in the pattern's standing today."""
        if member.member_since <= FOUNDED:
            Activity.objects.get_or_create(
                member=member,
                description="参加协会成立大会暨第一届会员代表大会第一次会议",
                defaults={"on": FOUNDED},
            )
        if pattern == RECENT:
            return
        latest = self.today - datetime.timedelta(days=5 + (index * 17) % 300)
        if pattern in (ACTIVE_ONLY, LAPSED):
            latest = self.today - datetime.timedelta(days=400 + (index * 7) % 150)
        for years in range(0, 4):
            paid_on = _years_ago(latest, years)
            if paid_on < member.member_since:
                break
            self.payment(member, paid_on)
        if pattern == ACTIVE_ONLY:
            Activity.objects.get_or_create(
                member=member,
                description="参加年度社会工作专业能力提升培训",
                defaults={"on": self.today - datetime.timedelta(days=30 + (index * 5) % 200)},
            )

    def rates(self):
        for year in range(FOUNDED.year, self.today.year + 1):
            for tier, amount in DUES_BY_TIER.items():
                DuesRate.objects.get_or_create(year=year, tier=tier, defaults={"amount": amount})

    def units(self):
        created = 0
        for index, (name, kind, tier, legal, representative) in enumerate(UNITS, start=1):
            pattern = PATTERNS[index % len(PATTERNS)] if tier == T.MEMBER else PAID
            since = self.joined_on(index, pattern)
            county = self.county(index)
            region = county.code[:6] if county else "411000"
            user = self.account(f"daibiao{index:02d}@example.org", representative)
            member, is_new = self.member(
                {"credit_code": demo_credit_code(index, kind, region)},
                {
                    "kind": Member.Kind.UNIT,
                    "name": name,
                    "tier": tier,
                    "member_since": since,
                    "status_since": since,
                    "county": county,
                    "user": user,
                    "organisation_type": kind,
                    "legal_representative": legal,
                    "address": f"许昌市{county.name if county else '魏都区'}示范路{index * 3}号",
                    "contact_name": representative,
                    "contact_phone": f"13903740{index:03d}",
                    "contact_email": f"daibiao{index:02d}@example.org",
                },
            )
            if is_new:
                created += 1
                self.representatives(member, index, user)
                self.standing(member, index, pattern)
        return created

    def representatives(self, member, index, user):
        start = timezone.make_aware(
            datetime.datetime.combine(member.member_since, datetime.time(10))
        )
        if index == 3:
            # One unit has handed over its vote once, so the history has something to show.
            former = self.account("daibiao03-old@example.org", "赵磊")
            handover = timezone.make_aware(datetime.datetime(2025, 3, 1, 9))
            Representative.objects.create(
                member=member,
                user=former,
                since=start,
                until=handover,
                appointed_by=self.secretary,
                reason="入会申请中指定",
            )
            Representative.objects.create(
                member=member,
                user=user,
                since=handover,
                appointed_by=self.secretary,
                reason="原会员代表工作调动",
            )
            return
        Representative.objects.create(
            member=member,
            user=user,
            since=start,
            appointed_by=self.secretary,
            reason="入会申请中指定",
        )

    def individuals(self):
        created = 0
        for index in range(1, INDIVIDUAL_COUNT + 1):
            pattern = PATTERNS[index % len(PATTERNS)]
            since = self.joined_on(index + 100, pattern)
            name = (
                SURNAMES[(index * 3) % len(SURNAMES)] + GIVEN_NAMES[(index * 7) % len(GIVEN_NAMES)]
            )
            user = self.account(f"geren{index:02d}@example.org", name)
            qualification = QUALIFICATIONS[index % len(QUALIFICATIONS)]
            member, is_new = self.member(
                {"user": user, "kind": Member.Kind.INDIVIDUAL},
                {
                    "name": name,
                    "member_since": since,
                    "status_since": since,
                    "county": self.county(index),
                    "gender": Gender.FEMALE if index % 3 else Gender.MALE,
                    "employer": EMPLOYERS[index % len(EMPLOYERS)],
                    "qualification": qualification,
                    "certificate_number": (
                        f"{2019 + index % 5}4110{index:06d}"
                        if qualification != Qualification.NONE
                        else ""
                    ),
                    "phone": f"1380374{index:04d}",
                    "email": f"geren{index:02d}@example.org",
                },
            )
            if is_new:
                created += 1
                self.standing(member, index, pattern)
        return created

    def statuses(self):
        """A few members who are suspended or have left, with their reasons."""
        cases = [
            (
                "daibiao29@example.org",
                Member.Status.SUSPENDED,
                "连续两年未缴纳会费，经秘书处催告后暂停会员资格",
            ),
            ("geren07@example.org", Member.Status.SUSPENDED, "本人申请暂停，出国进修一年"),
            ("geren13@example.org", Member.Status.LEFT, "书面申请退会（工作调离本市）"),
        ]
        for email, status, reason in cases:
            member = Member.objects.filter(user__email=email).first()
            if member is None or member.status != Member.Status.ACTIVE:
                continue
            services.member_status_change(
                member=member,
                status=status,
                reason=reason,
                actor=self.secretary,
                on=self.today - datetime.timedelta(days=20),
            )

    def founding_member(self):
        """陈静 (huiyuan@example.org), the member persona of the README."""
        user = User.objects.get(email="huiyuan@example.org")
        member, is_new = self.member(
            {"user": user, "kind": Member.Kind.INDIVIDUAL},
            {
                "number": "XCSW-2023-0001",
                "name": "陈静",
                "member_since": FOUNDED,
                "status_since": FOUNDED,
                "county": self.county(0),
                "gender": Gender.FEMALE,
                "employer": "许昌市阳光社会工作服务中心",
                "qualification": Qualification.SOCIAL_WORKER,
                "certificate_number": "20214110000001",
                "phone": "13803740000",
                "email": "huiyuan@example.org",
            },
        )
        if is_new:
            self.standing(member, 0, PAID)

    def applications(self):
        """Applications in every state, each from its own account."""
        cases = [
            (
                "shenqing@example.org",
                "周楠",
                Application.Status.SUBMITTED,
                {
                    "kind": Member.Kind.UNIT,
                    "name": "许昌市向阳花社会工作服务中心",
                    "organisation_type": SW,
                    "legal_representative": "周楠",
                    "address": "许昌市魏都区七里店街道向阳路18号",
                    "contact_name": "周楠",
                    "contact_phone": "13937400001",
                    "statement": "本中心2024年登记成立，承接街道社工站项目，专注社区老年人服务。",
                },
                "",
            ),
            (
                "jiangxin@example.org",
                "蒋欣",
                Application.Status.SUBMITTED,
                {
                    "kind": Member.Kind.INDIVIDUAL,
                    "name": "蒋欣",
                    "gender": Gender.FEMALE,
                    "employer": "许昌市魏都区西大街道社工站",
                    "qualification": Qualification.ASSISTANT,
                    "certificate_number": "20244110000321",
                    "phone": "13937400002",
                    "email": "jiangxin@example.org",
                    "statement": "在社工站从事儿童服务两年，希望加入协会参加专业培训。",
                },
                "",
            ),
            (
                "caogao@example.org",
                "冯雪",
                Application.Status.DRAFT,
                {
                    "kind": Member.Kind.INDIVIDUAL,
                    "name": "冯雪",
                    "gender": Gender.FEMALE,
                    "employer": "长葛市长兴街道社工站",
                    "qualification": Qualification.NONE,
                    "phone": "13937400003",
                    "email": "caogao@example.org",
                },
                "",
            ),
            (
                "tuihui@example.org",
                "韩梅",
                Application.Status.RETURNED,
                {
                    "kind": Member.Kind.UNIT,
                    "name": "禹州市康宁社会工作服务中心",
                    "organisation_type": SW,
                    "legal_representative": "韩梅",
                    "address": "禹州市颍川街道药城路66号",
                    "contact_name": "韩梅",
                    "contact_phone": "13937400004",
                },
                "请补充上传民办非企业单位登记证书副本（加盖公章的扫描件）。",
            ),
            (
                "bohui@example.org",
                "彭涛",
                Application.Status.REJECTED,
                {
                    "kind": Member.Kind.INDIVIDUAL,
                    "name": "彭涛",
                    "gender": Gender.MALE,
                    "employer": "许昌市某商贸有限公司",
                    "qualification": Qualification.NONE,
                    "phone": "13937400005",
                    "email": "bohui@example.org",
                },
                "申请人目前未从事社会工作相关职业，暂不符合个人会员条件。",
            ),
            (
                "chehui@example.org",
                "曾琳",
                Application.Status.WITHDRAWN,
                {
                    "kind": Member.Kind.INDIVIDUAL,
                    "name": "曾琳",
                    "gender": Gender.FEMALE,
                    "employer": "许昌学院社会工作系",
                    "qualification": Qualification.SOCIAL_WORKER,
                    "certificate_number": "20224110000777",
                    "phone": "13937400006",
                    "email": "chehui@example.org",
                },
                "",
            ),
        ]
        created = 0
        for index, (email, full_name, status, fields, reason) in enumerate(cases, start=1):
            applicant = self.account(email, full_name)
            if Application.objects.filter(applicant=applicant, name=fields["name"]).exists():
                continue
            application = Application(applicant=applicant, **fields)
            if application.kind == Member.Kind.UNIT:
                region = self.counties[0].code[:6] if self.counties else "411000"
                application.credit_code = demo_credit_code(900 + index, SW, region)
                application.county = self.county(index)
            application.full_clean()
            application.save()
            created += 1
            if status != Application.Status.DRAFT:
                self.documents(application)
            now = timezone.now()
            if status != Application.Status.DRAFT:
                application.submitted_at = now - datetime.timedelta(days=10 + index)
            if status in (
                Application.Status.RETURNED,
                Application.Status.REJECTED,
                Application.Status.WITHDRAWN,
            ):
                application.decided_at = now - datetime.timedelta(days=3)
                if status != Application.Status.WITHDRAWN:
                    application.decided_by = self.secretary
                    application.decision_reason = reason
            application.status = status
            application.save()
            services.account_roles_sync(user=applicant)
        return created

    def approved_application(self):
        """The application of a member admitted this year, to show the approved state."""
        member = (
            Member.objects.filter(kind=Member.Kind.INDIVIDUAL, application__isnull=True)
            .exclude(user__isnull=True)
            .order_by("-member_since", "number")
            .select_related("user")
            .first()
        )
        if (
            member is None
            or Application.objects.filter(
                status=Application.Status.APPROVED, kind=Member.Kind.INDIVIDUAL
            ).exists()
        ):
            return 0
        decided = timezone.make_aware(
            datetime.datetime.combine(member.member_since, datetime.time(9))
        )
        application = Application(
            applicant=member.user,
            kind=Member.Kind.INDIVIDUAL,
            name=member.name,
            gender=member.gender,
            employer=member.employer,
            qualification=member.qualification,
            certificate_number=member.certificate_number,
            phone=member.phone,
            email=member.email,
            county=member.county,
        )
        application.full_clean()
        application.save()
        self.documents(application)
        application.status = Application.Status.APPROVED
        application.submitted_at = decided - datetime.timedelta(days=7)
        application.decided_at = decided
        application.decided_by = self.secretary
        application.member = member
        application.save()
        return 1

    def documents(self, application):
        """A drawn 'scan' and a one-page PDF: real files that pass the upload checks."""
        image = Image.new("RGB", (1200, 850), (250, 248, 240))
        draw = ImageDraw.Draw(image)
        draw.rectangle([40, 40, 1160, 810], outline=(161, 40, 28), width=10)
        for row in range(6):
            draw.rectangle([120, 220 + row * 90, 1080, 250 + row * 90], fill=(200, 200, 205))
        draw.ellipse([860, 560, 1060, 760], outline=(200, 30, 30), width=8)
        scan = io.BytesIO()
        image.save(scan, "JPEG", quality=80)
        pdf = io.BytesIO()
        image.save(pdf, "PDF", resolution=100)
        services.application_document_add(
            application=application,
            upload=SimpleUploadedFile("scan.jpg", scan.getvalue(), content_type="image/jpeg"),
            description="登记证书（扫描件）" if application.is_unit else "社会工作者职业资格证书",
        )
        services.application_document_add(
            application=application,
            upload=SimpleUploadedFile("letter.pdf", pdf.getvalue(), content_type="application/pdf"),
            description="入会申请书",
        )

    def roles(self):
        for user in User.objects.filter(memberships__isnull=False).distinct():
            services.account_roles_sync(user=user)
        for term in Representative.objects.filter(until__isnull=False).select_related("user"):
            services.account_roles_sync(user=term.user)


def seed(*, log):
    city = Division.objects.filter(level=Division.Level.CITY).order_by("code").first()
    county = Division.objects.filter(level=Division.Level.COUNTY).order_by("code").first()
    scopes = {None: None, "city": city, "county": county}
    for email, full_name, group, is_staff, scope in DEMO_USERS:
        demo_user(email, full_name, group=group, is_staff=is_staff, scope=scopes[scope])
    if not AssociationProfile.objects.exists():
        log("members: no association profile; member numbers use the default prefix")
    seeder = Seeder(log)
    seeder.rates()
    seeder.founding_member()
    units = seeder.units()
    individuals = seeder.individuals()
    seeder.statuses()
    applications = seeder.applications() + seeder.approved_application()
    seeder.roles()
    # The stations demo ran first and could only name its operators; link them now.
    linked = operators_link(actor=None)
    total = Member.objects.count()
    voters = Member.objects.in_good_standing().count()
    log(
        f"members: {len(DEMO_USERS)} demo accounts (password {DEMO_PASSWORD}); "
        f"{units} units, {individuals} individuals and {applications} applications created; "
        f"{total} members, {voters} in good standing; {linked} station operators linked"
    )
