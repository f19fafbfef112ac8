"""One module per subcommand: ``add_arguments(parser)`` and ``execute(args) -> exit status``."""
