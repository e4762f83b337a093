"""The production settings as they are, with the benchmark's URLconf (a bare view in front of the project's URLs),
a query count on request as the outermost middleware, and the collected static files in a directory of the run's
own (BENCH_STATIC_ROOT), so a run writes nothing into the checkout it serves."""

import os

from groeiwijzer.settings_production import *  # noqa: F403
from groeiwijzer.settings_production import MIDDLEWARE

ROOT_URLCONF = "bench_site.urls"
MIDDLEWARE = ["bench_site.middleware.QueryCount", *MIDDLEWARE]
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
