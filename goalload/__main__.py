import sys

from goalload.cli import main

sys.exit(main())
