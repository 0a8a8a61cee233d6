import sys

from nndraw.cli import main

sys.exit(main())
