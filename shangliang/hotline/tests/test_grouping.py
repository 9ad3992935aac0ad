"""Hot-issue grouping (hotline.grouping) on tiny records written here: what groups, what must not, the
incremental path, heat, and the state through staff merges and splits. No database."""

import json
from datetime import datetime, timedelta

import pytest

from shangliang.hotline import grouping
from shangliang.hotline.grouping import Record

NOW = datetime(2025, 6, 30, 12, 0)


def record(id, title, text="", days_ago=10, person=None, likes=0, dislikes=0, place=""):
    return Record(
        id=id,
        title=title,
        text=text or title,
        time=NOW - timedelta(days=days_ago),
        person=person if person is not None else f"p{id}",
        likes=likes,
        dislikes=dislikes,
        place=place,
    )


FUMES = [
    record(1, "魅力之城小区楼下烧烤店油烟扰民", "魅力之城小区楼下几家烧烤店油烟直排，窗户都不敢开，晚上还很吵。"),
    record(2, "魅力之城小区底层餐馆油烟太大", "魅力之城小区底层餐馆油烟直排，烧烤到凌晨，油烟熏得没法开窗。"),
    record(3, "投诉魅力之城小区烧烤油烟", "魅力之城小区楼下烧烤店每天油烟直排，请管一管油烟。"),
]
OTHER_ESTATE = record(
    4, "阳光花园小区楼下烧烤店油烟扰民", "阳光花园小区楼下几家烧烤店油烟直排，窗户都不敢开，晚上还很吵。"
)
LIFT = record(5, "魅力之城小区电梯坏了半年没人修", "魅力之城小区3栋电梯坏了半年，物业一直不修，老人上下楼很难。")
UNRELATED = [
    record(6, "咨询公积金贷款额度怎么算", "想问一下住房公积金贷款的额度是怎么计算的，需要什么材料。"),
    record(7, "希望增加公交线路班次", "早晚高峰公交车太挤，希望增加班次，缩短发车间隔。"),
    record(8, "新学期学校校服收费问题", "孩子学校要求统一购买校服，价格偏高，能否自愿购买。"),
]


def groups_of(assignment):
    by_group = {}
    for record_id, group_id in assignment.items():
        by_group.setdefault(group_id, set()).add(record_id)
    return sorted(by_group.values(), key=min)


def test_place_names_reads_roads_and_estates_before_their_suffixes():
    assert grouping.place_names("A5区劳动东路魅力之城小区油烟扰民") == ["劳动东路", "魅力之城小区"]
    assert grouping.place_names("要求学生必须去学校实习") == []
    assert grouping.place_names("A市伊景园·滨河苑捆绑销售车位") == ["伊景园", "滨河苑"]


def test_same_problem_in_the_same_place_groups_together():
    assignment, _ = grouping.group(FUMES + UNRELATED)
    assert {1, 2, 3} in groups_of(assignment)


def test_same_problem_at_another_estate_is_another_group():
    assignment, _ = grouping.group([*FUMES, OTHER_ESTATE, *UNRELATED])
    assert {1, 2, 3} in groups_of(assignment)
    assert {4} in groups_of(assignment)


def test_another_problem_at_the_same_estate_is_another_group():
    assignment, _ = grouping.group([*FUMES, LIFT, *UNRELATED])
    assert {1, 2, 3} in groups_of(assignment)
    assert {5} in groups_of(assignment)


def test_records_with_different_place_keys_never_group():
    same_text = [
        record(11, "小区门口垃圾站臭气熏天", "小区门口垃圾站夏天臭气熏天，苍蝇很多。", place="v1"),
        record(12, "小区门口垃圾站臭气熏天", "小区门口垃圾站夏天臭气熏天，苍蝇很多。", place="v2"),
        record(13, "小区门口垃圾站臭气熏天", "小区门口垃圾站夏天臭气熏天，苍蝇很多。", place="v1"),
    ]
    assignment, _ = grouping.group(same_text + UNRELATED)
    assert {11, 13} in groups_of(assignment)
    assert {12} in groups_of(assignment)


def test_a_record_naming_no_place_does_not_bring_two_estates_together():
    vague = record(9, "楼下烧烤店油烟扰民", "楼下几家烧烤店油烟直排，窗户都不敢开，晚上还很吵。")
    assignment, _ = grouping.group([*FUMES, OTHER_ESTATE, vague, *UNRELATED])
    assert assignment[1] != assignment[4]


def test_new_records_join_their_group_or_start_new_ones():
    assignment, state = grouping.group(FUMES[:2] + UNRELATED)
    added, state = grouping.assign_new(state, [FUMES[2], OTHER_ESTATE])
    assert added[3] == assignment[1]
    assert added[4] not in set(assignment.values())
    assert state.records == 7
    assert state.sizes[state.index(assignment[1])] == 3


def test_assign_new_leaves_the_given_state_as_it_was():
    _, state = grouping.group(FUMES[:2] + UNRELATED)
    before = json.dumps(state.to_json(), sort_keys=True)
    grouping.assign_new(state, [FUMES[2], OTHER_ESTATE])
    assert json.dumps(state.to_json(), sort_keys=True) == before


def test_new_records_close_to_each_other_make_one_new_group():
    _, state = grouping.group(UNRELATED)
    added, _ = grouping.assign_new(state, FUMES)
    assert len(set(added.values())) == 1


def test_incremental_grouping_agrees_with_grouping_from_scratch():
    everything = [*FUMES, OTHER_ESTATE, LIFT, *UNRELATED]
    scratch, _ = grouping.group(everything)
    first, state = grouping.group(everything[:5])
    added, _ = grouping.assign_new(state, everything[5:])
    first.update(added)
    assert groups_of(first) == groups_of(scratch)


def test_state_survives_json():
    _, state = grouping.group(FUMES + UNRELATED)
    data = json.loads(json.dumps(state.to_json(), ensure_ascii=False))
    again = grouping.State.from_json(data)
    assert again.to_json() == data
    added, _ = grouping.assign_new(again, [OTHER_ESTATE])
    assert len(added) == 1


def test_state_survives_a_merge():
    assignment, state = grouping.group([*FUMES, LIFT, *UNRELATED])
    fumes, lift = assignment[1], assignment[5]
    merged = grouping.merge_state(state, fumes, lift)
    assert lift not in merged.ids
    assert merged.sizes[merged.index(fumes)] == 4
    assert len(merged.ids) == len(state.ids) - 1
    # A new record about either problem now joins the merged group.
    added, _ = grouping.assign_new(
        merged, [record(20, "魅力之城小区电梯又坏了", "魅力之城小区3栋电梯又坏了，物业不修。")]
    )
    assert added[20] == fumes


def test_state_survives_a_split():
    assignment, state = grouping.group(FUMES + UNRELATED)
    fumes = assignment[1]
    state = grouping.remove_from_state(state, fumes, FUMES[2])
    assert state.sizes[state.index(fumes)] == 2
    own, state = grouping.add_to_state(state, FUMES[2])
    assert own != fumes
    assert state.sizes[state.index(own)] == 1
    added, _ = grouping.assign_new(
        state, [record(21, "魅力之城小区烧烤店油烟扰民", "魅力之城小区楼下烧烤店油烟直排扰民。")]
    )
    assert added[21] in {fumes, own}


def test_removing_the_last_record_drops_the_group():
    assignment, state = grouping.group(UNRELATED)
    alone = assignment[6]
    state = grouping.remove_from_state(state, alone, UNRELATED[0])
    assert alone not in state.ids


def test_rename_groups_keeps_signatures():
    assignment, state = grouping.group(FUMES + UNRELATED)
    renamed = grouping.rename_groups(state, {assignment[1]: "issue-7"})
    assert "issue-7" in renamed.ids
    added, _ = grouping.assign_new(
        renamed, [record(22, "魅力之城小区烧烤油烟扰民", "魅力之城小区楼下烧烤店油烟直排。")]
    )
    assert added[22] == "issue-7"


def test_build_state_keeps_the_callers_groups():
    state = grouping.build_state(FUMES + UNRELATED, {1: "a", 2: "a", 3: "a", 6: "b", 7: "c", 8: "d"})
    assert sorted(state.ids) == ["a", "b", "c", "d"]
    added, _ = grouping.assign_new(state, [record(23, "魅力之城小区烧烤店油烟", "魅力之城小区楼下烧烤店油烟直排。")])
    assert added[23] == "a"


def heat_of(people=3, likes=0, days_ago=10):
    records = [
        record(100 + k, "魅力之城小区油烟", days_ago=days_ago, person=f"p{k % people}", likes=likes) for k in range(6)
    ]
    return grouping.heat(records, NOW)


def test_heat_grows_with_people_support_and_recency():
    plain = heat_of()
    assert heat_of(people=6).score > plain.score
    assert heat_of(likes=50).score > plain.score
    assert heat_of(days_ago=200).score < plain.score


def test_heat_grows_with_records_and_growth():
    old = [record(k, "魅力之城小区油烟", days_ago=100 + k) for k in range(4)]
    rising = old + [record(10 + k, "魅力之城小区油烟", days_ago=3 + k) for k in range(4)]
    assert grouping.heat(rising, NOW).score > grouping.heat(old, NOW).score
    assert grouping.heat(rising, NOW).parts["growth"] > 0


def test_heat_parts_add_up_and_dislikes_count_against():
    liked = [record(k, "魅力之城小区油烟", likes=10) for k in range(3)]
    disliked = [record(k, "魅力之城小区油烟", likes=10, dislikes=8) for k in range(3)]
    heat = grouping.heat(liked, NOW)
    assert sum(heat.parts.values()) == pytest.approx(heat.score, abs=1e-3)
    assert set(heat.parts) == set(grouping.HEAT_WEIGHTS)
    assert (heat.records, heat.people, heat.likes) == (3, 3, 30)
    assert grouping.heat(disliked, NOW).score < heat.score


def test_a_person_writing_again_counts_once_among_people():
    heat = grouping.heat([record(k, "魅力之城小区油烟", person="same") for k in range(4)], NOW)
    assert (heat.records, heat.people) == (4, 1)


def test_title_is_the_most_central_records():
    off_centre = record(30, "另外顺便说一下小区门口的绿化", "魅力之城小区油烟问题，另外小区门口绿化也不好。")
    assert grouping.title([*FUMES, off_centre]) in {r.title for r in FUMES}
    assert (
        grouping.title([record(31, "", "没有标题的留言内容比较长需要截断显示出来给工作人员看的")])
        == ("没有标题的留言内容比较长需要截断显示出来给工作人员看的"[: grouping.TITLE_CHARS])
    )


def test_rank_lists_the_hottest_group_first():
    records = [*FUMES, LIFT, *UNRELATED]
    assignment, state = grouping.group(records)
    summaries = grouping.rank(records, assignment, NOW, state)
    assert summaries[0].group == assignment[1]
    assert set(summaries[0].record_ids) == {1, 2, 3}
    assert summaries[0].title in {r.title for r in FUMES}
    assert len(summaries) == len(set(assignment.values()))


def test_empty_inputs():
    assert grouping.group([])[0] == {}
    _, state = grouping.group(UNRELATED)
    assert grouping.assign_new(state, [])[0] == {}
    assert grouping.title([]) == ""


def test_linked_sets_cut_one_by_one_or_in_batches_give_the_same_groups(monkeypatch):
    records = [*FUMES, OTHER_ESTATE, LIFT, record(9, "楼下烧烤店油烟扰民", "楼下烧烤店油烟直排。"), *UNRELATED]
    batched, _ = grouping.group(records)
    monkeypatch.setattr(grouping, "SMALL_SET", 2)
    one_by_one, _ = grouping.group(records)
    assert groups_of(batched) == groups_of(one_by_one)


def test_a_linked_set_too_large_for_a_matrix_is_linked_again_more_strictly(monkeypatch):
    monkeypatch.setattr(grouping, "SMALL_SET", 2)
    monkeypatch.setattr(grouping, "DENSE_MAX", 3)
    same = [record(40 + k, "魅力之城小区楼下烧烤店油烟扰民", FUMES[0].text) for k in range(5)]
    assignment, _ = grouping.group([*same, *UNRELATED])
    assert {40, 41, 42, 43, 44} in groups_of(assignment)


def test_dropped_groups_leave_the_state_and_new_records_start_afresh():
    assignment, state = grouping.group(FUMES + UNRELATED)
    smaller = grouping.drop_groups(state, [assignment[6], assignment[7]])
    assert len(smaller.ids) == len(state.ids) - 2
    assert assignment[6] not in smaller.ids
    added, _ = grouping.assign_new(smaller, [UNRELATED[0]])
    assert added[6] not in set(assignment.values())
