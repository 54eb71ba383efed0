/* folio — the command line (src/cli/).  Parses argv, runs one command as one
 * user through access/, prints TSV on stdout and messages on stderr. */
#ifndef FOLIO_CLI_H
#define FOLIO_CLI_H

/* Runs the command in argv; with no command it calls ui(db_path) to open
 * the interface.  Returns the exit code (0 done, 1 failed, 2 usage,
 * 3 denied, 4 not found). */
int cli_main(int argc, char **argv, int (*ui)(const char *db_path));

#endif
