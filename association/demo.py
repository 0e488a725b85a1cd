"""Demo data for the association itself: its profile and announcements."""

import datetime

from django.utils import timezone

from stations.models import Division

from .models import Announcement, AssociationProfile

ANNOUNCEMENTS = [
    (
        "关于开展2026年度会员会费缴纳工作的通知",
        "各会员单位、个人会员：根据协会章程，请于6月30日前缴纳本年度会费。"
        "会费标准按会员级别执行，缴费后秘书处将出具收据。",
        datetime.date(2026, 3, 1),
    ),
    (
        "全市乡镇（街道）社工站实现全覆盖",
        "截至目前，全市乡镇（街道）社工站建设实现全覆盖，"
        "持证社会工作者由2020年的约100人增长到500余人。",
        datetime.date(2026, 5, 12),
    ),
    (
        "第一届会员代表大会第二次会议通知",
        "协会定于近期召开第一届会员代表大会第二次会议，审议年度工作报告和财务报告，"
        "请各会员代表按时参会，并提前在门户网站完成签到准备。",
        datetime.date(2026, 10, 20),
    ),
]


def seed(*, log):
    city = Division.objects.filter(level=Division.Level.CITY).order_by("code").first()
    profile = AssociationProfile.objects.order_by("pk").first() or AssociationProfile()
    profile.name = "许昌市社会工作行业协会"
    profile.short_name = "许昌市社工协会"
    profile.introduction = (
        "许昌市社会工作行业协会成立于2023年7月，由全市社会工作服务机构、社会组织、"
        "高校和社会工作者自愿结成，是非营利性的行业性社会团体。\n"
        "协会团结全市社会工作者，推动乡镇（街道）社工站建设，开展行业自律、"
        "人才培养和服务评估，促进社会工作专业化、职业化发展。"
    )
    profile.city = city
    profile.founded_on = datetime.date(2023, 7, 15)
    profile.address = "许昌市魏都区示范路1号"
    profile.phone = "0374-0000000"
    profile.email = "secretariat@example.org"
    profile.member_number_prefix = "XCSW"
    profile.full_clean()
    profile.save()
    for title, body, day in ANNOUNCEMENTS:
        published_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        Announcement.objects.update_or_create(
            title=title, defaults={"body": body, "published_at": published_at}
        )
    log(f"association: profile and {len(ANNOUNCEMENTS)} announcements")
