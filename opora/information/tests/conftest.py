import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Site(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path.startswith("/shnor") else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def site(settings):
    """A web site of our own on 127.0.0.1: /shnor… opens, anything else is 404. No network."""
    settings.OPORA_LINK_CHECK_INTERNAL = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
