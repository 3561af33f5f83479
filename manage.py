#!/usr/bin/env python
from opora.cli import main

if __name__ == "__main__":
    main()
