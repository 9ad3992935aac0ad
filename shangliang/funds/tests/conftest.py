"""A district whose village 甲一村 has a fund account, the people around it, and a concluded consultation there."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shangliang.funds import services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.tests.builders import assigned, concluded


@dataclass
class World:
    district: dict
    convener: object  # keeper of 甲一村's account; convenes its consultations
    secretary: object  # 甲一村 party organisation: the village approval step
    station: object  # 甲镇 station head: keeper too, and the township step from 5,000 yuan
    township_party: object  # 甲镇 party committee: the step from 20,000 yuan
    cppcc: object  # CPPCC office: reads every account
    other_convener: object  # 乙一村's convener: another village
    other_station: object  # 乙镇's station head: another township
    resident: object
    account: object
    consultation: object
    assignment: object


def income(world, amount, *, kind="allocation", purpose="2026年度村级协商资金", day=None):
    return services.income_record(
        actor=world.convener,
        account=world.account,
        kind=kind,
        amount=Decimal(amount),
        booked_on=day or datetime.date.today(),
        purpose=purpose,
        counterparty="甲镇财政所",
    )


def request(world, amount, *, purpose="购置停车标识牌", assignment=True, actor=None, kind=None):
    return services.spending_request(
        actor=actor or world.convener,
        account=world.account,
        kind=kind or ("implementation" if assignment else "operation"),
        amount=Decimal(amount),
        purpose=purpose,
        counterparty="甲镇建材店",
        assignment=world.assignment if assignment else None,
        consultation=None if assignment else world.consultation,
    )


@pytest.fixture
def world(district):
    convener = grant(make_user(full_name="召集人王明", mobile="13811110001"), Role.CONVENER, region=district["a1"])
    secretary = grant(make_user(full_name="村书记李红"), Role.APPROVER, region=district["a1"])
    station = grant(make_user(full_name="站长林芳"), Role.STATION_HEAD, region=district["a"])
    township_party = grant(make_user(full_name="镇党委张强"), Role.APPROVER, region=district["a"])
    cppcc = grant(make_user(full_name="政协办刘洋"), Role.COMMITTEE_STAFF, region=district["district"])
    other_convener = grant(make_user(full_name="乙一村召集人"), Role.CONVENER, region=district["b1"])
    other_station = grant(make_user(full_name="乙镇站长"), Role.STATION_HEAD, region=district["b"])
    resident = make_user(full_name="居民赵六")
    account = services.account_open(
        actor=station,
        village=district["a1"],
        name="甲一村协商资金专户",
        opened_on=datetime.date(2026, 1, 5),
        bank="农村商业银行甲镇支行",
        account_name="甲一村村民委员会",
        account_number="6230520010001234567",
    )
    consultation = concluded(district, convener=convener)
    assignment = assigned(consultation)
    return World(
        district,
        convener,
        secretary,
        station,
        township_party,
        cppcc,
        other_convener,
        other_station,
        resident,
        account,
        consultation,
        assignment,
    )
