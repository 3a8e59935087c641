from driftsblik.cli import main

main()
