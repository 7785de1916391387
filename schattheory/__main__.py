import sys

from schattheory.outputs.cli import main

sys.exit(main())
