build/src/cli/cli.o: src/cli/cli.c include/folio/cli.h \
 src/cli/cli_internal.h include/folio/access.h include/folio/util.h \
 include/folio/smem.h
include/folio/cli.h:
src/cli/cli_internal.h:
include/folio/access.h:
include/folio/util.h:
include/folio/smem.h:
