"""Reply quality (core.reply_quality) on tiny questions and replies written here. No database."""

from datetime import date, datetime

from shangliang.core import reply_quality
from shangliang.core.reply_quality import (
    INCOMPLETE,
    LATE,
    NO_BASIS,
    NO_REPLY,
    OFF_TOPIC,
    PROCEDURAL,
    points,
    score,
    weekdays_between,
)

SUBJECT = "小区路灯不亮、垃圾站太臭"
QUESTION = "我小区门口的路灯坏了一个多月，晚上很黑。一是路灯什么时候能修好？二是小区旁边的垃圾站臭味很大，能否搬走？"
ANSWERED = (
    "您好！您的留言已收悉。经现场查看，该路段路灯因电缆老化损坏，已于5月8日更换电缆，路灯已恢复照明。"
    "关于垃圾站臭味问题，根据《城市生活垃圾管理办法》第十六条规定，垃圾站须每日清运消杀，我局已责令环卫所"
    "每日两次清运并喷洒除臭剂，垃圾站搬迁已列入2025年改造计划。"
)
BOILERPLATE = "您好！您的留言已收悉，感谢您对我们工作的关心、监督与支持！"
FORWARDED = "网友：您好！您反映的问题已转市城管局调查处理，请耐心等待。2025年5月9日"
ABOUT_A_SCHOOL = "经核实，该学校今年秋季招生计划为新生120人，报名请于8月20日前到学校办理入学手续，届时需携带户口本。"
ONE_POINT_ONLY = "经现场查看，该路段路灯因电缆老化损坏，已于5月8日更换电缆，路灯已恢复照明。"
# Tuesday 6 May 2025 to Friday 9 May: 3 working days.
ASKED, REPLIED = date(2025, 5, 6), date(2025, 5, 9)


def scored(reply, asked_at=ASKED, replied_at=REPLIED, **kwargs):
    return score(QUESTION, reply, asked_at, replied_at, subject=SUBJECT, **kwargs)


def test_a_reply_answering_each_point_with_a_cited_regulation_scores_higher_than_boilerplate():
    good, boilerplate = scored(ANSWERED), scored(BOILERPLATE)

    assert good.total > 0.8 > 0.3 > boilerplate.total
    assert not good.is_low and good.flags == ()
    assert good.completeness.score == 1.0
    assert good.basis.score == 1.0
    assert "《城市生活垃圾管理办法》" in good.basis.text and "经现场查看" in good.basis.text
    assert boilerplate.is_low and boilerplate.flags == (PROCEDURAL,)
    assert boilerplate.relevance.score == boilerplate.completeness.score == boilerplate.basis.score == 0


def test_forwarding_the_question_elsewhere_is_only_procedure():
    forwarded = scored(FORWARDED)

    assert PROCEDURAL in forwarded.flags and forwarded.is_low


def test_boilerplate_that_repeats_the_subject_earns_no_relevance():
    echoed = scored(f"您好！您反映的“{SUBJECT}”的问题已收悉，感谢您对我们工作的支持！")

    assert echoed.flags == (PROCEDURAL,)
    assert echoed.relevance.score == 0


def test_a_reply_pointing_to_an_answer_given_elsewhere_is_only_procedure():
    pointer = "网友：您好！市公安局已于2019年3月6日在《关于路灯的回复》一帖中作了回复，详情请点击链接。"

    assert scored(pointer).flags == (PROCEDURAL,)


def test_an_empty_reply_is_no_reply():
    assert scored("").flags == (NO_REPLY,)
    assert scored("2025年5月9日").flags == (NO_REPLY,)


def test_a_late_reply_loses_timeliness():
    on_time = scored(ANSWERED)
    # 6 May to 20 May 2025: 10 working days, due; to 3 June: 20 working days, 10 late.
    due = scored(ANSWERED, replied_at=date(2025, 5, 20))
    late = scored(ANSWERED, replied_at=datetime(2025, 6, 3, 9, 30))

    assert on_time.timeliness.score == due.timeliness.score == 1.0
    assert due.working_days == 10 and LATE not in due.flags
    assert late.working_days == 20
    assert late.timeliness.score == 0.5
    assert LATE in late.flags and "超出 10 个工作日期限 10 个工作日" in late.timeliness.text
    assert late.total < on_time.total


def test_the_injected_calendar_counts_the_working_days():
    calls = []

    def official(start, end):
        calls.append((start, end))
        return 25

    quality = scored(ANSWERED, asked_at=datetime(2025, 9, 26, 10, 0), working_days_between=official)

    assert calls == [(date(2025, 9, 26), REPLIED)]
    assert quality.working_days == 25 and LATE in quality.flags


def test_due_working_days_is_a_setting():
    assert scored(ANSWERED, due_working_days=2).timeliness.score < 1
    assert scored(ANSWERED, due_working_days=3).timeliness.score == 1


def test_unknown_times_leave_timeliness_out_of_the_total():
    timeless = scored(ANSWERED, asked_at=None)

    assert timeless.timeliness.score is None and timeless.working_days is None
    assert LATE not in timeless.flags
    assert timeless.total == scored(ANSWERED).total  # the other parts are all 1


def test_weekdays_between_counts_the_days_after_the_start_up_to_the_end():
    friday, monday = date(2025, 5, 9), date(2025, 5, 12)

    assert weekdays_between(friday, monday) == 1
    assert weekdays_between(monday, monday) == 0
    assert weekdays_between(monday, friday) == 0
    assert weekdays_between(date(2025, 5, 5), date(2025, 5, 19)) == 10


def test_a_reply_about_something_else_is_off_topic():
    elsewhere = scored(ABOUT_A_SCHOOL)

    assert OFF_TOPIC in elsewhere.flags and elsewhere.is_low
    assert elsewhere.relevance.score < 0.2
    assert elsewhere.total < scored(ONE_POINT_ONLY).total < scored(ANSWERED).total


def test_a_reply_to_one_of_three_points_is_incomplete():
    question = "一是路灯什么时候能修好？二是垃圾站臭味很大能否搬走？三是小区门口的井盖破了谁来修？"

    quality = score(question, ONE_POINT_ONLY, ASKED, REPLIED)

    assert len(quality.points) == 3
    assert quality.completeness.score == 1 / 3
    assert INCOMPLETE in quality.flags
    assert "垃圾站" in quality.completeness.text


def test_a_question_is_answered_by_a_reply_of_its_kind_in_other_words_when_the_reply_is_on_topic():
    asked = ["请问年检要办什么手续?"]
    procedure = "可持行驶证和保险单到任一检测站检验。"

    assert reply_quality.completeness(asked, procedure, is_relevant=True).score == 1
    assert reply_quality.completeness(asked, procedure, is_relevant=False).score == 0


def test_a_reply_without_rules_checks_or_facts_has_no_basis():
    quality = scored("路灯会尽快修好，垃圾站的臭味也会尽量处理好，请您放心。小区环境我们一直很重视。")

    assert quality.basis.score == 0 and NO_BASIS in quality.flags


def test_the_message_board_named_in_book_title_marks_is_not_a_cited_document():
    quality = scored("您在《问政西地省》栏目反映的路灯坏了的问题，路灯下周修好，垃圾站的臭味也会处理。")

    assert "问政" not in quality.basis.text


def test_points_split_on_enumerations():
    assert points("小区有三个问题：一是路灯坏了；二是垃圾站太臭；三是噪音扰民。") == [
        "路灯坏了",
        "垃圾站太臭",
        "噪音扰民",
    ]
    assert points("1.路灯坏了。2.垃圾站太臭。") == ["路灯坏了", "垃圾站太臭"]
    assert points("①路灯坏了②垃圾站太臭") == ["路灯坏了", "垃圾站太臭"]


def test_points_split_on_question_marks_and_asks():
    assert points("请问路灯什么时候修？垃圾站能否搬走？噪音谁来管？") == [
        "请问路灯什么时候修?",
        "垃圾站能否搬走?",
        "噪音谁来管?",
    ]
    assert points("我家门口的路灯坏了很久了。为什么一直没人来修") == ["为什么一直没人来修"]


def test_a_question_without_asks_is_one_point():
    assert points("我家门口的路灯坏了很久了。", "路灯不亮") == ["路灯不亮。我家门口的路灯坏了很久了。"]


def test_an_asking_subject_is_a_point_and_a_repeated_point_counts_once():
    found = points("路灯坏了一个月。希望尽快修好路灯。垃圾站能否搬走？", "希望尽快修好路灯")

    assert found == ["希望尽快修好路灯", "垃圾站能否搬走?"]


def test_every_part_says_why_in_words():
    quality = scored(ANSWERED)

    for part in quality.parts().values():
        assert part.text and "%(" not in part.text
    assert set(quality.parts()) == set(reply_quality.WEIGHTS)
    assert abs(sum(reply_quality.WEIGHTS.values()) - 1) < 1e-9
