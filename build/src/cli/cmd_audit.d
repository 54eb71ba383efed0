build/src/cli/cmd_audit.o: src/cli/cmd_audit.c src/cli/cli_internal.h \
 include/folio/access.h include/folio/util.h include/folio/audit.h
src/cli/cli_internal.h:
include/folio/access.h:
include/folio/util.h:
include/folio/audit.h:
