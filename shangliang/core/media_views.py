"""Uploaded files, served only to users an app allows, always as a download the browser may not sniff."""

import posixpath

from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe
from django_sendfile import sendfile

from shangliang.core.media import file_for
from shangliang.core.uploads import sniff

FALLBACK_TYPE = "application/octet-stream"


@require_safe
def media_file(request, name):
    """404 both for "no such file" and "not yours", so the answer reveals nothing.

    The Content-Type is read again from the stored bytes, so a file that is not on the allowed list
    (an older upload, one added in the admin) goes out as opaque bytes.
    """
    stored = file_for(request.user, name)
    if stored is None:
        raise Http404
    try:
        path = stored.path
        with stored.storage.open(stored.name, "rb") as file:
            file_type = sniff(file)
    except (SuspiciousFileOperation, OSError):
        raise Http404 from None
    response = sendfile(
        request,
        path,
        attachment=True,
        attachment_filename=posixpath.basename(stored.name),
        mimetype=file_type.mime if file_type else FALLBACK_TYPE,
    )
    # sendfile guesses an encoding from names like "x.tar.gz"; the bytes go out exactly as stored.
    del response["Content-Encoding"]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response
