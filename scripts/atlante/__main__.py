import sys

from atlante.cli.principale import main

sys.exit(main())
