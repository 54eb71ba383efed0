/* folio — `import synthea DIR` (placeholder until the importer lands). */
#include "cli_internal.h"

int cmd_import_synthea(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return cli_fail(2, "import synthea is not built yet");
}
