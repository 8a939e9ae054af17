import sys

from atlante.cli.principale import comando

sys.exit(comando())
