import sys

from nps_core.cli import main

sys.exit(main())
