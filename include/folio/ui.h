/* folio — the ncurses interface (src/ui/).  The only code that includes curses. */
#ifndef FOLIO_UI_H
#define FOLIO_UI_H

/* Runs the interface on the database at db_path until the user quits.
 * Returns an exit code. The terminal is restored on every way out. */
int ui_run(const char *db_path);

#endif
