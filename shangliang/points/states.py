"""The activities that earn members' points (履职积分), each one derived from records kept elsewhere.

Only activities whose record names the member reliably are listed: research records, suggestions
and proposals or bulletins name their members (``Research.members``, ``Suggestion.proposed_by``,
``OutcomeReport.members``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    # Signed in at a session (协商会议) that was not cancelled; once per session.
    SESSION_ATTENDED = "session_attended", _("参加协商会议")
    # At least one statement recorded for the member in a session (online opinions included); once per session.
    SESSION_SPOKE = "session_spoke", _("会上发言")
    # Named on a research record (商前调研) of a consultation that was not cancelled; once per record.
    RESEARCH = "research", _("参加商前调研")
    # A topic the member recommended (委员荐题) was approved (审定通过); once per topic.
    RECOMMENDATION_APPROVED = "recommendation_approved", _("委员荐题被立项")
    # A suggestion of the consultation on a topic the member recommended was assigned to a unit (交办).
    RECOMMENDATION_ASSIGNED = "recommendation_assigned", _("所荐议题形成的建议被采纳交办")
    # A suggestion the member put forward was assigned to a unit (建议被采纳交办); once per suggestion.
    SUGGESTION_ADOPTED = "suggestion_adopted", _("所提建议被采纳交办")
    # A proposal (政协提案) or public-opinion bulletin (社情民意信息) the member signed was sent; once per report.
    REPORT_SENT = "report_sent", _("署名提案或社情民意信息报送")
    # A resident's problem the member logged (委员收集群众诉求) was accepted (受理) by the station; once per submission.
    PROBLEM_LOGGED = "problem_logged", _("收集反映群众诉求被受理")
    # The member spoke at a briefing, lecture or training (宣讲、授课) that took place; once per event.
    EVENT_SPOKE = "event_spoke", _("宣讲授课")


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "point_rule.created": _("新增积分规则"),
    "point_rule.changed": _("修改积分规则"),
    "point_rule.archived": _("归档积分规则"),
}
