import os
import threading
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "Create the tables, listen on a free port of 127.0.0.1, write that port to $OIDC_PROVIDER_DIR/port, serve."

    def handle(self, *args, **options):
        call_command("migrate", run_syncdb=True, verbosity=0)
        server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
        server.set_app(get_wsgi_application())
        threading.Thread(target=stop_when_orphaned, args=(server, os.getppid()), daemon=True).start()
        port_file = Path(os.environ["OIDC_PROVIDER_DIR"]) / "port"
        port_file.with_suffix(".tmp").write_text(str(server.server_port))
        port_file.with_suffix(".tmp").replace(port_file)  # whole or not at all: the fixture polls for it
        server.serve_forever()


def stop_when_orphaned(server, parent):
    """Stop when the test process that started us is gone (killed, crashed): no provider outlives its tests."""
    while os.getppid() == parent:
        time.sleep(0.5)
    server.shutdown()
