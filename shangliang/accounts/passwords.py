"""Password rules with messages from the project's own catalogue.

Django 5.2 changed the wording of its minimum-length message, and its Chinese catalogue still has
the old one, so the message came out in English on the registration form.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短，至少需要%(count)d个字符。") % {"count": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(count)d个字符。") % {"count": self.min_length}
