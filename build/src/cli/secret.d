build/src/cli/secret.o: src/cli/secret.c src/cli/cli_internal.h \
 include/folio/access.h include/folio/util.h include/folio/smem.h
src/cli/cli_internal.h:
include/folio/access.h:
include/folio/util.h:
include/folio/smem.h:
