#!/bin/sh
# For help2man: 'ftpsim --help' followed by every command's own --help, so that the man page documents
# the options of run and sweep as well. FTPSIM is the program.
case "$1" in
--help)
  "$FTPSIM" --help
  for command in run sweep probe; do
    echo
    echo "'ftpsim $command --help':"
    "$FTPSIM" "$command" --help
  done
  ;;
*) echo "ftpsim" ;;
esac
