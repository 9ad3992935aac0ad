"""The WeChat login button of the login page, shown only when an official account is configured."""

from django import template

from shangliang.accounts.wechat import is_configured

register = template.Library()


@register.inclusion_tag("accounts/_wechat_login.html")
def wechat_login_link(next_url=""):
    return {"wechat_configured": is_configured(), "next": next_url or ""}
