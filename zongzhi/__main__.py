from zongzhi.cli import main

main()
