from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import content


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
        cached = getattr(self, "_model", None)
        if cached is None:
            cached = self._model = content.parse(self.data)
        return cached

    @classmethod
    def current(cls) -> "ModelVersion":
        model = content.load_file()
        obj, _created = cls.objects.get_or_create(version=model.version, defaults={"data": model.to_dict()})
        return obj
