/* folio — `import`: records from other systems.  `import synthea DIR`
 * (cmd_import_synthea.c) and `import hl7 FILE...` (cmd_import_hl7.c); each
 * prints its summary on stderr. */
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"

static const char usage[] =
	"usage: folio import synthea DIR            Synthea CSV export (patients.csv, encounters.csv ...)\n"
	"       folio import hl7 FILE... [--ack-dir DIR]   HL7 v2 ADT and ORU messages\n";

int cmd_import(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "synthea") == 0)
		return cmd_import_synthea(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "hl7") == 0)
		return cmd_import_hl7(c, argc - 1, argv + 1);
	return cli_fail(2, "unknown import '%s'\n%s", argv[1], usage);
}
