"""Files browsers ask for at fixed addresses of every site, served from the static files."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``: the site's icon (``static/favicon.ico``, drawn for 商量; the pages link the
    SVG beside it). A permanent redirect, so a browser asks once and the file keeps its cache name."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
