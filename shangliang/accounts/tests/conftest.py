"""Fixtures for the tests of accounts."""

from shangliang.accounts.tests import codes

sms = codes.sms  # the SMS gateway stand-in
