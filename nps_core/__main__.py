import os
import signal
import sys

from nps_core.cli import main

try:
    status = main()
    sys.stdout.flush()
except BrokenPipeError:
    # the reader went away (`… | head`): as any command-line tool, stop quietly, status as for SIGPIPE
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's own flush writes nowhere
    status = 128 + signal.SIGPIPE
sys.exit(status)
