"""`python -m modelbazaar` (and `torchrun -m modelbazaar build`) run the CLI."""

from modelbazaar.cli.main import main

if __name__ == "__main__":
    main()
