from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What the provider says about a person beyond the User: its `sub`, name and whether the email is verified."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idp_profile")
    sub = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, blank=True)
    email_verified = models.BooleanField(default=True)

    def __str__(self):
        return self.sub


class Knob(models.Model):
    """A setting a test changes while the provider runs (the ID token's lifetime, the issuer it signs as)."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.JSONField(null=True)

    def __str__(self):
        return f"{self.name}={self.value!r}"

    @classmethod
    def get(cls, name, default=None):
        knob = cls.objects.filter(name=name).first()
        return default if knob is None or knob.value is None else knob.value
