import sys

from commune.cli.main import main

sys.exit(main())
