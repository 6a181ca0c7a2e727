"""Serve Ralph's xAPI LRS (filesystem backend) for Casus's tests, in one process.

Ralph 5.1's `ralph runserver` starts uvicorn with a reloader that restarts the server whenever a
file changes under its working directory, and its filesystem backend refuses every write after
the first (it creates the statements file, then finds that it exists). This launcher serves the
same application without the reloader and with the backend appending to its file.

Usage: python ralph_lrs.py HOST PORT STORE_DIR   (RALPH_APP_DIR holds Ralph's auth.json)
"""

import os
import sys

host, port, store = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = store

from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.data.fs import FSDataBackend  # noqa: E402

FSDataBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402

uvicorn.run("ralph.api:app", host=host, port=port, log_level="info")
