import sys

from rust_goals_slate.cli.entry import main

sys.exit(main())
