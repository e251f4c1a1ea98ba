#!/usr/bin/env python
from zongzhi.cli import main

if __name__ == "__main__":
    main()
