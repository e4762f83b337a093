from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import throttle


class EmailBackend(ModelBackend):
    """Log in with email (case-insensitive) and password; too many wrong passwords for an address lock it a while."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
        if not email or password is None:
            return None
        if throttle.is_locked(email):
            return None  # no password is checked: guessing on stops here (the login form says why)
        User = get_user_model()
        try:
            user = User.objects.get(email=email)
        except User.DoesNotExist:
            User().set_password(password)  # equalise timing
            user = None
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            throttle.clear(email)
            return user
        throttle.record_failure(email)  # unknown addresses count too: the answer never tells them apart
        return None
