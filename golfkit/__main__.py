from golfkit.cli import main

main()
