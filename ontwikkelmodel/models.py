import threading

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content

_PARSED: dict[tuple, content.Model] = {}  # (pk, version, stored_at) → the parsed (frozen) model
_PARSED_MAX = 16  # a site holds a handful of versions; a test run makes many rows: the oldest go first
_PARSED_LOCK = threading.Lock()


class ModelVersion(models.Model):
    """A frozen copy of the Ontwikkelmodel content. Rounds point here, never at the file."""

    version = models.CharField(_("versie"), max_length=32, unique=True)
    data = models.JSONField()
    stored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("versie van het Ontwikkelmodel")
        verbose_name_plural = _("versies van het Ontwikkelmodel")

    def __str__(self):
        return self.version

    @property
    def model(self) -> content.Model:
        """The parsed content, parsed once per process: a stored version never changes (read-only in the admin), so
        a page may load the row without its ``data`` (``defer("data")``) and still costs no parsing."""
        cached = getattr(self, "_model", None)
        if cached is None:
            key = (self.pk, self.version, self.stored_at)
            cached = _PARSED.get(key)
            if cached is None:
                cached = content.parse(self.data)
                with _PARSED_LOCK:
                    _PARSED[key] = cached
                    while len(_PARSED) > _PARSED_MAX:
                        del _PARSED[next(iter(_PARSED))]
            self._model = cached
        return cached

    @classmethod
    def current(cls) -> "ModelVersion":
        model = content.load_file()
        obj, _created = cls.objects.get_or_create(version=model.version, defaults={"data": model.to_dict()})
        return obj
