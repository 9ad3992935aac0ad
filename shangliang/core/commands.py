"""Pieces shared by the management commands that cron runs."""

from argparse import ArgumentTypeError
from datetime import date


def iso_day(value: str) -> date:
    """A ``--date YYYY-MM-DD`` argument; a wrong one is refused with a message in Chinese."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


def add_date_argument(parser) -> None:
    parser.add_argument("--date", type=iso_day, help="按这一天计算（YYYY-MM-DD），默认今天")
