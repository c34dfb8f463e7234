import sys

from rust_goals_slate.cli.main import main

sys.exit(main())
