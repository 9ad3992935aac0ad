"""Where uploaded files are written: the folder the field chooses, a random name, the extension of the content.

The sender's file name often carries a person's name or mobile and its extension is whatever they typed;
neither reaches the disk, so a stored path can be neither guessed nor made to look like a web page.
"""

import posixpath
import secrets

from django.core.files import File
from django.core.files.storage import FileSystemStorage

from shangliang.core.uploads import sniff

# Content no allowed type matches (an admin upload, an older record) is stored as opaque bytes.
UNKNOWN_EXTENSION = "bin"


def random_name(directory: str, content) -> str:
    file_type = sniff(content)
    extension = file_type.extension if file_type else UNKNOWN_EXTENSION
    return posixpath.join(directory, f"{secrets.token_hex(16)}.{extension}")


class RandomNameStorage(FileSystemStorage):
    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        if not hasattr(content, "chunks"):
            content = File(content, name)
        return super().save(random_name(posixpath.dirname(name), content), content, max_length=max_length)
