/* folio — entry point: harden the process, then hand over to the command
 * line (which opens the interface when no command is given). */
#include <stdio.h>
#include <sys/stat.h>

#include "folio/cli.h"
#include "folio/smem.h"
#include "folio/ui.h"

int main(int argc, char **argv)
{
	/* Database, journal and backups are readable by their owner only. */
	umask(077);
	if (smem_init() != 0) {
		fputs("folio: cannot initialise secure memory or turn core dumps off\n", stderr);
		return 1;
	}
	return cli_main(argc, argv, ui_run);
}
